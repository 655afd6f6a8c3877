//! Server faults: connections dropped under load, and servers that cannot be reached.
//!
//! Every operation must either succeed or fail with `Error::Unavailable` — never panic, never
//! hang past the acquire timeout — and once the connections are back every operation succeeds
//! again with no session lost. (The real servers are never stopped: the tests drop their own
//! connections, point at a port where nothing listens, or talk through a proxy that stops
//! passing anything on.)
#![cfg(any(feature = "postgres", feature = "mysql", feature = "redis"))]
// With only the Redis feature, the dropped-connection helpers have no caller.
#![cfg_attr(
    not(any(feature = "postgres", feature = "mysql")),
    allow(dead_code, unused_imports)
)]

use std::time::Duration;

use time::OffsetDateTime;
use user_sessions::{Error, PublicId, SessionRecord, Store};

/// Far longer than any operation may take: reaching it means something hung.
const HANG: Duration = Duration::from_secs(30);
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

fn session(n: u32) -> SessionRecord {
    let mut record = SessionRecord::new(
        PublicId::from_secret(format!("fault-{n}").as_bytes()),
        OffsetDateTime::now_utc() + time::Duration::hours(1),
    );
    record.info.user_id = Some(format!("user-{}", n % 10));
    record.data.insert("n".into(), serde_json::json!(n));
    record
}

/// Runs `operation` with a hang guard; `Ok` or `Unavailable` pass, anything else fails.
async fn tolerate<T>(
    what: &str,
    operation: impl std::future::Future<Output = user_sessions::Result<T>>,
) -> bool {
    match tokio::time::timeout(HANG, operation).await {
        Err(_) => panic!("{what} hung for {HANG:?} while connections were dropped"),
        Ok(Ok(_)) => true,
        Ok(Err(Error::Unavailable(_))) => false,
        Ok(Err(other)) => panic!("{what} failed with {other:?}, expected Ok or Unavailable"),
    }
}

/// Saves and loads from several tasks while `drop_connections` runs repeatedly, then checks
/// that everything works and nothing was lost.
#[cfg(any(feature = "postgres", feature = "mysql"))]
async fn survives_dropped_connections(
    db: &user_sessions::test_servers::TestDatabase,
    store: Store,
) {
    let sessions: Vec<SessionRecord> = (0..200).map(session).collect();
    assert_eq!(store.create_many(&sessions).await.unwrap(), 200);

    let workers: Vec<_> = (0..4u32)
        .map(|worker| {
            let store = store.clone();
            let sessions = sessions.clone();
            tokio::spawn(async move {
                let (mut ok, mut unavailable) = (0u32, 0u32);
                for round in 0..150u32 {
                    let record = &sessions[((worker * 50 + round) % 200) as usize];
                    let succeeded = if round % 3 == 0 {
                        tolerate("save", store.save(record)).await
                    } else {
                        tolerate("load", async {
                            match store.load(&record.id).await? {
                                Some(loaded) => {
                                    assert_eq!(loaded.data, record.data);
                                    Ok(())
                                }
                                None => panic!("session {} vanished", record.id),
                            }
                        })
                        .await
                    };
                    if succeeded {
                        ok += 1
                    } else {
                        unavailable += 1
                    }
                    if round % 10 == 0 {
                        tolerate("user sessions", store.user_sessions("user-3")).await;
                    }
                }
                (ok, unavailable)
            })
        })
        .collect();

    let mut dropped = 0;
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(40)).await;
        dropped += db.drop_connections().await;
    }
    let (mut ok, mut unavailable) = (0, 0);
    for worker in workers {
        let (o, u) = worker.await.expect("worker panicked");
        ok += o;
        unavailable += u;
    }
    eprintln!(
        "dropped {dropped} connections; {ok} operations succeeded, {unavailable} unavailable"
    );
    assert!(dropped > 0, "the test dropped no connection");

    // Recovered: every operation succeeds, every session is there with its data.
    db.drop_connections().await;
    for record in &sessions {
        let loaded = tokio::time::timeout(HANG, store.load(&record.id))
            .await
            .expect("load hung after recovery")
            .expect("load failed after recovery")
            .expect("session lost");
        assert_eq!(loaded.data, record.data);
    }
    assert_eq!(store.user_sessions("user-3").await.unwrap().len(), 20);
    store.save(&session(999)).await.unwrap();
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_survives_dropped_connections() {
    let Some(db) = user_sessions::test_servers::TestDatabase::postgres().await else {
        return;
    };
    let store = db.open_store_with_pool(4, ACQUIRE_TIMEOUT).await;
    survives_dropped_connections(&db, store).await;
}

