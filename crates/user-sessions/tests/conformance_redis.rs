//! The conformance suite against the Redis backend, each case in a key prefix of its own
//! (`TEST_REDIS_URL`; ignored when unset).
#![cfg(feature = "redis")]

user_sessions::conformance_tests!(
    #[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
    async {
        let db = user_sessions::test_servers::TestDatabase::redis().await?;
        let store = db.open_store().await;
        Some((store, db))
    }
);

/// The same suite through the in-process cache: a cached store behaves as the backend behind it.
mod cached {
    user_sessions::conformance_tests!(
        #[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
        async {
            let db = user_sessions::test_servers::TestDatabase::redis().await?;
            let store = db
                .open_store()
                .await
                .with_cache(user_sessions::cache::CacheOptions::default());
            Some((store, db))
        }
    );
}
