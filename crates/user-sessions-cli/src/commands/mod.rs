//! One module per subcommand.

pub mod clear;
pub mod humanize;
pub mod import;
pub mod migrate;
pub mod sessions;
pub mod stats;

use user_sessions::Store;

use crate::cli::Database;
use crate::failure::Failure;

/// Opens the store a command works on; `migrated` also checks that the schema is current.
pub async fn open(database: &Database, migrated: bool) -> Result<Store, Failure> {
    let url = database.url.as_deref().ok_or_else(|| {
        Failure::Error("no database: pass --database-url or set DATABASE_URL".into())
    })?;
    // Only `migrate` may create a SQLite file; elsewhere a mistyped path is an error.
    let url = if !migrated
        || !url.starts_with("sqlite:")
        || url.contains(":memory:")
        || url.contains('?')
    {
        url.to_owned()
    } else {
        format!("{url}?mode=rw")
    };
    let store = Store::open(&url).await?;
    if migrated {
        let pending = store.pending_migrations().await?;
        if pending > 0 {
            return Err(user_sessions::Error::NotMigrated.into());
        }
    }
    Ok(store)
}

/// A timestamp as people read it in a terminal: `2026-11-28 14:03:12 UTC`.
pub fn format_time(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
