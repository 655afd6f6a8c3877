//! # user-sessions
//!
//! Sessions as first-class rows. Every session is stored with its user, IP address, user agent
//! and times, indexed, so an application can answer "which sessions does user 42 have?", end
//! one of them, end all but the current one, or log a user out everywhere — in one call.
//!
//! The secret session id (the cookie) is never stored: rows are keyed by its SHA-256 hash,
//! the [`PublicId`], which is also what pages and APIs use to name a session.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use user_sessions::Store;
//!
//! let store = Store::open("sqlite::memory:").await?; // or sqlite://sessions.db
//! store.migrate().await?;                              // once, at deploy time
//! let sessions = store.user_sessions("42").await?;     // newest activity first
//! if let Some(oldest) = sessions.last() {
//!     store.end_user_session("42", &oldest.id).await?; // end one
//! }
//! store.end_all_user_sessions("42").await?;            // log out everywhere
//! # Ok(()) }
//! ```
//!
//! Web applications use it through `user-sessions-axum`, a drop-in `tower_sessions::SessionStore`
//! plus a layer that records the client's IP and browser.
//!
//! ## Cargo features
//! - `sqlite` (default): the embedded SQLite backend ([`sqlite::SqliteBackend`]).
//! - `postgres`: the PostgreSQL backend (`postgres::PostgresBackend`, sqlx).
//! - `mysql`: the MySQL / MariaDB backend (`mysql::MysqlBackend`, sqlx).
//! - `redis`: the Redis backend (`redis::RedisBackend`, fred): server-side expiry, per-user index.
//! - `tower-sessions`: rows from tower-sessions records ([`tower`]), for imports and the axum
//!   adapter.
//! - `conformance`: the [conformance suite](conformance) every backend passes, and isolated
//!   stores on real servers for tests (`test_servers`).
//!
//! Any backend can sit behind a short-lived in-process [`cache`] (`Store::with_cache`), whose
//! exact guarantee about ended sessions is written there.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod backend;
mod engine;
mod error;
mod limit;
mod new_device;
mod public_id;
mod query;
mod record;
mod store;

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod sql;

pub mod cache;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod events;
#[cfg(feature = "humanize")]
pub mod humanize;
#[cfg(feature = "mysql")]
pub mod mysql;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "redis")]
pub mod redis;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub mod sqlx_backend;
#[cfg(feature = "conformance")]
pub mod test_servers;
#[cfg(feature = "tower-sessions")]
pub mod tower;

pub use backend::{Backend, Purged, StoredSession, Touch};
pub use engine::Engine;
pub use error::{Error, ErrorSource, Result};
pub use limit::{SessionLimit, SignInOutcome, SignInWrite, WhenFull};
pub use new_device::{DEFAULT_NEW_DEVICE_WINDOW, KnownDevice, MAX_KNOWN_DEVICES};
pub use public_id::{InvalidPublicId, PublicId};
pub use query::{Cursor, Filter, InvalidCursor, Page, PageRequest, Stats, Status};
pub use record::{ClientHints, SessionData, SessionInfo, SessionRecord};
pub use store::{DEFAULT_PURGE_BATCH, OpenOptions, Store};
