//! "Simulate a sign-in from another device": sessions for the signed-in user from a few
//! real-looking devices and public addresses, so that the first visit to the sessions page
//! shows what the library does (devices, locations, relative times, ending them).
//!
//! The sessions are rows like any other: they show on the account page and in the admin, and
//! can be ended there. No browser holds their cookies, so nobody can use them.

use time::Duration;
use tower_sessions::session::Id;
use user_sessions::{ClientHints, PublicId, SessionRecord, Store};

/// One simulated device: its user agent, client hints, address, and how long ago it signed in
/// and was last active.
struct Device {
    user_agent: &'static str,
    mobile: Option<bool>,
    ip: &'static str,
    signed_in_ago: Duration,
    active_ago: Duration,
}

/// The devices a simulated sign-in comes from. The addresses are in the demo's sample GeoIP
/// data (see the README), so that they have a location there.
const DEVICES: [Device; 3] = [
    Device {
        user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                     (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        mobile: None,
        ip: "81.2.69.142",
        signed_in_ago: Duration::days(3),
        active_ago: Duration::minutes(8),
    },
    Device {
        user_agent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                     (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
        mobile: Some(true),
        ip: "2a02:a45e:1c2f:0:8d4f:3b1c:a2b9:7e11",
        signed_in_ago: Duration::days(9),
        active_ago: Duration::hours(5),
    },
    Device {
        user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                     (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
        mobile: Some(false),
        ip: "89.160.20.112",
        signed_in_ago: Duration::days(12),
        active_ago: Duration::days(2),
    },
];

/// Stores one session per simulated device for `user_id`, expiring `lifetime` after its last
/// activity; returns how many.
pub async fn sign_in_elsewhere(
    store: &Store,
    user_id: &str,
    lifetime: Duration,
) -> Result<usize, user_sessions::Error> {
    let now = time::OffsetDateTime::now_utc();
    for device in &DEVICES {
        // A random secret, as a browser's session would have; nobody ever gets it.
        let secret = Id::default();
        let last_activity = now - device.active_ago;
        let mut record = SessionRecord::new(
            PublicId::from_secret(&secret.0.to_le_bytes()),
            last_activity + lifetime,
        );
        record.info.user_id = Some(user_id.to_owned());
        record.info.ip = device.ip.parse().ok();
        record.info.user_agent = Some(device.user_agent.to_owned());
        record.info.client_hints = device.mobile.map(|mobile| ClientHints {
            mobile: Some(mobile),
            ..ClientHints::default()
        });
        record.info.created_at = now - device.signed_in_ago;
        record.info.authenticated_at = Some(now - device.signed_in_ago);
        record.info.last_activity = last_activity;
        store.save(&record).await?;
    }
    Ok(DEVICES.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_device_has_a_public_address() {
        for device in &DEVICES {
            let ip: std::net::IpAddr = device.ip.parse().expect(device.ip);
            assert!(!ip.is_loopback() && !ip.is_unspecified(), "{ip}");
        }
    }
}
