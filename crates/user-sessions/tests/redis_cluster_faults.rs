//! A Redis Cluster with one master unresponsive (`CLIENT PAUSE`, as a hung or partitioned
//! node looks to clients): the stores on the other masters keep working, the store on that
//! master answers `Error::Unavailable` (a web layer's 503, never a 500) within its timeout, and
//! it works again once the master answers (`TEST_REDIS_CLUSTER_URL`; ignored when unset; uses
//! `redis-cli`).
#![cfg(feature = "redis")]

use std::process::Command;
use std::time::{Duration, Instant};

use user_sessions::test_servers::TestDatabase;
use user_sessions::{Error, OpenOptions, PublicId, SessionRecord, Store};

/// Runs `redis-cli` against one node; its standard output.
fn redis_cli(node: &str, args: &[&str]) -> String {
    let (host, port) = node.rsplit_once(':').expect("a node is host:port");
    let output = Command::new("redis-cli")
        .args(["-h", host, "-p", port])
        .args(args)
        .output()
        .expect("TEST_REDIS_CLUSTER_URL is set: redis-cli must be installed");
    assert!(output.status.success(), "redis-cli {args:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The master (`host:port`) serving the slot of a store's keys.
fn master_of(any_node: &str, key_prefix: &str) -> String {
    let slot: u16 = redis_cli(
        any_node,
        &["cluster", "keyslot", &format!("{{{key_prefix}}}")],
    )
    .trim()
    .parse()
    .expect("a slot number");
    for line in redis_cli(any_node, &["cluster", "nodes"]).lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 9 || !fields[2].contains("master") {
            continue;
        }
        let address = fields[1].split('@').next().unwrap_or_default();
        for range in &fields[8..] {
            let (low, high) = range.split_once('-').unwrap_or((range, range));
            if let (Ok(low), Ok(high)) = (low.parse::<u16>(), high.parse::<u16>())
                && (low..=high).contains(&slot)
            {
                return address.to_owned();
            }
        }
    }
    panic!("no master serves slot {slot}")
}

async fn open(db: &TestDatabase) -> Store {
    let options = OpenOptions::default().timeout(Duration::from_millis(500));
    let store = Store::open_with(db.url(), options).await.unwrap();
    store.migrate().await.unwrap();
    store
}

fn session(n: u8) -> SessionRecord {
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    SessionRecord::new(PublicId::from_bytes([n; 32]), expires)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_redis_cluster), ignore = "set TEST_REDIS_CLUSTER_URL to run")]
async fn one_unresponsive_master_makes_only_its_sessions_unavailable() {
    let Some(first) = TestDatabase::redis_cluster().await else {
        return;
    };
    let url = std::env::var("TEST_REDIS_CLUSTER_URL").unwrap();
    let node = url
        .trim_start_matches("redis-cluster://")
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_owned();
    // A second store whose keys live on another master.
    let paused = master_of(&node, first.name());
    let mut other = None;
    for _ in 0..32 {
        let db = TestDatabase::redis_cluster().await.unwrap();
        if master_of(&node, db.name()) != paused {
            other = Some(db);
            break;
        }
    }
    let other = other.expect("32 prefixes all hashed to one master");
    let (affected, unaffected) = (open(&first).await, open(&other).await);
    affected.save(&session(1)).await.unwrap();
    unaffected.save(&session(2)).await.unwrap();

    // Paused for six times the store's timeout: an answer other than Unavailable would mean
    // the store waited the pause out.
    redis_cli(&paused, &["client", "pause", "3000", "all"]);
    match affected.get(&PublicId::from_bytes([1; 32])).await {
        Err(Error::Unavailable(_)) => {}
        other => panic!("expected Error::Unavailable from the paused master, got {other:?}"),
    }
    assert!(
        unaffected
            .get(&PublicId::from_bytes([2; 32]))
            .await
            .unwrap()
            .is_some(),
        "a store on another master kept working"
    );

    // Back again: the same store works without being reopened.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match affected.get(&PublicId::from_bytes([1; 32])).await {
            Ok(found) => {
                assert!(found.is_some());
                break;
            }
            Err(error) if Instant::now() < deadline => {
                eprintln!("not yet back: {error}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("the store did not recover: {error}"),
        }
    }
}
