//! The MySQL / MariaDB schema, as numbered migrations embedded in the crate.

/// `(version, description, statements)`, applied in order. MySQL commits DDL implicitly, so a
/// migration is recorded only after all its statements succeeded, and each statement is
/// written to be safe to run again.
pub(super) const MIGRATIONS: &[(i64, &str, &[&str])] = &[
    (
        1,
        "sessions as rows",
        // User ids and IPs are binary strings: compared byte for byte (no collation, no trailing
        // space padding), so the IP prefix search is a range scan of its index.
        &["CREATE TABLE IF NOT EXISTS user_sessions (
        id BINARY(32) NOT NULL,
        user_id VARBINARY(1024) NULL,
        ip VARBINARY(64) NULL,
        user_agent TEXT NULL,
        client_hints TEXT NULL,
        data LONGBLOB NOT NULL,
        created_at DATETIME(3) NOT NULL,
        last_activity DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        authenticated_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        KEY user_sessions_user (user_id, last_activity),
        KEY user_sessions_expiry (expires_at),
        KEY user_sessions_activity (last_activity, id),
        KEY user_sessions_ip (ip)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"],
    ),
    (
        2,
        "a per-user device history that outlives the sessions",
        // Binary strings, as the sessions' user ids: compared byte for byte. The primary key
        // (at most 2 112 bytes) fits InnoDB's limit of 3 072.
        &["CREATE TABLE IF NOT EXISTS user_session_devices (
        user_id VARBINARY(1024) NOT NULL,
        device VARBINARY(1024) NOT NULL,
        network VARBINARY(64) NOT NULL,
        last_used DATETIME(3) NOT NULL,
        PRIMARY KEY (user_id, device, network),
        KEY user_session_devices_user (user_id, last_used),
        KEY user_session_devices_last_used (last_used)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"],
    ),
];

/// Bookkeeping of applied migrations.
pub(super) const CREATE_MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS user_sessions_migrations (
    version BIGINT NOT NULL PRIMARY KEY,
    description VARCHAR(255) NOT NULL,
    applied_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4";
