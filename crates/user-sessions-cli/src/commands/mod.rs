//! One module per subcommand.

pub mod clear;
pub mod humanize;
pub mod import;
pub mod migrate;
pub mod sessions;
pub mod stats;

use user_sessions::{Engine, Store};

use crate::cli::Database;
use crate::failure::Failure;

/// Opens the store a command works on; `migrated` also checks that the schema is current.
pub async fn open(database: &Database, migrated: bool) -> Result<Store, Failure> {
    let url = database.url.as_deref().ok_or_else(|| {
        Failure::Error("no database: pass --database-url or set DATABASE_URL".into())
    })?;
    // Only `migrate` may create a SQLite file; elsewhere a mistyped path is an error.
    let url = if !migrated
        || Engine::of_url(url) != Some(Engine::Sqlite)
        || url.contains(":memory:")
        || url.contains('?')
    {
        url.to_owned()
    } else {
        format!("{url}?mode=rw")
    };
    let store = Store::open(&url)
        .await
        .map_err(|error| Failure::Error(format!("{}: {}", address(&url), with_causes(&error))))?;
    if migrated {
        let pending = store.pending_migrations().await?;
        if pending > 0 {
            return Err(user_sessions::Error::NotMigrated.into());
        }
    }
    Ok(store)
}

/// Where a database URL points, for messages: the URL without its password.
pub fn address(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            let hidden = if credentials.contains(':') {
                ":***"
            } else {
                ""
            };
            format!("{}{user}{hidden}{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// An error and the errors that caused it, "error: cause: cause", without repeating a cause
/// the message already contains ("connection refused" is usually at the bottom).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_hide_passwords() {
        assert_eq!(
            address("postgres://app:secret@db:5432/app"),
            "postgres://app:***@db:5432/app"
        );
        assert_eq!(address("redis://127.0.0.1:1"), "redis://127.0.0.1:1");
        assert_eq!(
            address("mysql://root@127.0.0.1/test"),
            "mysql://root@127.0.0.1/test"
        );
    }
}
