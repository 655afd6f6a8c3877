//! The conformance suite against the SQLite backend: a database file (WAL, pool), the same
//! without its read cache, and in memory.

mod file {
    user_sessions::conformance_tests!(async {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let store = user_sessions::Store::open(&url)
            .await
            .expect("open SQLite file");
        store.migrate().await.expect("migrate");
        Some((store, dir))
    });
}

/// Every read asks SQLite (`read_cache: 0`): the path a miss of the read cache takes.
mod file_without_read_cache {
    user_sessions::conformance_tests!(async {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let options = user_sessions::sqlite::SqliteOptions {
            read_cache: 0,
            ..Default::default()
        };
        let backend = user_sessions::sqlite::SqliteBackend::open_with(&url, options)
            .await
            .expect("open SQLite file");
        let store = user_sessions::Store::new(backend);
        store.migrate().await.expect("migrate");
        Some((store, dir))
    });
}

mod memory {
    user_sessions::conformance_tests!(async {
        let store = user_sessions::Store::open("sqlite::memory:")
            .await
            .expect("open SQLite in memory");
        store.migrate().await.expect("migrate");
        Some((store, ()))
    });
}

/// The same suite through the in-process cache: a cached store behaves as the backend behind it.
mod cached {
    user_sessions::conformance_tests!(async {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let store = user_sessions::Store::open(&url)
            .await
            .expect("open SQLite file")
            .with_cache(user_sessions::cache::CacheOptions::default());
        store.migrate().await.expect("migrate");
        Some((store, dir))
    });
}
