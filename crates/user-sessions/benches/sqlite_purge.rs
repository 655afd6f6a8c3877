//! Purging 1 M expired sessions from SQLite while another task keeps loading live sessions.
//!
//! A load script rather than a criterion bench: each run needs a million fresh expired rows.
//! Prints each run's purge time and the slowest concurrent load, then the medians.
//!
//! `cargo bench -p user-sessions --bench sqlite_purge` (`PURGE_RUNS=5` for more runs)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use time::Duration as TimeDuration;
use time::OffsetDateTime;
use user_sessions::{PublicId, SessionRecord, Store};

const LIVE: u64 = 10_000;
const EXPIRED: u64 = 1_000_000;

fn session(n: u64, ttl: TimeDuration) -> SessionRecord {
    let mut r = SessionRecord::new(
        PublicId::from_secret(&n.to_le_bytes()),
        OffsetDateTime::now_utc() + ttl,
    );
    r.info.user_id = Some(format!("user-{}", n / 10));
    r.info.ip = Some(std::net::Ipv4Addr::from(0x0a00_0000 | (n as u32 & 0x00ff_ffff)).into());
    r.info.user_agent =
        Some("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0".into());
    r.data.insert(
        "axum-login.data".into(),
        serde_json::json!({"user_id": n / 10}),
    );
    r
}

async fn fill(store: &Store, from: u64, to: u64, ttl: TimeDuration) {
    for start in (from..to).step_by(20_000) {
        let batch: Vec<_> = (start..(start + 20_000).min(to))
            .map(|n| session(n, ttl))
            .collect();
        store.create_many(&batch).await.expect("bulk insert");
    }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let runs: usize = std::env::var("PURGE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("purge.db").display());
    let store = Store::open(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    fill(&store, 0, LIVE, TimeDuration::days(1)).await;

    let (mut purges, mut waits) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        fill(&store, LIVE, LIVE + EXPIRED, -TimeDuration::seconds(1)).await;
        let stop = Arc::new(AtomicBool::new(false));
        let worst = Arc::new(AtomicU64::new(0));
        let loads = Arc::new(AtomicU64::new(0));
        let reader = tokio::spawn({
            let (store, stop, worst, loads) =
                (store.clone(), stop.clone(), worst.clone(), loads.clone());
            async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    n = n.wrapping_add(7919);
                    let id = PublicId::from_secret(&(n % LIVE).to_le_bytes());
                    let start = Instant::now();
                    store.load(&id).await.expect("load").expect("live session");
                    worst.fetch_max(start.elapsed().as_micros() as u64, Ordering::Relaxed);
                    loads.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        let start = Instant::now();
        let purged = store.purge_expired().await.expect("purge");
        let elapsed = start.elapsed();
        stop.store(true, Ordering::Relaxed);
        reader.await.expect("reader");
        assert_eq!(purged, EXPIRED);
        let wait = Duration::from_micros(worst.load(Ordering::Relaxed));
        println!(
            "run {run}: purged {purged} expired sessions in {:.2} s; {} concurrent loads, the slowest took {:.1} ms",
            elapsed.as_secs_f64(),
            loads.load(Ordering::Relaxed),
            wait.as_secs_f64() * 1000.0
        );
        purges.push(elapsed);
        waits.push(wait);
    }
    println!(
        "median over {runs} runs: purge {:.2} s, slowest concurrent load {:.1} ms",
        median(purges).as_secs_f64(),
        median(waits).as_secs_f64() * 1000.0
    );
}
