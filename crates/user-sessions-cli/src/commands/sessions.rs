//! `user-sessions sessions list|end`

use std::path::Path;

use serde::Serialize;
use user_sessions::humanize::{GeoIp, device_with_hints};
use user_sessions::{Filter, PageRequest, PublicId, SessionInfo, Status, Store};

use crate::cli::{Database, SessionsCommand};
use crate::failure::Failure;

pub async fn run(database: &Database, command: SessionsCommand) -> Result<(), Failure> {
    let store = super::open(database, true).await?;
    match command {
        SessionsCommand::List {
            user,
            json,
            full,
            geoip,
        } => {
            let geoip = geoip.as_deref().map(open_geoip).transpose()?;
            let rows: Vec<Row> = store
                .user_sessions(&user)
                .await?
                .iter()
                .map(|s| Row::new(s, geoip.as_ref()))
                .collect();
            if rows.is_empty() && !json {
                return Err(Failure::No(format!(
                    "no active sessions for user id `{user}` (--user takes the application's \
                     user id, as stored with each session, not a username)"
                )));
            }
            if json {
                let text = serde_json::to_string_pretty(&rows)
                    .map_err(|e| Failure::Error(e.to_string()))?;
                println!("{text}");
            } else {
                print_table(&rows, full);
            }
            Ok(())
        }
        SessionsCommand::End {
            user,
            except,
            id,
            dry_run,
        } => {
            let ended = match (user, id) {
                (Some(user), _) => {
                    let sessions = store.user_sessions(&user).await?;
                    let keep = match except {
                        Some(keep) => Some(resolve_among(&keep, sessions.iter().map(|s| s.id))?),
                        None => None,
                    };
                    if dry_run {
                        let ending = sessions.iter().filter(|s| Some(s.id) != keep).count();
                        println!("{ending} session(s) would be ended");
                        return Ok(());
                    }
                    match keep {
                        Some(keep) => store.end_other_user_sessions(&user, &keep).await?,
                        None => store.end_all_user_sessions(&user).await?,
                    }
                }
                (None, Some(id)) => {
                    let id = resolve(&store, &id).await?;
                    if !store.delete(&id).await? {
                        return Err(Failure::No(format!("no session with public id {id}")));
                    }
                    1
                }
                (None, None) => {
                    return Err(Failure::Error("pass --user ID or --id PUBLIC_ID".into()));
                }
            };
            println!("ended {ended} session(s)");
            Ok(())
        }
    }
}

/// The fewest hexadecimal digits a public id may be shortened to on the command line.
const MIN_PREFIX: usize = 8;

/// How many digits of a public id the list shows unless `--full`.
const SHORT_ID: usize = 12;

/// A public id from the command line: all 64 digits, or a prefix of at least [`MIN_PREFIX`]
/// that is `text`'s only match in the store (every session, expired ones too).
async fn resolve(store: &Store, text: &str) -> Result<PublicId, Failure> {
    let prefix = id_prefix(text)?;
    if let Ok(id) = prefix.parse::<PublicId>() {
        return Ok(id);
    }
    let filter = Filter::default().status(Status::All);
    let mut page = PageRequest {
        after: None,
        limit: 1000,
    };
    let mut matches = Vec::new();
    loop {
        let found = store.list(&filter, &page).await?;
        matches.extend(
            found
                .sessions
                .iter()
                .map(|s| s.id)
                .filter(|id| id.to_string().starts_with(&prefix)),
        );
        match found.next {
            Some(next) if matches.len() < 2 => page.after = Some(next),
            _ => break,
        }
    }
    only_match(text, matches)
}

/// A public id from the command line among `ids` (all digits, or a unique prefix).
fn resolve_among(text: &str, ids: impl Iterator<Item = PublicId>) -> Result<PublicId, Failure> {
    let prefix = id_prefix(text)?;
    if let Ok(id) = prefix.parse::<PublicId>() {
        return Ok(id);
    }
    only_match(
        text,
        ids.filter(|id| id.to_string().starts_with(&prefix))
            .collect(),
    )
}

/// `text` in lower case if it can be a public id or a prefix of one.
fn id_prefix(text: &str) -> Result<String, Failure> {
    let prefix = text.trim().to_ascii_lowercase();
    if prefix.len() < MIN_PREFIX
        || prefix.len() > 64
        || !prefix.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(Failure::Error(format!(
            "`{text}` is not a public id: 64 hexadecimal digits, or a unique prefix of at least \
             {MIN_PREFIX} (as `sessions list` prints them)"
        )));
    }
    Ok(prefix)
}

fn only_match(text: &str, matches: Vec<PublicId>) -> Result<PublicId, Failure> {
    match matches.as_slice() {
        [id] => Ok(*id),
        [] => Err(Failure::No(format!(
            "no session's public id starts with `{text}`"
        ))),
        _ => Err(Failure::Error(format!(
            "`{text}` is the beginning of several public ids: give more digits"
        ))),
    }
}

pub fn open_geoip(path: &Path) -> Result<GeoIp, Failure> {
    GeoIp::open(path).map_err(|e| Failure::Error(e.to_string()))
}

/// One session as the command prints it.
#[derive(Debug, Serialize)]
struct Row {
    id: String,
    ip: Option<String>,
    device: Option<String>,
    location: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    last_activity: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: time::OffsetDateTime,
}

impl Row {
    fn new(session: &SessionInfo, geoip: Option<&GeoIp>) -> Self {
        let hints = session.client_hints.clone().unwrap_or_default();
        Row {
            id: session.id.to_string(),
            ip: session.ip.map(|ip| ip.to_string()),
            device: session
                .user_agent
                .as_deref()
                .and_then(|ua| device_with_hints(ua, &hints)),
            location: geoip.zip(session.ip).and_then(|(db, ip)| db.location(ip)),
            last_activity: session.last_activity,
            expires_at: session.expires_at,
        }
    }
}

fn print_table(rows: &[Row], full: bool) {
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                if full {
                    r.id.clone()
                } else {
                    r.id.chars().take(SHORT_ID).collect()
                },
                r.ip.clone().unwrap_or_else(|| "-".into()),
                r.device.clone().unwrap_or_else(|| "-".into()),
                r.location.clone().unwrap_or_else(|| "-".into()),
                super::format_time(r.last_activity),
                super::format_time(r.expires_at),
            ]
        })
        .collect();
    let header = ["ID", "IP", "DEVICE", "LOCATION", "LAST ACTIVITY", "EXPIRES"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(&header.map(String::from));
    for row in &cells {
        line(row);
    }
}
