//! The conformance suite against the PostgreSQL backend's partitioned layout, each case in a
//! schema of its own (`TEST_POSTGRES_URL`; ignored when unset).
#![cfg(feature = "postgres")]

user_sessions::conformance_tests!(
    #[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
    async {
        let db = user_sessions::test_servers::TestDatabase::postgres().await?;
        let url = format!("{}&layout=partitioned", db.url());
        let store = user_sessions::Store::open(&url)
            .await
            .expect("TEST_POSTGRES_URL is set but the server cannot be used");
        store
            .migrate()
            .await
            .expect("migrating the partitioned layout failed");
        Some((store, db))
    }
);
