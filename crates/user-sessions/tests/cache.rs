//! The cache guarantee, with two "app servers" (two stores, each with its own cache) over one
//! database: a session ended on A is refused by B's loads that start more than the cache's
//! time-to-live after the end, and by A's at once.

use std::time::{Duration, Instant};

use time::OffsetDateTime;
use user_sessions::cache::CacheOptions;
use user_sessions::{PublicId, SessionRecord, Store};

fn cached(store: Store, ttl: Duration) -> Store {
    store.with_cache(CacheOptions {
        ttl,
        ..CacheOptions::default()
    })
}

/// `open` opens a new store (its own pool: another app server) on the shared database.
async fn ended_sessions_stop_within_the_ttl<F, Fut>(open: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Store>,
{
    const SHORT: Duration = Duration::from_millis(300);
    let a = cached(open().await, Duration::from_secs(3600));
    let b_long = cached(open().await, Duration::from_secs(3600));
    let b_short = cached(open().await, SHORT);

    let mut record = SessionRecord::new(
        PublicId::from_secret(b"cache-guarantee"),
        OffsetDateTime::now_utc() + time::Duration::hours(1),
    );
    record.info.user_id = Some("alice".into());
    assert!(a.create(&record).await.unwrap());
    // Both other servers have it cached now.
    assert!(b_long.load(&record.id).await.unwrap().is_some());
    assert!(b_short.load(&record.id).await.unwrap().is_some());
    assert!(a.load(&record.id).await.unwrap().is_some());

    assert!(a.end_user_session("alice", &record.id).await.unwrap());
    let ended = Instant::now();

    // The server that ended it refuses it at once, even with a one-hour cache.
    assert!(a.load(&record.id).await.unwrap().is_none());
    // Another server may accept it until its ttl has passed: this is the documented window
    // (shown with a one-hour ttl so that it cannot have passed yet).
    assert!(b_long.load(&record.id).await.unwrap().is_some());
    // After the ttl, every load refuses it.
    tokio::time::sleep((ended + SHORT).saturating_duration_since(Instant::now())).await;
    assert!(b_short.load(&record.id).await.unwrap().is_none());
    // Lists never come from the cache.
    assert!(b_long.user_sessions("alice").await.unwrap().is_empty());

    // "Log out everywhere" on B evicts B's own entries at once.
    let mut again = record.clone();
    again.info.id = PublicId::from_secret(b"cache-guarantee-2");
    assert!(a.create(&again).await.unwrap());
    assert!(b_long.load(&again.id).await.unwrap().is_some());
    assert_eq!(b_long.end_all_user_sessions("alice").await.unwrap(), 1);
    assert!(b_long.load(&again.id).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_shared_by_two_stores() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
    Store::open(&url).await.unwrap().migrate().await.unwrap();
    ended_sessions_stop_within_the_ttl(|| async { Store::open(&url).await.unwrap() }).await;
}

/// A save of the data alone leaves the backend's other columns as they are, and the cache
/// then reads them back rather than keeping the saver's older ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_save_does_not_cache_older_columns() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
    Store::open(&url).await.unwrap().migrate().await.unwrap();
    let a = cached(Store::open(&url).await.unwrap(), Duration::from_secs(3600));
    let b = Store::open(&url).await.unwrap();

    let record = SessionRecord::new(
        PublicId::from_secret(b"data-save"),
        OffsetDateTime::now_utc() + time::Duration::hours(1),
    );
    assert!(a.create(&record).await.unwrap());
    let loaded = a.load(&record.id).await.unwrap().unwrap();
    // Another app server records a new client for the session.
    let touch = user_sessions::Touch {
        ip: Some("192.0.2.9".parse().unwrap()),
        user_agent: Some("Other/1.0".into()),
        client_hints: None,
        last_activity: OffsetDateTime::now_utc(),
    };
    assert!(b.touch(&record.id, touch).await.unwrap());

    let cart = ("cart".to_owned(), serde_json::json!([1]));
    assert!(
        a.update_data_entries(loaded.info.clone(), [(&cart.0, &cart.1)])
            .await
            .unwrap()
    );
    let after = a.load(&record.id).await.unwrap().unwrap();
    assert_eq!(after.data["cart"], cart.1);
    assert_eq!(
        after.ip,
        Some("192.0.2.9".parse().unwrap()),
        "not the saver's"
    );
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_shared_by_two_stores() {
    let Some(db) = user_sessions::test_servers::TestDatabase::postgres().await else {
        return;
    };
    ended_sessions_stop_within_the_ttl(|| db.open_store()).await;
}

#[cfg(feature = "mysql")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
async fn mysql_shared_by_two_stores() {
    let Some(db) = user_sessions::test_servers::TestDatabase::mysql().await else {
        return;
    };
    ended_sessions_stop_within_the_ttl(|| db.open_store()).await;
}
