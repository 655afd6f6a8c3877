//! `user-sessions migratesessions`: import the sessions of an application that used
//! `tower-sessions-sqlx-store`, so its users stay signed in after the switch.
//!
//! Each legacy row holds a MessagePack-encoded tower-sessions record. It is decoded, turned into
//! a row the way the tower-sessions adapter would have written it (the user id taken from
//! axum-login's data, expiry and data kept), and created unless a live session with the same
//! public id exists — so running the import twice imports nothing new. Expired rows are skipped;
//! rows that cannot be decoded are counted and reported, never fatal. Legacy ids are the secret
//! cookie values: they are hashed on the way in and never printed.

mod source;

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use tower_sessions::session::Record;
use user_sessions::{SessionRecord, Store};

use crate::cli::{Database, ImportArgs};
use crate::failure::Failure;
use source::LegacySource;

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    read: u64,
    imported: u64,
    already_there: u64,
    expired: u64,
    corrupted: u64,
}

pub async fn run(database: &Database, args: ImportArgs) -> Result<(), Failure> {
    let store = super::open(database, true).await?;
    let from = match args.from.as_deref().or(database.url.as_deref()) {
        Some(url) => url.to_owned(),
        None => {
            return Err(Failure::Error(
                "no source: pass --from URL or --database-url".into(),
            ));
        }
    };
    let mut source = LegacySource::open(&from, args.table.as_deref()).await?;
    let total = source.count().await?;
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} sessions read ({per_sec}, {eta} left)",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut tally = Tally::default();
    let mut after: Option<String> = None;
    loop {
        let rows = source
            .page(after.as_deref(), args.batch_size.max(1))
            .await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        import_batch(&store, &rows, &mut tally).await?;
        bar.set_position(tally.read.min(total));
        if !terminal {
            eprintln!("read {} of {total} legacy sessions", tally.read);
        }
    }
    bar.finish_and_clear();
    println!(
        "imported {} session(s); {} already imported, {} expired (skipped), {} corrupted (skipped)",
        tally.imported, tally.already_there, tally.expired, tally.corrupted
    );
    Ok(())
}

async fn import_batch(
    store: &Store,
    rows: &[source::LegacyRow],
    tally: &mut Tally,
) -> Result<(), Failure> {
    let now = time::OffsetDateTime::now_utc();
    let mut batch = Vec::with_capacity(rows.len());
    for row in rows {
        tally.read += 1;
        match rmp_serde::from_slice::<Record>(&row.data) {
            Ok(record) if record.expiry_date <= now => tally.expired += 1,
            Ok(record) => batch.push(SessionRecord::from_tower_record(&record)),
            Err(_) => tally.corrupted += 1,
        }
    }
    let created = store.create_many(&batch).await?;
    tally.imported += created;
    tally.already_there += batch.len() as u64 - created;
    Ok(())
}
