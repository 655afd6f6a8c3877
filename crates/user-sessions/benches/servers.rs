//! Load, save and a user's sessions with 1 000 000 sessions (100 000 users × 10) on PostgreSQL,
//! Redis and a Redis Cluster.
//!
//! ```text
//! TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test TEST_REDIS_URL=redis://127.0.0.1:6379 \
//! TEST_REDIS_CLUSTER_URL='redis-cluster://127.0.0.1:7001?node=127.0.0.1:7002&node=127.0.0.1:7003' \
//!     cargo bench -p user-sessions --features postgres,redis --bench servers
//! ```
//!
//! A backend whose variable is unset is skipped. On Redis the bulk load also prints the memory
//! it took (`INFO memory`'s `used_memory` before and after, per session; on a cluster summed
//! over the masters) and `MEMORY USAGE` of one session key and one user index. Each run fills a schema / key prefix of its
//! own (PostgreSQL with one `INSERT … SELECT generate_series`, Redis with pipelined creates)
//! and removes it at the end. `BENCH_ROWS` overrides the number of sessions.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use time::OffsetDateTime;
use tokio::runtime::Runtime;
use user_sessions::test_servers::TestDatabase;
use user_sessions::{PublicId, SessionRecord, Store};

const SESSIONS_PER_USER: u64 = 10;

