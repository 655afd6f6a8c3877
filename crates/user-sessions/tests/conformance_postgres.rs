//! The conformance suite against the PostgreSQL backend, each case in a schema of its own
//! (`TEST_POSTGRES_URL`; ignored when unset).
#![cfg(feature = "postgres")]

user_sessions::conformance_tests!(
    #[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
    async {
        let db = user_sessions::test_servers::TestDatabase::postgres().await?;
        let store = db.open_store().await;
        Some((store, db))
    }
);

/// The same suite through the in-process cache: a cached store behaves as the backend behind it.
mod cached {
    user_sessions::conformance_tests!(
        #[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
        async {
            let db = user_sessions::test_servers::TestDatabase::postgres().await?;
            let store = db
                .open_store()
                .await
                .with_cache(user_sessions::cache::CacheOptions::default());
            Some((store, db))
        }
    );
}
