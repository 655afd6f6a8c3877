//! `cargo run -p demo`: the user-sessions demo on http://127.0.0.1:3000.
//!
//! Environment: `PORT` (default 3000; 0 picks a free one), `DATABASE_URL` (default a SQLite
//! file in the working directory), `GEOIP_PATH` (a `.mmdb` for locations), `TRUSTED_PROXIES`
//! (comma-separated CIDRs whose `X-Forwarded-For` is believed), `DATABASE_TIMEOUT_MS` (the
//! longest a request waits for a database server before `503`), `SESSION_CACHE_TTL_MS` (an
//! in-process session cache: a session ended on another app server may keep working here
//! for up to this long).

use std::process::ExitCode;
use std::time::Duration;

use demo::{Config, DemoError, SEED_USERS};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), DemoError> {
    let port = match std::env::var("PORT") {
        Ok(port) if !port.trim().is_empty() => port
            .trim()
            .parse::<u16>()
            .map_err(|_| DemoError::Port(port))?,
        _ => 3000,
    };
    let config = Config::from_env()?;
    let demo = demo::build(&config).await?;
    demo.store.spawn_purge_task(Duration::from_secs(3600));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let address = listener.local_addr()?;

    println!();
    println!("  user-sessions demo: http://{address}/");
    println!();
    for (name, password, staff) in SEED_USERS {
        let role = if staff { "  (staff)" } else { "" };
        println!("  sign in as  {name} / {password}{role}");
    }
    println!();
    println!("  sessions are stored in {}", config.database_url());
    if let Some(ttl) = config.session_cache_ttl {
        println!(
            "  sessions are cached in this process for {} ms",
            ttl.as_millis()
        );
    }
    if let Some(path) = &config.geoip_path {
        println!("  locations from {}", path.display());
    }
    println!("  Ctrl-C stops the server.");
    println!();

    demo::serve_until_ctrl_c(demo, listener).await
}
