//! Times the built `user-sessions` binary on SQLite: `clearsessions` over 1 M expired sessions and
//! `migratesessions` of 100 k sessions written in tower-sessions-sqlx-store's format.
//!
//! `cargo bench -p user-sessions-cli --bench commands` (`EXPIRED=…`, `LEGACY=…` to change sizes)

use std::process::Command;
use std::time::Instant;

use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use user_sessions::{PublicId, SessionRecord, Store};

fn count(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn timed(url: &str, args: &[&str]) -> f64 {
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_user-sessions"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("run user-sessions");
    let elapsed = start.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("  {}", String::from_utf8_lossy(&output.stdout).trim());
    elapsed
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");

    let expired = count("EXPIRED", 1_000_000);
    let url = format!("sqlite://{}", dir.path().join("clear.db").display());
    let store = Store::open(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    let past = OffsetDateTime::now_utc() - Duration::minutes(1);
    for start in (0..expired).step_by(20_000) {
        let batch: Vec<_> = (start..(start + 20_000).min(expired))
            .map(|n| {
                let mut r = SessionRecord::new(PublicId::from_secret(&n.to_le_bytes()), past);
                r.info.user_id = Some(format!("user-{}", n / 10));
                r.info.user_agent = Some(
                    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0".into(),
                );
                r
            })
            .collect();
        store.create_many(&batch).await.expect("insert");
    }
    drop(store);
    println!("clearsessions, {expired} expired sessions:");
    let seconds = timed(&url, &["clearsessions"]);
    println!("  {seconds:.2} s");

    let legacy = count("LEGACY", 100_000);
    let url = format!("sqlite://{}", dir.path().join("import.db").display());
    let pool = sqlx::SqlitePool::connect(&format!("{url}?mode=rwc"))
        .await
        .expect("open");
    let old = tower_sessions_sqlx_store::SqliteStore::new(pool.clone());
    old.migrate().await.expect("migrate legacy");
    let mut tx = pool.begin().await.expect("begin");
    for n in 0..legacy {
        let record = Record {
            id: Id::default(),
            data: [(
                "axum-login.data".to_owned(),
                serde_json::json!({"user_id": n / 3, "auth_hash": [1, 2, 3]}),
            )]
            .into(),
            expiry_date: OffsetDateTime::now_utc() + Duration::days(7),
        };
        sqlx::query("INSERT INTO tower_sessions (id, data, expiry_date) VALUES (?, ?, ?)")
            .bind(record.id.to_string())
            .bind(rmp_serde::to_vec(&record).expect("encode"))
            .bind(record.expiry_date)
            .execute(&mut *tx)
            .await
            .expect("insert legacy");
    }
    tx.commit().await.expect("commit");
    pool.close().await;
    timed(&url, &["migrate"]);
    println!("migratesessions, {legacy} legacy sessions:");
    let seconds = timed(&url, &["migratesessions"]);
    println!("  {seconds:.2} s");
    println!("migratesessions again (nothing new):");
    let seconds = timed(&url, &["migratesessions"]);
    println!("  {seconds:.2} s");
}
