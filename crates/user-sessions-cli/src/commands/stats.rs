//! `user-sessions stats [--json]`

use crate::cli::Database;
use crate::failure::Failure;

pub async fn run(database: &Database, json: bool) -> Result<(), Failure> {
    let store = super::open(database, true).await?;
    let stats = store.stats().await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&stats).map_err(|e| Failure::Error(e.to_string()))?
        );
        return Ok(());
    }
    let time =
        |t: Option<time::OffsetDateTime>| t.map_or_else(|| "-".to_owned(), super::format_time);
    println!("active sessions:   {}", stats.active);
    println!("expired sessions:  {}", stats.expired);
    println!("signed-in users:   {}", stats.users);
    println!("oldest session:    {}", time(stats.oldest));
    println!("latest activity:   {}", time(stats.newest));
    Ok(())
}
