//! `user-sessions migrate [--check]`

use crate::cli::Database;
use crate::failure::Failure;

pub async fn run(database: &Database, check: bool) -> Result<(), Failure> {
    let store = super::open(database, false).await?;
    let pending = store.pending_migrations().await?;
    if check {
        return match pending {
            0 => {
                println!("the schema is up to date");
                Ok(())
            }
            n => Err(Failure::No(format!(
                "{n} migration(s) pending: run `user-sessions migrate`"
            ))),
        };
    }
    store.migrate().await?;
    match pending {
        0 => println!("the schema was already up to date"),
        n => println!("applied {n} migration(s)"),
    }
    Ok(())
}
