//! The partitioned PostgreSQL layout's own behaviour: the purge drops the partitions of days
//! that have passed and creates the ones ahead, moving in sessions that waited in the default
//! partition (`TEST_POSTGRES_URL`; ignored when unset).
#![cfg(feature = "postgres")]

use time::{Duration, OffsetDateTime};
use user_sessions::postgres::sqlx::{self, Row};
use user_sessions::postgres::{Layout, PostgresBackend, PostgresOptions};
use user_sessions::test_servers::TestDatabase;
use user_sessions::{Filter, PublicId, SessionRecord, Status, Store};

fn record(n: u8, expires_at: OffsetDateTime) -> SessionRecord {
    let mut record = SessionRecord::new(PublicId::from_bytes([n; 32]), expires_at);
    record.info.user_id = Some("u".into());
    record
}

/// Which partition holds a session.
async fn partition_of(backend: &PostgresBackend, n: u8) -> String {
    sqlx::query("SELECT tableoid::regclass::text FROM user_sessions WHERE id = $1")
        .bind(vec![n; 32])
        .fetch_one(backend.pool())
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn purging_drops_past_days_and_creates_days_ahead() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let options = PostgresOptions {
        layout: Layout::Partitioned,
        ..PostgresOptions::default()
    };
    let backend = PostgresBackend::open_with(db.url(), options).await.unwrap();
    let pool = backend.pool().clone();
    assert_eq!(backend.layout(), Layout::Partitioned);
    let store = Store::new(backend);
    store.migrate().await.unwrap();
    let backend = PostgresBackend::open_with(
        &format!("{}&layout=partitioned", db.url()),
        PostgresOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(backend.layout(), Layout::Partitioned);

    // Partitions for three days back, as a purge task running then would have made them.
    sqlx::query("SELECT user_sessions_partitions(now() - interval '3 days', 3)")
        .execute(&pool)
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let two_days_ago = now - Duration::days(2);
    for n in 1..=3 {
        store.save(&record(n, two_days_ago)).await.unwrap();
    }
    store
        .save(&record(10, now + Duration::hours(1)))
        .await
        .unwrap();
    // Beyond the partitions made ahead: it waits in the default partition.
    store
        .save(&record(11, now + Duration::days(60)))
        .await
        .unwrap();
    let day = |t: OffsetDateTime| {
        format!(
            "user_sessions_p{:04}{:02}{:02}",
            t.year(),
            u8::from(t.month()),
            t.day()
        )
    };
    assert_eq!(partition_of(&backend, 1).await, day(two_days_ago));
    assert_eq!(partition_of(&backend, 11).await, "user_sessions_later");

    // The past day's partition goes whole; the sessions are gone, the live one stays.
    assert_eq!(store.purge_expired().await.unwrap(), 3);
    let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
        .bind(day(two_days_ago))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!exists, "the partition of a past day was dropped");
    assert!(
        store
            .get(&PublicId::from_bytes([1; 32]))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .get(&PublicId::from_bytes([10; 32]))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .count(&Filter::default().status(Status::All))
            .await
            .unwrap(),
        2
    );

    // When its day's partition is made, the far session moves in and is still found.
    sqlx::query("SELECT user_sessions_partitions(now(), 61)")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        partition_of(&backend, 11).await,
        day(now + Duration::days(60))
    );
    assert!(
        store
            .get(&PublicId::from_bytes([11; 32]))
            .await
            .unwrap()
            .is_some()
    );
}
