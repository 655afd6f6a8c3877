//! `user-sessions sessions list|end`

use std::path::Path;

use serde::Serialize;
use user_sessions::humanize::{GeoIp, device_with_hints};
use user_sessions::{PublicId, SessionInfo};

use crate::cli::{Database, SessionsCommand};
use crate::failure::Failure;

pub async fn run(database: &Database, command: SessionsCommand) -> Result<(), Failure> {
    let store = super::open(database, true).await?;
    match command {
        SessionsCommand::List { user, json, geoip } => {
            let geoip = geoip.as_deref().map(open_geoip).transpose()?;
            let rows: Vec<Row> = store
                .user_sessions(&user)
                .await?
                .iter()
                .map(|s| Row::new(s, geoip.as_ref()))
                .collect();
            if json {
                let text = serde_json::to_string_pretty(&rows)
                    .map_err(|e| Failure::Error(e.to_string()))?;
                println!("{text}");
            } else {
                print_table(&rows);
            }
            Ok(())
        }
        SessionsCommand::End { user, except, id } => {
            let ended = match (user, id) {
                (Some(user), _) => match except {
                    Some(keep) => {
                        store
                            .end_other_user_sessions(&user, &parse_id(&keep)?)
                            .await?
                    }
                    None => store.end_all_user_sessions(&user).await?,
                },
                (None, Some(id)) => u64::from(store.delete(&parse_id(&id)?).await?),
                (None, None) => {
                    return Err(Failure::Error("pass --user ID or --id PUBLIC_ID".into()));
                }
            };
            println!("ended {ended} session(s)");
            Ok(())
        }
    }
}

fn parse_id(text: &str) -> Result<PublicId, Failure> {
    text.parse()
        .map_err(|e| Failure::Error(format!("`{text}`: {e} (as `sessions list` prints them)")))
}

pub fn open_geoip(path: &Path) -> Result<GeoIp, Failure> {
    GeoIp::open(path).map_err(|e| Failure::Error(e.to_string()))
}

/// One session as the command prints it.
#[derive(Debug, Serialize)]
struct Row {
    public_id: String,
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
            public_id: session.id.to_string(),
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

fn print_table(rows: &[Row]) {
    if rows.is_empty() {
        println!("no active sessions");
        return;
    }
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.public_id.clone(),
                r.ip.clone().unwrap_or_else(|| "-".into()),
                r.device.clone().unwrap_or_else(|| "-".into()),
                r.location.clone().unwrap_or_else(|| "-".into()),
                super::format_time(r.last_activity),
                super::format_time(r.expires_at),
            ]
        })
        .collect();
    let header = [
        "PUBLIC ID",
        "IP",
        "DEVICE",
        "LOCATION",
        "LAST ACTIVITY",
        "EXPIRES",
    ];
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
