//! The PostgreSQL schema, as numbered migrations embedded in the crate.

/// `(version, description, SQL)`, applied in order, all in one transaction.
pub(super) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "sessions as rows",
        // `COLLATE "C"` makes the IP prefix search a byte-wise range scan of its index, whatever
        // the database's locale.
        r#"CREATE TABLE user_sessions (
        id BYTEA PRIMARY KEY CHECK (octet_length(id) = 32),
        user_id TEXT COLLATE "C",
        ip TEXT COLLATE "C",
        user_agent TEXT,
        client_hints TEXT,
        data BYTEA NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        last_activity TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        authenticated_at TIMESTAMPTZ
    );
    CREATE INDEX user_sessions_user ON user_sessions (user_id, last_activity);
    CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);
    CREATE INDEX user_sessions_activity ON user_sessions (last_activity, id);
    CREATE INDEX user_sessions_ip ON user_sessions (ip);"#,
    ),
    (
        2,
        "index an expiry mark instead of the expiry, so that saves can be HOT updates",
        // See `sql::EXPIRY_MARK_SLACK`. The fill factor leaves room on each page for the new
        // versions of its rows, which HOT updates need.
        r#"ALTER TABLE user_sessions ADD COLUMN expiry_mark TIMESTAMPTZ;
    UPDATE user_sessions SET expiry_mark = expires_at;
    ALTER TABLE user_sessions ALTER COLUMN expiry_mark SET NOT NULL;
    DROP INDEX user_sessions_expiry;
    CREATE INDEX user_sessions_expiry_mark ON user_sessions (expiry_mark);
    ALTER TABLE user_sessions SET (fillfactor = 85);"#,
    ),
    (3, DEVICE_HISTORY_DESCRIPTION, DEVICE_HISTORY),
];

/// What [`DEVICE_HISTORY`] does (both layouts apply it, under their own version).
pub(super) const DEVICE_HISTORY_DESCRIPTION: &str =
    "a per-user device history that outlives the sessions";

/// The per-user device history: one row per user, device and network, with when it was last
/// used. The same table in both layouts.
pub(super) const DEVICE_HISTORY: &str = r#"CREATE TABLE user_session_devices (
        user_id TEXT COLLATE "C" NOT NULL,
        device TEXT NOT NULL,
        network TEXT COLLATE "C" NOT NULL,
        last_used TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (user_id, device, network)
    );
    CREATE INDEX user_session_devices_user ON user_session_devices (user_id, last_used);
    CREATE INDEX user_session_devices_last_used ON user_session_devices (last_used);"#;

/// Bookkeeping of applied migrations.
pub(super) const CREATE_MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS user_sessions_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
)";

/// The advisory lock that serializes concurrent `migrate` calls (any number, fixed).
pub(super) const MIGRATION_LOCK: i64 = 0x7573_6573_7369_6f6e;
