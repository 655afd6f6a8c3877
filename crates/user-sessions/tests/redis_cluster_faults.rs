//! A Redis Cluster with one master stopped (`SIGSTOP`, as a hung or partitioned node looks to
//! clients): sessions whose keys live on the other masters keep working (load, save, end),
//! those on the stopped master answer `Error::Unavailable` (what web layers answer 503 for,
//! never 500) within the store's timeout, and all of them work again once it continues
//! (`SIGCONT`, its data kept).
//!
//! The test starts a three-master cluster of its own on free loopback ports — it never stops
//! a node of a shared one — and kills it at the end, panics included. It runs when
//! `TEST_REDIS_CLUSTER_URL` is set (which means `redis-server` and `redis-cli` are installed);
//! ignored otherwise.
#![cfg(feature = "redis")]

mod redis_cluster_support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redis_cluster_support::{master_of_slot, masters, redis_cli, slot_of};
use user_sessions::{Error, OpenOptions, PublicId, SessionRecord, Store};

/// Three `redis-server`s in cluster mode, each in a directory of its own; killed on drop.
struct OwnCluster {
    nodes: Vec<(String, Child)>,
    _dir: tempfile::TempDir,
}

impl OwnCluster {
    fn start() -> OwnCluster {
        let dir = tempfile::tempdir().unwrap();
        let mut nodes = Vec::new();
        for n in 0..3 {
            // A free port: bind, read it, release it (redis-server binds it right after).
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let node_dir = dir.path().join(format!("node{n}"));
            std::fs::create_dir(&node_dir).unwrap();
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args([
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                ])
                // The live masters keep serving their slots while one is down.
                .args(["--cluster-require-full-coverage", "no"])
                .args(["--cluster-node-timeout", "2000"])
                .args(["--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(&node_dir)
                .stdout(Stdio::null())
                .spawn()
                .expect("TEST_REDIS_CLUSTER_URL is set: redis-server must be installed");
            nodes.push((format!("127.0.0.1:{port}"), child));
        }
        let cluster = OwnCluster { nodes, _dir: dir };
        for (address, _) in &cluster.nodes {
            wait_for(|| ping(address), "a node to answer");
        }
        let addresses: Vec<&str> = cluster.nodes.iter().map(|(a, _)| a.as_str()).collect();
        let mut create = vec!["--cluster", "create"];
        create.extend(&addresses);
        create.push("--cluster-yes");
        redis_cli(addresses[0], &create);
        for address in &addresses {
            wait_for(
                || {
                    redis_cli(address, &["cluster", "info"]).contains("cluster_state:ok")
                        && masters(address)
                            .iter()
                            .filter(|(_, r)| !r.is_empty())
                            .count()
                            == 3
                },
                "the cluster to form",
            );
        }
        cluster
    }

    fn url(&self) -> String {
        let mut url = format!("redis-cluster://{}", self.nodes[0].0);
        for (n, (address, _)) in self.nodes.iter().enumerate().skip(1) {
            url.push(if n == 1 { '?' } else { '&' });
            url.push_str(&format!("node={address}"));
        }
        url
    }

    fn signal(&self, address: &str, signal: &str) {
        let (_, child) = self
            .nodes
            .iter()
            .find(|(a, _)| a == address)
            .expect("a node of this cluster");
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill {signal} failed");
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        for (_, child) in &mut self.nodes {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn ping(address: &str) -> bool {
    let (host, port) = address.rsplit_once(':').unwrap();
    Command::new("redis-cli")
        .args(["-h", host, "-p", port, "ping"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("PONG"))
}

/// Polls `ready` until it holds; panics after a minute.
fn wait_for(mut ready: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn record(n: u32) -> SessionRecord {
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    SessionRecord::new(
        PublicId::from_secret(format!("fault-{n}").as_bytes()),
        expires,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_redis_cluster), ignore = "set TEST_REDIS_CLUSTER_URL to run")]
async fn one_stopped_master_makes_only_its_sessions_unavailable() {
    if std::env::var_os("TEST_REDIS_CLUSTER_URL").is_none() {
        eprintln!("skipped: TEST_REDIS_CLUSTER_URL is not set");
        return;
    }
    let cluster = OwnCluster::start();
    let options = OpenOptions::default().timeout(Duration::from_millis(500));
    let store = Store::open_with(&cluster.url(), options).await.unwrap();
    store.migrate().await.unwrap();

    // Anonymous sessions: each lives in its own slot and in one bucket of the indexes.
    let masters = masters(&cluster.nodes[0].0);
    let stopped = cluster.nodes[1].0.clone();
    let prefix = "user-sessions";
    let place = |r: &SessionRecord| {
        let session = slot_of(&format!("{prefix}:s:{{{}}}", r.id));
        let bucket = slot_of(&format!(
            "{prefix}:a:{{{prefix}#{}}}",
            r.id.as_bytes()[0] % 16
        ));
        (
            master_of_slot(&masters, session).to_owned(),
            master_of_slot(&masters, bucket).to_owned(),
        )
    };
    let mut affected = Vec::new();
    let mut unaffected = Vec::new();
    for n in 0..200 {
        let r = record(n);
        let (session, bucket) = place(&r);
        if session == stopped {
            affected.push(r);
        } else if bucket != stopped {
            unaffected.push(r);
        }
    }
    assert!(!affected.is_empty() && unaffected.len() >= 3);
    for r in affected.iter().chain(&unaffected) {
        assert!(store.create(r).await.unwrap());
    }

    // A panic from here on kills the cluster, stopped node included (the guard's drop).
    cluster.signal(&stopped, "-STOP");
    // The other masters' sessions: loaded, saved (the common save is one command on the
    // session's own master), ended.
    for r in &unaffected[..2] {
        let mut loaded = store.load(&r.id).await.unwrap().expect("still there");
        loaded.data.insert("n".into(), 1.into());
        assert!(store.update(&loaded).await.unwrap());
        let again = store.load(&r.id).await.unwrap().unwrap();
        assert_eq!(again.data.get("n"), Some(&1.into()));
    }
    assert!(store.delete(&unaffected[2].id).await.unwrap());
    assert!(store.load(&unaffected[2].id).await.unwrap().is_none());
    // The stopped master's: unavailable, which web layers answer with 503.
    for r in affected.iter().take(3) {
        match store.load(&r.id).await {
            Err(Error::Unavailable(_)) => {}
            other => panic!("expected Error::Unavailable from the stopped master, got {other:?}"),
        }
    }
    cluster.signal(&stopped, "-CONT");

    // Back: the same store serves every session again, without being reopened.
    let deadline = Instant::now() + Duration::from_secs(30);
    for r in &affected {
        loop {
            match store.load(&r.id).await {
                Ok(found) => {
                    assert!(found.is_some(), "the master kept its data");
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
    assert!(store.delete(&affected[0].id).await.unwrap());
    drop(store);
    drop(cluster);
}
