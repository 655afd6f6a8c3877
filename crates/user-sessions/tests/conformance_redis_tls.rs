//! The conformance suite against a Redis server over TLS, each case in a key prefix of its own
//! (`TEST_REDIS_TLS_URL`, e.g. `rediss://127.0.0.1:6380?tls_ca_file=/path/ca.pem`; ignored when
//! unset).
#![cfg(feature = "redis-tls")]

user_sessions::conformance_tests!(
    #[cfg_attr(not(test_redis_tls), ignore = "set TEST_REDIS_TLS_URL to run")]
    async {
        let db = user_sessions::test_servers::TestDatabase::redis_tls().await?;
        let store = db.open_store().await;
        Some((store, db))
    }
);
