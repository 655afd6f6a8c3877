//! The conformance suite against the MySQL / MariaDB backend, each case in a database of its own
//! (`TEST_MYSQL_URL`; ignored when unset).
#![cfg(feature = "mysql")]

user_sessions::conformance_tests!(
    #[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
    async {
        let db = user_sessions::test_servers::TestDatabase::mysql().await?;
        let store = db.open_store().await;
        Some((store, db))
    }
);

/// The same suite through the in-process cache: a cached store behaves as the backend behind it.
mod cached {
    user_sessions::conformance_tests!(
        #[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
        async {
            let db = user_sessions::test_servers::TestDatabase::mysql().await?;
            let store = db
                .open_store()
                .await
                .with_cache(user_sessions::cache::CacheOptions::default());
            Some((store, db))
        }
    );
}
