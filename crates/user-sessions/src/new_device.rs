//! Whether a sign-in comes from a device the user has not used lately: the rule behind
//! [`Event::SignedIn`](crate::events::Event::SignedIn)'s `new_device`.

use std::net::IpAddr;

use time::OffsetDateTime;

use crate::SessionInfo;

/// How long a device stays known after the user last used it, by default: 90 days.
pub const DEFAULT_NEW_DEVICE_WINDOW: std::time::Duration =
    std::time::Duration::from_secs(90 * 24 * 3600);

/// What makes two sessions "the same device": the device in words (browser and platform,
/// from the humanizer, without versions) and the network (`/16` of an IPv4 address, `/32` of
/// an IPv6 address).
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeviceKey {
    device: Option<String>,
    network: Option<IpAddr>,
}

impl DeviceKey {
    fn of(session: &SessionInfo) -> Self {
        DeviceKey {
            device: device(session),
            network: session.ip.map(network),
        }
    }
}

#[cfg(feature = "humanize")]
fn device(session: &SessionInfo) -> Option<String> {
    let user_agent = session.user_agent.as_deref().unwrap_or_default();
    match &session.client_hints {
        Some(hints) => crate::humanize::device_with_hints(user_agent, hints),
        None => crate::humanize::device(user_agent),
    }
}

/// Without the humanizer, the user agent as sent stands for the device.
#[cfg(not(feature = "humanize"))]
fn device(session: &SessionInfo) -> Option<String> {
    session.user_agent.clone()
}

/// The network an address belongs to, as its first address.
fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            IpAddr::from([a, b, 0, 0])
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network(IpAddr::V4(v4)),
            None => {
                let segments = v6.segments();
                IpAddr::from([segments[0], segments[1], 0, 0, 0, 0, 0, 0])
            }
        },
    }
}

/// Whether `session` comes from a device and network none of `others` (the user's other
/// sessions) used at or after `since`.
pub(crate) fn is_new_device(
    session: &SessionInfo,
    others: &[SessionInfo],
    since: OffsetDateTime,
) -> bool {
    let key = DeviceKey::of(session);
    !others
        .iter()
        .filter(|other| other.id != session.id && other.last_activity >= since)
        .any(|other| DeviceKey::of(other) == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PublicId;

    const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                                  (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    fn session(n: u8, ip: &str, user_agent: &str, days_ago: i64) -> SessionInfo {
        let now = crate::now();
        let mut info = SessionInfo::new(PublicId::from_secret(&[n]), now + time::Duration::DAY);
        info.ip = Some(ip.parse().unwrap());
        info.user_agent = Some(user_agent.into());
        info.last_activity = now - time::Duration::days(days_ago);
        info
    }

    #[test]
    fn same_device_on_the_same_network_is_known_within_the_window() {
        let since = crate::now() - time::Duration::days(90);
        let signing_in = session(0, "192.0.2.7", CHROME_WINDOWS, 0);
        let known = [session(1, "192.0.200.1", CHROME_WINDOWS, 10)];
        assert!(!is_new_device(&signing_in, &known, since));
        let other_network = [session(1, "198.51.100.1", CHROME_WINDOWS, 10)];
        assert!(is_new_device(&signing_in, &other_network, since));
        let too_long_ago = [session(1, "192.0.2.7", CHROME_WINDOWS, 100)];
        assert!(is_new_device(&signing_in, &too_long_ago, since));
        // The session itself does not count.
        assert!(is_new_device(
            &signing_in,
            std::slice::from_ref(&signing_in),
            since
        ));
        assert!(is_new_device(&signing_in, &[], since));
    }

    #[cfg(feature = "humanize")]
    #[test]
    fn a_browser_update_is_not_a_new_device_another_browser_is() {
        const CHROME_WINDOWS_NEWER: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) \
                                            AppleWebKit/537.36 (KHTML, like Gecko) \
                                            Chrome/132.0.0.0 Safari/537.36";
        let since = crate::now() - time::Duration::days(90);
        let signing_in = session(0, "2001:db8:1:2::7", CHROME_WINDOWS_NEWER, 0);
        let known = [session(1, "2001:db8:ffff::1", CHROME_WINDOWS, 1)];
        assert!(!is_new_device(&signing_in, &known, since));
        let firefox = session(
            2,
            "2001:db8:1:2::7",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            0,
        );
        assert!(is_new_device(&firefox, &known, since));
    }
}
