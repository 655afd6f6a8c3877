//! The SQLite schema, as numbered migrations embedded in the crate.

/// `(version, description, SQL)`, applied in order, each in its own transaction.
pub(super) const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "sessions as rows",
    "CREATE TABLE user_sessions (
        id BLOB PRIMARY KEY NOT NULL,
        user_id TEXT,
        ip TEXT,
        user_agent TEXT,
        client_hints TEXT,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        last_activity INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        authenticated_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX user_sessions_user ON user_sessions (user_id, last_activity);
    CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);
    CREATE INDEX user_sessions_activity ON user_sessions (last_activity, id);
    CREATE INDEX user_sessions_ip ON user_sessions (ip);",
)];

/// Bookkeeping of applied migrations.
pub(super) const CREATE_MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS user_sessions_migrations (
    version INTEGER PRIMARY KEY NOT NULL,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL
)";
