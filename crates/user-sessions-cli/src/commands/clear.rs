//! `user-sessions clearsessions [--dry-run] [--batch-size N]`

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use user_sessions::{Filter, Status};

use crate::cli::{ClearArgs, Database};
use crate::failure::Failure;

pub async fn run(database: &Database, args: ClearArgs) -> Result<(), Failure> {
    let store = super::open(database, true).await?;
    let expired = store
        .count(&Filter::default().status(Status::Expired))
        .await?;
    if args.dry_run {
        println!("{expired} expired session(s) would be deleted");
        return Ok(());
    }
    let batch = args.batch_size.max(1);
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        let bar = ProgressBar::new(expired);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} expired sessions deleted ({per_sec}, {eta} left)",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut deleted = 0u64;
    loop {
        let n = store.purge_expired_batch(batch).await?;
        deleted += n;
        bar.set_position(deleted.min(expired));
        if !terminal && n > 0 {
            eprintln!("deleted {deleted} of {expired} expired sessions");
        }
        if n < u64::from(batch) {
            break;
        }
    }
    bar.finish_and_clear();
    println!("deleted {deleted} expired session(s)");
    let forgotten = store.forget_unused_devices().await?;
    if forgotten > 0 {
        println!("forgot {forgotten} device history entries unused for 90 days");
    }
    Ok(())
}
