//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Operate a user-sessions database: migrate it, clear expired sessions, inspect and end
/// sessions, and humanize user agents and IP addresses.
#[derive(Debug, Parser)]
#[command(name = "user-sessions", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub database: Database,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the sessions are.
#[derive(Debug, Args)]
pub struct Database {
    /// Database URL: sqlite://sessions.db, postgres://…, mysql://…, redis://…
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or upgrade the schema (idempotent).
    Migrate {
        /// Change nothing; exit 1 when migrations are pending.
        #[arg(long)]
        check: bool,
    },
    /// Delete expired sessions, in batches.
    Clearsessions(ClearArgs),
    /// Import the sessions of an application that used tower-sessions-sqlx-store.
    Migratesessions(ImportArgs),
    /// List or end sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Active and expired sessions, distinct users, oldest and newest.
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Humanize a user agent: "Safari on iPhone". Exit 1 when it cannot tell.
    Device(DeviceArgs),
    /// Where an IP address is: "Zwolle, The Netherlands". Exit 1 when unknown.
    Location(LocationArgs),
}

#[derive(Debug, Args)]
pub struct ClearArgs {
    /// Count the expired sessions without deleting them.
    #[arg(long)]
    pub dry_run: bool,
    /// Sessions deleted per batch.
    #[arg(long, default_value_t = user_sessions::DEFAULT_PURGE_BATCH)]
    pub batch_size: u32,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The database holding the old sessions (default: the --database-url one).
    #[arg(long)]
    pub from: Option<String>,
    /// The old table: default `tower_sessions` (SQLite) or `tower_sessions.session`
    /// (PostgreSQL, MySQL), as tower-sessions-sqlx-store names it.
    #[arg(long)]
    pub table: Option<String>,
    /// Rows read and written per batch.
    #[arg(long, default_value_t = 2_000)]
    pub batch_size: u32,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// A user's active sessions, most recent activity first.
    List {
        /// The application's user id, as stored with each session (not a username).
        #[arg(long)]
        user: String,
        /// Print JSON (with full public ids).
        #[arg(long)]
        json: bool,
        /// Print full public ids (64 hexadecimal digits) rather than their first 12.
        #[arg(long)]
        full: bool,
        /// A MaxMind-format database for the location column.
        #[arg(long, env = "GEOIP_PATH")]
        geoip: Option<PathBuf>,
    },
    /// End sessions: all of a user's (optionally but one), or one by public id.
    End {
        /// End this user's sessions.
        #[arg(long, conflicts_with = "id", required_unless_present = "id")]
        user: Option<String>,
        /// Keep this session of the user (its public id, or a unique prefix of at least 8
        /// hexadecimal digits).
        #[arg(long, requires = "user")]
        except: Option<String>,
        /// End the session with this public id (or a unique prefix of at least 8 hexadecimal
        /// digits). Exit code 1 when there is no such session.
        #[arg(long)]
        id: Option<String>,
        /// Say how many of the user's sessions would end, and end none.
        #[arg(long, requires = "user")]
        dry_run: bool,
    },
}

#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// The User-Agent string, or `-` to read one per line from standard input.
    pub user_agent: String,
    /// Print browser, platform and device as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LocationArgs {
    /// The IP address.
    pub ip: String,
    /// A MaxMind-format database (GeoLite2 / GeoIP2 / DB-IP, City or Country).
    #[arg(long, env = "GEOIP_PATH")]
    pub geoip: Option<PathBuf>,
}
