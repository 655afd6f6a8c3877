//! `user-sessions migratesessions` against tables written by the real tower-sessions-sqlx-store.

use std::process::{Command, Output};

use serde_json::json;
use time::{Duration, OffsetDateTime};
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use user_sessions::Store;
use user_sessions::tower::public_id;

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_user-sessions"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("run user-sessions")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A record as axum-login leaves it for a signed-in user.
fn signed_in(user: u64, ttl: Duration) -> Record {
    let mut data = std::collections::HashMap::new();
    data.insert(
        "axum-login.data".to_owned(),
        json!({"user_id": user, "auth_hash": [1, 2, 3]}),
    );
    data.insert("cart".to_owned(), json!(["book"]));
    Record {
        id: Id::default(),
        data,
        expiry_date: OffsetDateTime::now_utc() + ttl,
    }
}

#[tokio::test]
async fn imports_sqlx_store_sessions_once_and_keeps_users_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let url = format!("sqlite://{}", path.display());

    // The application's old sessions, written by tower-sessions-sqlx-store itself.
    let pool = sqlx::SqlitePool::connect(&format!("{url}?mode=rwc"))
        .await
        .unwrap();
    let old_store = tower_sessions_sqlx_store::SqliteStore::new(pool.clone());
    old_store.migrate().await.unwrap();
    let mut alice = signed_in(7, Duration::days(3));
    let mut bob = signed_in(8, Duration::hours(2));
    let mut anonymous = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: OffsetDateTime::now_utc() + Duration::hours(1),
    };
    let mut expired = signed_in(9, Duration::seconds(2));
    for record in [&mut alice, &mut bob, &mut anonymous, &mut expired] {
        old_store.create(record).await.unwrap();
    }
    sqlx::query("INSERT INTO tower_sessions (id, data, expiry_date) VALUES ('corrupted-row-0000000', x'c1ff00', 4102444800)")
        .execute(&pool)
        .await
        .unwrap();
    // Make one record expired without waiting (the expiry inside the record is what counts).
    expired.expiry_date = OffsetDateTime::UNIX_EPOCH;
    old_store.save(&expired).await.unwrap();
    pool.close().await;

    assert!(run(&url, &["migrate"]).status.success());
    let output = run(&url, &["migratesessions", "--batch-size", "2"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout(&output).trim(),
        "imported 3 session(s); 0 already imported, 1 expired (skipped), 1 corrupted (skipped)"
    );
    let again = run(&url, &["migratesessions"]);
    assert_eq!(
        stdout(&again).trim(),
        "imported 0 session(s); 3 already imported, 1 expired (skipped), 1 corrupted (skipped)"
    );
    // The secret ids never show up in the output.
    for record in [&alice, &bob, &anonymous] {
        let id = record.id.to_string();
        assert!(
            !stdout(&output).contains(&id)
                && !String::from_utf8_lossy(&output.stderr).contains(&id)
        );
    }

    let store = Store::open(&url).await.unwrap();
    let sessions = store.user_sessions("7").await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].id, public_id(&alice.id));
    assert_eq!(
        sessions[0].expires_at.unix_timestamp(),
        alice.expiry_date.unix_timestamp()
    );
    assert_eq!(store.user_sessions("8").await.unwrap().len(), 1);
    assert!(store.user_sessions("9").await.unwrap().is_empty());

    // The old cookie still works: its id names the row that holds the same data.
    let loaded = store
        .load(&public_id(&alice.id))
        .await
        .unwrap()
        .expect("still signed in");
    assert_eq!(loaded.data.get("cart"), Some(&json!(["book"])));
    assert_eq!(
        loaded.data.get("axum-login.data"),
        alice.data.get("axum-login.data")
    );
}

#[test]
fn a_missing_table_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    assert!(run(&url, &["migrate"]).status.success());
    let output = run(&url, &["migratesessions"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tower_sessions"));
    let output = run(&url, &["migratesessions", "--table", "x;drop"]);
    assert_eq!(output.status.code(), Some(2));
}

/// Imports two signed-in sessions that the real store wrote on a server, from `{legacy}.session`.
async fn import_on_server(
    database: user_sessions::test_servers::TestDatabase,
    legacy_store: impl SessionStore,
) -> Vec<Record> {
    let mut records = vec![
        signed_in(7, Duration::days(1)),
        signed_in(8, Duration::days(1)),
    ];
    for record in &mut records {
        legacy_store.create(record).await.unwrap();
    }
    let url = database.url();
    let table = format!("legacy_{}.session", database.name());
    assert!(run(url, &["migrate"]).status.success());
    let output = run(url, &["migratesessions", "--table", &table]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout(&output).trim(),
        "imported 2 session(s); 0 already imported, 0 expired (skipped), 0 corrupted (skipped)"
    );
    let again = run(url, &["migratesessions", "--table", &table]);
    assert_eq!(
        stdout(&again).trim(),
        "imported 0 session(s); 2 already imported, 0 expired (skipped), 0 corrupted (skipped)"
    );
    let store = Store::open(url).await.unwrap();
    let sessions = store.user_sessions("7").await.unwrap();
    assert_eq!(
        sessions.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![public_id(&records[0].id)]
    );
    records
}

#[tokio::test]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn imports_from_postgres() {
    let Some(database) = user_sessions::test_servers::TestDatabase::postgres().await else {
        return;
    };
    let legacy = format!("legacy_{}", database.name());
    let pool = sqlx::PgPool::connect(database.url()).await.unwrap();
    let legacy_store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
        .with_schema_name(&legacy)
        .unwrap();
    legacy_store.migrate().await.unwrap();
    import_on_server(database, legacy_store).await;
    sqlx::query(&format!("DROP SCHEMA {legacy} CASCADE"))
        .execute(&pool)
        .await
        .unwrap();
}

#[tokio::test]
#[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
async fn imports_from_mysql() {
    let Some(database) = user_sessions::test_servers::TestDatabase::mysql().await else {
        return;
    };
    let legacy = format!("legacy_{}", database.name());
    let pool = sqlx::MySqlPool::connect(database.url()).await.unwrap();
    let legacy_store = tower_sessions_sqlx_store::MySqlStore::new(pool.clone())
        .with_schema_name(&legacy)
        .unwrap();
    legacy_store.migrate().await.unwrap();
    import_on_server(database, legacy_store).await;
    sqlx::query(&format!("DROP DATABASE {legacy}"))
        .execute(&pool)
        .await
        .unwrap();
}
