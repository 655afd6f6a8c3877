//! Reading `tower-sessions-sqlx-store` tables: SQLite, PostgreSQL, MySQL / MariaDB.

use user_sessions::Engine;

use crate::commands::address;
use crate::failure::Failure;

/// One legacy row: the secret id (text, as tower-sessions renders it) and the encoded record.
pub struct LegacyRow {
    pub id: String,
    pub data: Vec<u8>,
}

/// The table an import reads, in one of the databases `tower-sessions-sqlx-store` supports.
pub enum LegacySource {
    Sqlite {
        path: String,
        table: String,
    },
    #[cfg(feature = "postgres")]
    Postgres {
        pool: sqlx::PgPool,
        table: String,
    },
    #[cfg(feature = "mysql")]
    Mysql {
        pool: sqlx::MySqlPool,
        table: String,
    },
}

/// `tower_sessions` or `schema.table`, quoted for the dialect; anything else is refused.
fn quote(table: &str, quote: char) -> Result<String, Failure> {
    let parts: Vec<&str> = table.split('.').collect();
    let valid = parts.len() <= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !p.starts_with(|c: char| c.is_ascii_digit())
        });
    if !valid {
        return Err(Failure::Error(format!(
            "`{table}` is not a table name (letters, digits and _, optionally schema.table)"
        )));
    }
    Ok(parts
        .iter()
        .map(|p| format!("{quote}{p}{quote}"))
        .collect::<Vec<_>>()
        .join("."))
}

fn unreachable(url: &str, error: impl std::fmt::Display) -> Failure {
    Failure::Error(format!(
        "cannot read legacy sessions from {}: {error}",
        address(url)
    ))
}

impl LegacySource {
    /// Opens the source a URL names; `table` overrides the store's default table name
    /// (`tower_sessions` on SQLite, `tower_sessions.session` on PostgreSQL and MySQL).
    pub async fn open(url: &str, table: Option<&str>) -> Result<Self, Failure> {
        match Engine::of_url(url) {
            Some(Engine::Sqlite) => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:")
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let table = quote(table.unwrap_or("tower_sessions"), '"')?;
                Ok(LegacySource::Sqlite { path, table })
            }
            #[cfg(feature = "postgres")]
            Some(Engine::Postgres) => {
                let table = quote(table.unwrap_or("tower_sessions.session"), '"')?;
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(std::time::Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(|e| unreachable(url, e))?;
                Ok(LegacySource::Postgres { pool, table })
            }
            #[cfg(feature = "mysql")]
            Some(Engine::Mysql) => {
                let table = quote(table.unwrap_or("tower_sessions.session"), '`')?;
                let url = Engine::mysql_url(url);
                let pool = sqlx::mysql::MySqlPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(std::time::Duration::from_secs(10))
                    .connect(&url)
                    .await
                    .map_err(|e| unreachable(&url, e))?;
                Ok(LegacySource::Mysql { pool, table })
            }
            _ => Err(Failure::Error(format!(
                "cannot import from `{}`: tower-sessions-sqlx-store tables live in sqlite://, postgres:// or mysql:// databases",
                address(url)
            ))),
        }
    }

    /// How many rows the table has (for the progress bar).
    pub async fn count(&mut self) -> Result<u64, Failure> {
        match self {
            LegacySource::Sqlite { path, table } => {
                let sql = format!("SELECT COUNT(*) FROM {table}");
                let path = path.clone();
                sqlite_blocking(path, move |conn| {
                    conn.query_row(&sql, [], |row| row.get::<_, i64>(0))
                })
                .await
                .map(|n| n as u64)
            }
            #[cfg(feature = "postgres")]
            LegacySource::Postgres { pool, table } => {
                let sql = format!("SELECT COUNT(*) FROM {table}");
                let n: i64 = sqlx::query_scalar(&sql)
                    .fetch_one(&*pool)
                    .await
                    .map_err(|e| Failure::Error(format!("cannot read {table}: {e}")))?;
                Ok(n as u64)
            }
            #[cfg(feature = "mysql")]
            LegacySource::Mysql { pool, table } => {
                let sql = format!("SELECT COUNT(*) FROM {table}");
                let n: i64 = sqlx::query_scalar(&sql)
                    .fetch_one(&*pool)
                    .await
                    .map_err(|e| Failure::Error(format!("cannot read {table}: {e}")))?;
                Ok(n as u64)
            }
        }
    }

    /// The next `limit` rows after the id `after`, in id order (keyset paging).
    pub async fn page(
        &mut self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<LegacyRow>, Failure> {
        let after = after.unwrap_or("").to_owned();
        match self {
            LegacySource::Sqlite { path, table } => {
                let sql =
                    format!("SELECT id, data FROM {table} WHERE id > ?1 ORDER BY id LIMIT ?2");
                sqlite_blocking(path.clone(), move |conn| {
                    let mut stmt = conn.prepare(&sql)?;
                    let rows = stmt.query_map(rusqlite::params![after, limit], |row| {
                        Ok(LegacyRow {
                            id: row.get(0)?,
                            data: row.get(1)?,
                        })
                    })?;
                    rows.collect()
                })
                .await
            }
            #[cfg(feature = "postgres")]
            LegacySource::Postgres { pool, table } => {
                // Comparison and order use the column's own collation, so the primary key index
                // serves both and the cursor stays consistent.
                let sql =
                    format!("SELECT id, data FROM {table} WHERE id > $1 ORDER BY id LIMIT $2");
                let rows: Vec<(String, Vec<u8>)> = sqlx::query_as(&sql)
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(&*pool)
                    .await
                    .map_err(|e| Failure::Error(format!("cannot read {table}: {e}")))?;
                Ok(rows
                    .into_iter()
                    .map(|(id, data)| LegacyRow { id, data })
                    .collect())
            }
            #[cfg(feature = "mysql")]
            LegacySource::Mysql { pool, table } => {
                let sql = format!("SELECT id, data FROM {table} WHERE id > ? ORDER BY id LIMIT ?");
                let rows: Vec<(String, Vec<u8>)> = sqlx::query_as(&sql)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(&*pool)
                    .await
                    .map_err(|e| Failure::Error(format!("cannot read {table}: {e}")))?;
                Ok(rows
                    .into_iter()
                    .map(|(id, data)| LegacyRow { id, data })
                    .collect())
            }
        }
    }
}

async fn sqlite_blocking<T: Send + 'static>(
    path: String,
    f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, Failure> {
    tokio::task::spawn_blocking(move || {
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .map_err(|e| Failure::Error(format!("cannot open {path}: {e}")))?;
        f(&conn).map_err(|e| Failure::Error(format!("cannot read legacy sessions in {path}: {e}")))
    })
    .await
    .map_err(|e| Failure::Error(format!("import task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_checked_and_quoted() {
        assert_eq!(quote("tower_sessions", '"').unwrap(), "\"tower_sessions\"");
        assert_eq!(
            quote("tower_sessions.session", '`').unwrap(),
            "`tower_sessions`.`session`"
        );
        assert!(quote("x; DROP TABLE y", '"').is_err());
        assert!(quote("a.b.c", '"').is_err());
        assert!(quote("", '"').is_err());
        assert!(quote("1abc", '"').is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(address("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(address("mysql://root@h/db"), "mysql://root@h/db");
        assert_eq!(address("sqlite://x.db"), "sqlite://x.db");
    }
}
