//! Tells the tests which test servers this build was configured with: `cfg(test_postgres)`,
//! `cfg(test_mysql)`, `cfg(test_redis)`, `cfg(test_redis_cluster)` and `cfg(test_browser)` (the
//! demo's real-browser test) are set when `TEST_POSTGRES_URL`, `TEST_MYSQL_URL`,
//! `TEST_REDIS_URL`, `TEST_REDIS_CLUSTER_URL` and `TEST_BROWSER` are, and `cfg(test_redis_tls)`
//! when `TEST_REDIS_TLS_URL` is. Tests that need a server
//! are `#[ignore]`d (with the variable to set as the reason) without it, so cargo's summary
//! counts them as ignored, not passed.

fn main() {
    for (variable, cfg) in [
        ("TEST_POSTGRES_URL", "test_postgres"),
        ("TEST_MYSQL_URL", "test_mysql"),
        ("TEST_REDIS_URL", "test_redis"),
        ("TEST_REDIS_CLUSTER_URL", "test_redis_cluster"),
        ("TEST_REDIS_TLS_URL", "test_redis_tls"),
        ("TEST_BROWSER", "test_browser"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={variable}");
        if std::env::var_os(variable).is_some_and(|url| !url.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
