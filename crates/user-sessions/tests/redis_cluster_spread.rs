//! One store's sessions spread over every master of a Redis Cluster: 10 000 sessions of
//! 1 000 users, and each master holds at least a fifth of the session keys
//! (`TEST_REDIS_CLUSTER_URL`; ignored when unset; uses `redis-cli`).
#![cfg(feature = "redis")]

mod redis_cluster_support;

use std::collections::HashMap;

use redis_cluster_support::{first_node, master_of_slot, masters, redis_cli, slot_of};
use user_sessions::test_servers::TestDatabase;
use user_sessions::{Filter, PublicId, SessionRecord};

const SESSIONS: u64 = 10_000;
const USERS: u64 = 1_000;

fn record(n: u64) -> SessionRecord {
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let mut record = SessionRecord::new(
        PublicId::from_secret(format!("spread-{n}").as_bytes()),
        expires,
    );
    record.info.user_id = Some(format!("user-{}", n % USERS));
    record
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_redis_cluster), ignore = "set TEST_REDIS_CLUSTER_URL to run")]
async fn a_stores_sessions_spread_over_every_master() {
    let Some(db) = TestDatabase::redis_cluster().await else {
        eprintln!("skipped: TEST_REDIS_CLUSTER_URL is not set");
        return;
    };
    let store = db.open_store().await;
    let records: Vec<SessionRecord> = (0..SESSIONS).map(record).collect();
    for chunk in records.chunks(1_000) {
        assert_eq!(store.create_many(chunk).await.unwrap(), chunk.len() as u64);
    }

    // Count the session keys on each master (the prefix is this test's own).
    let url = std::env::var("TEST_REDIS_CLUSTER_URL").unwrap();
    let masters = masters(&first_node(&url));
    assert!(
        masters.len() >= 2,
        "a cluster of one master spreads nothing"
    );
    let pattern = format!("{}:s:{{*", db.name());
    let mut per_master = HashMap::new();
    for (address, _) in &masters {
        let keys = redis_cli(address, &["--scan", "--pattern", &pattern]);
        let count = keys.lines().filter(|line| !line.is_empty()).count();
        // Every key found on a master is one of its slots'.
        for key in keys.lines().take(50) {
            assert_eq!(master_of_slot(&masters, slot_of(key)), address, "{key}");
        }
        per_master.insert(address.clone(), count);
    }
    eprintln!("session keys per master: {per_master:?}");
    assert_eq!(per_master.values().sum::<usize>() as u64, SESSIONS);
    for (address, count) in &per_master {
        assert!(
            *count as u64 * 5 >= SESSIONS,
            "{address} holds {count} of {SESSIONS} session keys, less than 20 %"
        );
    }

    // The store still answers as one: counts, a user's sessions, a page, ending all.
    assert_eq!(store.count(&Filter::default()).await.unwrap(), SESSIONS);
    let sevens = store.user_sessions("user-7").await.unwrap();
    assert_eq!(sevens.len() as u64, SESSIONS / USERS);
    let page = store
        .list(&Filter::default(), &user_sessions::PageRequest::default())
        .await
        .unwrap();
    assert!(!page.sessions.is_empty());
    assert_eq!(
        store.end_all_user_sessions("user-7").await.unwrap(),
        SESSIONS / USERS
    );
    assert!(store.user_sessions("user-7").await.unwrap().is_empty());
    assert_eq!(
        store.count(&Filter::default()).await.unwrap(),
        SESSIONS - SESSIONS / USERS
    );
    drop(store);
    // Dropping the database guard deletes the prefix's keys on every master.
    let name = db.name().to_owned();
    drop(db);
    for (address, _) in &masters {
        let left = redis_cli(address, &["--scan", "--pattern", &format!("{name}:*")]);
        assert!(left.trim().is_empty(), "{address} kept keys: {left}");
    }
}