#[cfg(feature = "mysql")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
async fn mysql_survives_dropped_connections() {
    let Some(db) = user_sessions::test_servers::TestDatabase::mysql().await else {
        return;
    };
    let store = db.open_store_with_pool(4, ACQUIRE_TIMEOUT).await;
    survives_dropped_connections(&db, store).await;
}

/// A port where nothing listens (connection refused at once).
const NOBODY: &str = "127.0.0.1:9";

fn assert_unavailable<T: std::fmt::Debug>(result: user_sessions::Result<T>) {
    match result {
        Err(Error::Unavailable(_)) => {}
        other => panic!("expected Error::Unavailable, got {other:?}"),
    }
}

/// Unavailable, and the message says why — not only that a pool gave up waiting.
fn assert_refused<T: std::fmt::Debug>(result: user_sessions::Result<T>) {
    match result {
        Err(error @ Error::Unavailable(_)) => assert!(
            error
                .to_string()
                .to_lowercase()
                .contains("connection refused"),
            "{error}"
        ),
        other => panic!("expected Error::Unavailable, got {other:?}"),
    }
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn postgres_unreachable_is_unavailable_within_the_timeout() {
    use user_sessions::postgres::{PostgresBackend, PostgresOptions};
    let options = PostgresOptions {
        acquire_timeout: Duration::from_millis(500),
        ..PostgresOptions::default()
    };
    let url = format!("postgres://postgres@{NOBODY}/test");
    let result = tokio::time::timeout(HANG, PostgresBackend::open_with(&url, options))
        .await
        .expect("connecting hung past the acquire timeout");
    assert_refused(result);
}

#[cfg(feature = "mysql")]
#[tokio::test]
async fn mysql_unreachable_is_unavailable_within_the_timeout() {
    use user_sessions::mysql::{MysqlBackend, MysqlOptions};
    let options = MysqlOptions {
        acquire_timeout: Duration::from_millis(500),
        ..MysqlOptions::default()
    };
    let url = format!("mysql://root@{NOBODY}/test");
    let result = tokio::time::timeout(HANG, MysqlBackend::open_with(&url, options))
        .await
        .expect("connecting hung past the acquire timeout");
    assert_refused(result);
}

#[cfg(feature = "redis")]
#[tokio::test]
async fn redis_unreachable_is_unavailable_within_the_timeout() {
    use user_sessions::redis::{RedisBackend, RedisOptions};
    let options = RedisOptions {
        timeout: Duration::from_millis(500),
        ..RedisOptions::default()
    };
    let url = format!("redis://{NOBODY}");
    let result = tokio::time::timeout(HANG, RedisBackend::open_with(&url, options))
        .await
        .expect("connecting hung past the timeout");
    assert_refused(result);
}

/// A TCP proxy to a server that can freeze: while frozen it keeps every connection open but
/// passes nothing on, as a server that hangs would.
#[cfg(feature = "redis")]
struct FreezingProxy {
    address: std::net::SocketAddr,
    frozen: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

#[cfg(feature = "redis")]
impl FreezingProxy {
    async fn start(upstream: String) -> Self {
        use std::sync::Arc;
        use std::sync::atomic::AtomicBool;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let frozen = Arc::new(AtomicBool::new(false));
        let flag = frozen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else {
                    continue;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::spawn(Self::pass(client_read, server_write, flag.clone()));
                tokio::spawn(Self::pass(server_read, client_write, flag.clone()));
            }
        });
        FreezingProxy { address, frozen }
    }

    /// Copies `from` to `to`, holding what it read while frozen.
    async fn pass(
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        frozen: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) {
        use std::sync::atomic::Ordering;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut buffer = vec![0; 16 * 1024];
        loop {
            let n = match from.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            while frozen.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            if to.write_all(&buffer[..n]).await.is_err() {
                return;
            }
        }
    }

    fn freeze(&self, frozen: bool) {
        self.frozen
            .store(frozen, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A Redis server that stops answering (not closing its connections): operations fail with
/// `Unavailable` after the timeout instead of hanging, and work again, with nothing lost, once
/// it answers.
#[cfg(feature = "redis")]
#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn redis_that_hangs_is_unavailable_within_the_timeout_then_recovers() {
    let Some(db) = user_sessions::test_servers::TestDatabase::redis().await else {
        return;
    };
    redis_hangs_then_recovers(&db).await;
}

/// The same over TLS: the proxy passes the encrypted bytes on, or holds them.
#[cfg(feature = "redis-tls")]
#[tokio::test]
#[cfg_attr(not(test_redis_tls), ignore = "set TEST_REDIS_TLS_URL to run")]
async fn redis_over_tls_that_hangs_is_unavailable_within_the_timeout_then_recovers() {
    let Some(db) = user_sessions::test_servers::TestDatabase::redis_tls().await else {
        return;
    };
    redis_hangs_then_recovers(&db).await;
}

#[cfg(feature = "redis")]
async fn redis_hangs_then_recovers(db: &user_sessions::test_servers::TestDatabase) {
    use user_sessions::redis::{RedisBackend, RedisOptions};
    // scheme://host:port[/db][?query]: the proxy stands in for host:port.
    let (scheme, rest) = db.url().split_once("://").unwrap();
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let proxy = FreezingProxy::start(rest[..end].to_owned()).await;
    let url = format!("{scheme}://{}{}", proxy.address, &rest[end..]);
    let timeout = Duration::from_millis(300);
    let options = RedisOptions {
        timeout,
        ..RedisOptions::default()
    };
    let store = Store::new(RedisBackend::open_with(&url, options).await.unwrap());
    store.migrate().await.unwrap();
    let record = session(1);
    store.create(&record).await.unwrap();

    proxy.freeze(true);
    let started = std::time::Instant::now();
    let load = tokio::time::timeout(HANG, store.load(&record.id))
        .await
        .expect("a load hung while the server did not answer");
    assert_unavailable(load);
    assert!(started.elapsed() >= timeout, "{:?}", started.elapsed());
    let save = tokio::time::timeout(HANG, store.save(&session(2)))
        .await
        .expect("a save hung while the server did not answer");
    assert_unavailable(save);

    proxy.freeze(false);
    let mut loaded = None;
    for _ in 0..100 {
        if let Ok(Some(found)) = store.load(&record.id).await {
            loaded = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let loaded = loaded.expect("the store did not recover once the server answered again");
    assert_eq!(loaded.data, record.data);
}

#[cfg(feature = "redis-tls")]
#[tokio::test]
async fn redis_over_tls_unreachable_is_unavailable_within_the_timeout() {
    use user_sessions::redis::{RedisBackend, RedisOptions};
    let options = RedisOptions {
        timeout: Duration::from_millis(500),
        ..RedisOptions::default()
    };
    let url = format!("rediss://{NOBODY}");
    let result = tokio::time::timeout(HANG, RedisBackend::open_with(&url, options))
        .await
        .expect("connecting hung past the timeout");
    assert_unavailable(result);
}

/// A TLS server whose certificate chains to no trusted root (here: the test server's own CA
/// not named) is never used: opening fails, within the timeout.
#[cfg(feature = "redis-tls")]
#[tokio::test]
#[cfg_attr(not(test_redis_tls), ignore = "set TEST_REDIS_TLS_URL to run")]
async fn redis_over_tls_refuses_an_untrusted_certificate() {
    use user_sessions::redis::{RedisBackend, RedisOptions};
    let Some(db) = user_sessions::test_servers::TestDatabase::redis_tls().await else {
        return;
    };
    let (base, query) = db.url().split_once('?').unwrap_or((db.url(), ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("tls_ca_file="))
        .collect();
    assert!(
        db.url().contains("tls_ca_file="),
        "TEST_REDIS_TLS_URL names the server's CA file"
    );
    let url = format!("{base}?{}", kept.join("&"));
    let options = RedisOptions {
        timeout: Duration::from_millis(500),
        ..RedisOptions::default()
    };
    let result = tokio::time::timeout(HANG, RedisBackend::open_with(&url, options))
        .await
        .expect("connecting hung past the timeout");
    assert!(
        result.is_err(),
        "a certificate no trusted root signs was accepted"
    );
}
