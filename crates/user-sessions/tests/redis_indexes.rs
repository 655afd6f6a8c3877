//! The Redis backend's index bookkeeping: a save that pushes the expiry a little does not move
//! the session in the expiry index, yet counts and purges stay exact (`TEST_REDIS_URL`;
//! skipped when unset).
#![cfg(all(feature = "redis", feature = "conformance"))]

use time::{Duration, OffsetDateTime};
use user_sessions::redis::RedisBackend;
use user_sessions::test_servers::TestDatabase;
use user_sessions::{Backend, Filter, PublicId, SessionInfo, Status, StoredSession, now};

fn session(n: u8, user: &str, expires_at: OffsetDateTime) -> StoredSession {
    StoredSession {
        info: SessionInfo {
            user_id: Some(user.to_owned()),
            ..SessionInfo::new(PublicId::from_secret(&[n]), expires_at)
        },
        data: b"{}".to_vec(),
    }
}

async fn count(backend: &RedisBackend, status: Status, at: OffsetDateTime) -> u64 {
    backend
        .count(&Filter::default().status(status), at)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_slightly_later_expiry_counts_and_purges_by_the_real_expiry() {
    let Some(db) = TestDatabase::redis().await else {
        return;
    };
    let backend = RedisBackend::open(db.url()).await.unwrap();
    backend.migrate().await.unwrap();
    let start = user_sessions::truncate_to_millis(now());
    let first = start + Duration::hours(1);

    let mut extended = session(1, "ann", first);
    backend.save(&extended).await.unwrap();
    let plain = session(2, "ann", first);
    backend.save(&plain).await.unwrap();
    // Thirty seconds more: within the index's minute, so only the session itself records it.
    extended.info.expires_at = first + Duration::seconds(30);
    extended.data = br#"{"n":1}"#.to_vec();
    assert!(backend.update(&extended).await.unwrap());

    let between = first + Duration::seconds(10);
    assert_eq!(count(&backend, Status::Active, between).await, 1);
    assert_eq!(count(&backend, Status::Expired, between).await, 1);
    assert_eq!(count(&backend, Status::All, between).await, 2);

    // Purging at that moment ends only the session that really expired.
    assert_eq!(backend.purge_expired(between, 10).await.unwrap(), 1);
    assert!(backend.get(&plain.info.id).await.unwrap().is_none());
    let kept = backend.get(&extended.info.id).await.unwrap().unwrap();
    assert_eq!(kept.info.expires_at, first + Duration::seconds(30));
    assert_eq!(kept.data, br#"{"n":1}"#.to_vec());
    assert_eq!(count(&backend, Status::Active, between).await, 1);
    assert_eq!(
        backend.user_sessions("ann", between).await.unwrap().len(),
        1
    );

    // After the real expiry it goes too.
    let after = first + Duration::seconds(31);
    assert_eq!(count(&backend, Status::Expired, after).await, 1);
    assert_eq!(backend.purge_expired(after, 10).await.unwrap(), 1);
    assert_eq!(count(&backend, Status::All, after).await, 0);
    backend.clear().await.unwrap();
}

#[tokio::test]
async fn a_purge_stops_at_its_limit_and_resumes() {
    let Some(db) = TestDatabase::redis().await else {
        return;
    };
    let backend = RedisBackend::open(db.url()).await.unwrap();
    backend.migrate().await.unwrap();
    let expired = now() - Duration::minutes(5);
    let sessions: Vec<StoredSession> = (0..25).map(|n| session(n, "bob", expired)).collect();
    for s in &sessions {
        backend.save(s).await.unwrap();
    }
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap(), 10);
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap(), 10);
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap(), 5);
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap(), 0);
    assert!(
        backend
            .user_sessions("bob", expired)
            .await
            .unwrap()
            .is_empty()
    );
    backend.clear().await.unwrap();
}
