//! SQLite backend benchmarks: single-session load (a different session each time, and the same
//! one again, which the read cache answers) and save, a user's sessions as the table grows to
//! 1 M rows, and ending all of a user's sessions. (Purging is measured by `sqlite_purge`.)
//!
//! `cargo bench -p user-sessions --bench sqlite`

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use time::Duration as TimeDuration;
use time::OffsetDateTime;
use tokio::runtime::Runtime;
use user_sessions::{PublicId, SessionRecord, Store};

const PER_USER: u64 = 10;
const CHUNK: u64 = 20_000;

fn secret(n: u64) -> PublicId {
    PublicId::from_secret(&n.to_le_bytes())
}

fn session(n: u64, ttl: TimeDuration) -> SessionRecord {
    let mut r = SessionRecord::new(secret(n), OffsetDateTime::now_utc() + ttl);
    r.info.user_id = Some(format!("user-{}", n / PER_USER));
    r.info.ip = Some(std::net::Ipv4Addr::from(0x0a00_0000 | (n as u32 & 0x00ff_ffff)).into());
    r.info.user_agent = Some(format!(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.{} Safari/605.1.15",
        n % 7
    ));
    r.info.last_activity -= TimeDuration::milliseconds((n % 86_400_000) as i64);
    r.data.insert(
        "axum-login.data".into(),
        serde_json::json!({"user_id": n / PER_USER}),
    );
    r
}

/// Inserts sessions `from..to` in transactions of `CHUNK` rows.
async fn fill(store: &Store, from: u64, to: u64, ttl: TimeDuration) {
    let mut start = from;
    while start < to {
        let end = (start + CHUNK).min(to);
        let batch: Vec<_> = (start..end).map(|n| session(n, ttl)).collect();
        store.create_many(&batch).await.expect("bulk insert");
        start = end;
    }
}

async fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    let url = format!("sqlite://{}", dir.path().join(name).display());
    let store = Store::open(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    store
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn queries(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = rt.block_on(open(&dir, "queries.db"));
    let mut rows = 0;
    let mut counter = 0u64;

    let mut group = c.benchmark_group("user_sessions");
    for size in [10_000u64, 100_000, 1_000_000] {
        rt.block_on(fill(&store, rows, size, TimeDuration::days(14)));
        rows = size;
        let users = size / PER_USER;
        group.bench_with_input(
            BenchmarkId::new("10 per user", size),
            &users,
            |b, &users| {
                b.to_async(&rt).iter(|| {
                    counter = counter
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let user = format!("user-{}", (counter >> 33) % users);
                    let store = store.clone();
                    async move {
                        let sessions = store.user_sessions(&user).await.expect("list");
                        assert_eq!(sessions.len(), PER_USER as usize);
                    }
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("one session at 1M rows");
    group.bench_function("load", |b| {
        b.to_async(&rt).iter(|| {
            counter = counter.wrapping_add(7919);
            let store = store.clone();
            let id = secret(counter % rows);
            async move { store.load(&id).await.expect("load").expect("present") }
        })
    });
    // The same session again and again, with nothing committed in between: SQLite's read
    // cache answers (the `load` above is nearly always a miss, 1 M sessions by a stride).
    let again = secret(rows / 2);
    group.bench_function("load the same session again", |b| {
        b.to_async(&rt).iter(|| {
            let store = store.clone();
            async move { store.load(&again).await.expect("load").expect("present") }
        })
    });
    group.bench_function("save", |b| {
        b.to_async(&rt).iter(|| {
            counter = counter.wrapping_add(7919);
            let store = store.clone();
            let mut record = session(counter % rows, TimeDuration::days(14));
            record.data.insert("counter".into(), counter.into());
            async move { store.save(&record).await.expect("save") }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("end all of a user's sessions at 1M rows");
    let mut next_user = 10_000_000u64;
    group.bench_function("10 sessions", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let store = store.clone();
            let first = next_user;
            next_user += iters;
            async move {
                let mut spent = Duration::ZERO;
                for user in first..first + iters {
                    fill(
                        &store,
                        user * PER_USER,
                        (user + 1) * PER_USER,
                        TimeDuration::days(1),
                    )
                    .await;
                    let start = Instant::now();
                    let ended = store
                        .end_all_user_sessions(&format!("user-{user}"))
                        .await
                        .expect("end all");
                    spent += start.elapsed();
                    assert_eq!(ended, PER_USER);
                }
                spent
            }
        })
    });
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
