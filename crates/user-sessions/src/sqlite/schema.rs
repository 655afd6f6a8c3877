//! The SQLite schema, as numbered migrations embedded in the crate.

/// `(version, description, SQL)`, applied in order, each in its own transaction.
///
/// Rows live in a rowid table, so they are stored in insertion order: inserts append, and the
/// expired sessions a purge removes sit together instead of all over the file. The public id is
/// a unique index beside it.
pub(super) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "sessions as rows",
    "CREATE TABLE user_sessions (
        row INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        user_id TEXT,
        ip TEXT,
        user_agent TEXT,
        client_hints TEXT,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        last_activity INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        authenticated_at INTEGER
    );
    CREATE INDEX user_sessions_user ON user_sessions (user_id, last_activity);
    CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);
    CREATE INDEX user_sessions_activity ON user_sessions (last_activity, id);
    CREATE INDEX user_sessions_ip ON user_sessions (ip);",
    ),
    (
        2,
        "admin listing walks one index",
        // The admin list reads sessions newest activity first and filters them by expiry, user
        // and IP. With those columns in the activity index, a filtered page is read from the
        // index alone (the table only for the rows shown), however deep the page.
        "DROP INDEX IF EXISTS user_sessions_activity;
    CREATE INDEX user_sessions_listing ON user_sessions (last_activity, id, expires_at, user_id, ip);",
    ),
    (
        3,
        "a per-user device history that outlives the sessions",
        // Without rowid: the table is its primary key, so a user's entries sit together.
        "CREATE TABLE user_session_devices (
        user_id TEXT NOT NULL,
        device TEXT NOT NULL,
        network TEXT NOT NULL,
        last_used INTEGER NOT NULL,
        PRIMARY KEY (user_id, device, network)
    ) WITHOUT ROWID;
    CREATE INDEX user_session_devices_user ON user_session_devices (user_id, last_used);
    CREATE INDEX user_session_devices_last_used ON user_session_devices (last_used);",
    ),
];

/// Bookkeeping of applied migrations.
pub(super) const CREATE_MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS user_sessions_migrations (
    version INTEGER PRIMARY KEY NOT NULL,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL
)";
