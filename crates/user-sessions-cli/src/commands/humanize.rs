//! `user-sessions device` and `user-sessions location`

use std::net::IpAddr;

use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use user_sessions::humanize::Device;

use crate::cli::{DeviceArgs, LocationArgs};
use crate::failure::Failure;

#[derive(Serialize)]
struct DeviceJson {
    browser: Option<String>,
    platform: Option<String>,
    device: Option<String>,
}

fn describe(user_agent: &str, json: bool) -> (String, bool) {
    let parsed = Device::parse(user_agent);
    let device = parsed.text();
    let known = device.is_some();
    if json {
        let value = DeviceJson {
            browser: parsed.browser.clone(),
            platform: parsed.platform.clone(),
            device,
        };
        (serde_json::to_string(&value).unwrap_or_default(), known)
    } else {
        (device.unwrap_or_default(), known)
    }
}

pub async fn device(args: DeviceArgs) -> Result<(), Failure> {
    if args.user_agent != "-" {
        let (line, known) = describe(&args.user_agent, args.json);
        if known || args.json {
            println!("{line}");
        }
        return if known {
            Ok(())
        } else {
            Err(Failure::No(
                "unknown device: this user agent names no browser or platform this tool knows"
                    .into(),
            ))
        };
    }
    // One user agent per line in, one line out (empty when unknown); invalid UTF-8 is replaced.
    let mut lines = BufReader::new(tokio::io::stdin()).split(b'\n');
    let mut out = tokio::io::BufWriter::new(tokio::io::stdout());
    while let Some(raw) = lines.next_segment().await? {
        let text = String::from_utf8_lossy(&raw);
        let (line, _) = describe(text.trim_end_matches('\r'), args.json);
        out.write_all(line.as_bytes()).await?;
        out.write_all(b"\n").await?;
    }
    out.flush().await?;
    Ok(())
}

pub fn location(args: LocationArgs) -> Result<(), Failure> {
    let path = args.geoip.ok_or_else(|| {
        Failure::Error("no GeoIP database: pass --geoip PATH or set GEOIP_PATH (a GeoLite2 or DB-IP City/Country .mmdb)".into())
    })?;
    let ip: IpAddr = args
        .ip
        .trim()
        .parse()
        .map_err(|_| Failure::Error(format!("`{}` is not an IP address", args.ip)))?;
    let geoip = super::sessions::open_geoip(&path)?;
    match geoip.location(ip) {
        Some(location) => {
            println!("{location}");
            Ok(())
        }
        None => Err(Failure::No(format!("no location: {}", why_unlocated(ip)))),
    }
}

/// Why a database has no location for `ip`: addresses of no place, or a gap in the data.
fn why_unlocated(ip: IpAddr) -> String {
    let nowhere = match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || v6.is_multicast()
        }
    };
    if nowhere {
        format!("{ip} is a private, loopback or other local address, which is in no place")
    } else {
        format!("{ip} is not in this database")
    }
}
