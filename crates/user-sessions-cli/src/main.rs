//! `user-sessions`: operate a user-sessions database from a shell.
//!
//! ```text
//! user-sessions migrate [--check]
//! user-sessions clearsessions [--dry-run]
//! user-sessions migratesessions [--from URL] [--table NAME]
//! user-sessions sessions list --user ID [--json]
//! user-sessions sessions end --user ID [--except PUBLIC_ID] | --id PUBLIC_ID
//! user-sessions stats [--json]
//! user-sessions device "<User-Agent>" | - [--json]
//! user-sessions location IP [--geoip PATH]
//! ```
//!
//! The database comes from `--database-url` or `DATABASE_URL`. Exit codes: 0 done, 1 a negative
//! answer (pending migrations with `--check`, an unknown device or location), 2 an error
//! (malformed URL, unreachable server, schema not migrated, bad arguments).

mod cli;
mod commands;
mod failure;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use failure::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Failure::Error(format!("cannot start: {error}")).report(),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Device(args) => commands::humanize::device(args).await,
        Command::Location(args) => commands::humanize::location(args),
        Command::Migrate { check } => commands::migrate::run(&cli.database, check).await,
        Command::Clearsessions(args) => commands::clear::run(&cli.database, args).await,
        Command::Migratesessions(args) => commands::import::run(&cli.database, args).await,
        Command::Sessions(command) => commands::sessions::run(&cli.database, command).await,
        Command::Stats { json } => commands::stats::run(&cli.database, json).await,
    }
}
