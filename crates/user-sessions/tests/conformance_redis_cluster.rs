//! The conformance suite against a Redis Cluster, each case in a key prefix of its own
//! (`TEST_REDIS_CLUSTER_URL`, e.g. `redis-cluster://127.0.0.1:7001?node=127.0.0.1:7002`;
//! ignored when unset).
#![cfg(feature = "redis")]

user_sessions::conformance_tests!(
    #[cfg_attr(not(test_redis_cluster), ignore = "set TEST_REDIS_CLUSTER_URL to run")]
    async {
        let db = user_sessions::test_servers::TestDatabase::redis_cluster().await?;
        let store = db.open_store().await;
        Some((store, db))
    }
);