fn rows() -> u64 {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Session `n` of the bulk load: its id is the SHA-256 of `bench-{n}`, its user `user-{n / 10}`.
fn record(n: u64) -> SessionRecord {
    let now = OffsetDateTime::now_utc();
    let mut record = SessionRecord::new(
        PublicId::from_secret(format!("bench-{n}").as_bytes()),
        now + time::Duration::days(1),
    );
    record.info.user_id = Some(format!("user-{}", n / SESSIONS_PER_USER));
    record.info.ip = Some(
        format!("10.{}.{}.1", n % 256, (n / 256) % 256)
            .parse()
            .unwrap(),
    );
    record.info.user_agent = Some("Mozilla/5.0 (X11; Linux x86_64) bench".into());
    record.info.created_at -= time::Duration::hours(1);
    record.info.last_activity -= time::Duration::seconds((n % 3600) as i64);
    record
}

async fn fill_postgres(db: &TestDatabase, rows: u64) {
    use user_sessions::postgres::{PostgresBackend, sqlx};
    let backend = PostgresBackend::open(db.url()).await.unwrap();
    let insert = "INSERT INTO user_sessions (id, user_id, ip, user_agent, client_hints, data, \
         created_at, last_activity, expires_at, authenticated_at, expiry_mark) \
         SELECT sha256(convert_to('bench-' || g, 'UTF8')), 'user-' || (g / 10), \
                '10.' || (g % 256) || '.' || ((g / 256) % 256) || '.1', \
                'Mozilla/5.0 (X11; Linux x86_64) bench', NULL, convert_to('{}', 'UTF8'), \
                now() - interval '1 hour', now() - (g % 3600) * interval '1 second', \
                now() + interval '1 day', NULL, now() + interval '1 day' \
         FROM generate_series(0, $1 - 1) AS g";
    sqlx::query(insert)
        .bind(rows as i64)
        .execute(backend.pool())
        .await
        .unwrap();
    sqlx::query("ANALYZE user_sessions")
        .execute(backend.pool())
        .await
        .unwrap();
}

async fn fill_redis(store: &Store, rows: u64) {
    let mut n = 0;
    while n < rows {
        let batch: Vec<SessionRecord> = (n..(n + 10_000).min(rows)).map(record).collect();
        store.create_many(&batch).await.unwrap();
        n += batch.len() as u64;
    }
}

/// A client of the server (or every master) a test database's URL names.
async fn redis_client(db: &TestDatabase) -> fred::prelude::Client {
    use fred::prelude::{ClientLike, Config};
    let (server, _) = db.url().split_once('?').unwrap_or((db.url(), ""));
    let client = fred::prelude::Client::new(Config::from_url(server).unwrap(), None, None, None);
    client.init().await.unwrap();
    client
}

/// `used_memory`, summed over the masters of a cluster.
async fn used_memory(client: &fred::prelude::Client) -> i64 {
    use fred::prelude::ClientLike;
    let mut total = 0;
    for server in client.active_connections() {
        let cmd = fred::types::CustomCommand::new("INFO", None::<u16>, false);
        let info: String = client
            .with_cluster_node(server)
            .custom(cmd, vec!["memory"])
            .await
            .unwrap();
        total += info
            .lines()
            .find_map(|line| line.strip_prefix("used_memory:"))
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(0);
    }
    total
}

/// `MEMORY USAGE` of one key.
async fn memory_usage(client: &fred::prelude::Client, key: String) -> i64 {
    use fred::prelude::ClientLike;
    let cmd = fred::types::CustomCommand::new("MEMORY", key.as_str(), false);
    client
        .custom(cmd, vec!["USAGE".to_owned(), key.clone()])
        .await
        .unwrap_or(-1)
}

/// Fills a Redis store, printing what it took.
async fn fill_redis_measured(name: &str, db: &TestDatabase, store: &Store, rows: u64) {
    let client = redis_client(db).await;
    let before = used_memory(&client).await;
    let started = Instant::now();
    fill_redis(store, rows).await;
    eprintln!(
        "{name}: loaded {rows} sessions in {:.1?}",
        started.elapsed()
    );
    let after = used_memory(&client).await;
    let prefix = db.name();
    let session = PublicId::from_secret(b"bench-3");
    eprintln!(
        "{name}: used_memory {before} -> {after}: {} bytes per session; MEMORY USAGE of a \
         session key {} bytes, of a user index (10 sessions) {} bytes",
        (after - before) / rows as i64,
        memory_usage(&client, format!("{prefix}:s:{{{session}}}")).await,
        memory_usage(&client, format!("{prefix}:u:{{user-0}}")).await,
    );
}

fn run(c: &mut Criterion, runtime: &Runtime, name: &str, store: &Store, rows: u64) {
    let users = rows / SESSIONS_PER_USER;
    // Sanity outside the timings: the data is there.
    runtime.block_on(async {
        let sessions = store.user_sessions("user-7").await.unwrap();
        assert_eq!(
            sessions.len() as u64,
            SESSIONS_PER_USER,
            "bulk load incomplete"
        );
        assert!(store.load(&record(3).id).await.unwrap().is_some());
    });
    let mut group = c.benchmark_group(format!("{name}/{rows}"));
    let counter = AtomicU64::new(0);
    // Spread over the table so that the cache of one page does not decide the figure.
    let next = || counter.fetch_add(7_919, Ordering::Relaxed) % rows;
    group.bench_function("load", |b| {
        b.to_async(runtime).iter(|| async {
            let id = PublicId::from_secret(format!("bench-{}", next()).as_bytes());
            store.load(&id).await.unwrap().unwrap()
        })
    });
    group.bench_function("save", |b| {
        b.to_async(runtime).iter(|| async {
            let mut r = record(next());
            r.info.last_activity = time::OffsetDateTime::now_utc();
            store.save(&r).await.unwrap()
        })
    });
    group.bench_function("user_sessions_10", |b| {
        b.to_async(runtime).iter(|| async {
            let user = format!("user-{}", next() % users);
            let sessions = store.user_sessions(&user).await.unwrap();
            debug_assert_eq!(sessions.len() as u64, SESSIONS_PER_USER);
            sessions
        })
    });
    group.finish();
}

fn servers(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let rows = rows();
    if let Some(db) = runtime.block_on(TestDatabase::postgres()) {
        let store = runtime.block_on(db.open_store());
        let started = Instant::now();
        runtime.block_on(fill_postgres(&db, rows));
        eprintln!(
            "postgres: loaded {rows} sessions in {:.1?}",
            started.elapsed()
        );
        run(c, &runtime, "postgres", &store, rows);
        drop(store);
        drop(db);
    }
    for (name, db) in [
        ("redis", runtime.block_on(TestDatabase::redis())),
        (
            "redis-cluster",
            runtime.block_on(TestDatabase::redis_cluster()),
        ),
    ] {
        let Some(db) = db else { continue };
        let store = runtime.block_on(db.open_store());
        runtime.block_on(fill_redis_measured(name, &db, &store, rows));
        run(c, &runtime, name, &store, rows);
        drop(store);
        drop(db);
    }
}

criterion_group!(benches, servers);
criterion_main!(benches);
