//! Whether a sign-in comes from a device the user has not used lately: the rule behind
//! [`Event::SignedIn`](crate::events::Event::SignedIn)'s `new_device`.

use std::net::IpAddr;

use time::OffsetDateTime;

use crate::SessionInfo;

/// How long a device stays known after the user last used it, by default: 90 days.
pub const DEFAULT_NEW_DEVICE_WINDOW: std::time::Duration =
    std::time::Duration::from_secs(90 * 24 * 3600);

/// At most this many (device, network) pairs are remembered per user: a sign-in with one more
/// forgets the user's least recently used pair.
pub const MAX_KNOWN_DEVICES: usize = 50;

/// The longest device text the history keeps (in bytes, cut on a character boundary): a user
/// agent stands for the device without the `humanize` feature, and may be long.
const MAX_DEVICE_LEN: usize = 255;

/// A device and network a user signed in with, and when they last did: one entry of the
/// per-user device history, which outlives the sessions
/// ([`Store::known_devices`](crate::Store::known_devices)).
///
/// Two sign-ins are "the same device" when both strings are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice {
    /// The device in words, browser and platform without versions ("Chrome on Windows"); the
    /// user agent itself without the `humanize` feature; empty when unknown.
    pub device: String,
    /// The network: the country's English name where the store judges networks by country
    /// and its GeoIP database knows the address
    /// ([`Store::with_new_device_countries`](crate::Store::with_new_device_countries)), else
    /// the `/16` of an IPv4 address (`192.0.0.0/16`) or the `/32` of an IPv6 address
    /// (`2001:db8::/32`); empty when unknown.
    pub network: String,
    /// When the user last signed in with this device on this network.
    pub last_used: OffsetDateTime,
}

/// What makes two sessions "the same device": the device in words (browser and platform,
/// from the humanizer, without versions) and the network (`/16` of an IPv4 address, `/32` of
/// an IPv6 address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeviceKey {
    device: String,
    network: String,
}

/// How a sign-in's address becomes its network: its country, where a GeoIP database knows
/// it ([`Store::with_new_device_countries`](crate::Store::with_new_device_countries)), else
/// its `/16` (IPv4) or `/32` (IPv6) prefix.
#[derive(Debug, Clone, Default)]
pub(crate) struct Networks {
    #[cfg(feature = "geoip")]
    countries: Option<crate::humanize::GeoIp>,
}

impl Networks {
    /// Networks by country, where `geoip` knows the address.
    #[cfg(feature = "geoip")]
    pub(crate) fn by_country(geoip: crate::humanize::GeoIp) -> Self {
        Networks {
            countries: Some(geoip),
        }
    }

    /// The network of `ip`.
    fn of(&self, ip: IpAddr) -> String {
        #[cfg(feature = "geoip")]
        if let Some(country) = self.countries.as_ref().and_then(|g| g.country(ip)) {
            return country;
        }
        network(ip)
    }
}

impl DeviceKey {
    pub(crate) fn of(session: &SessionInfo, networks: &Networks) -> Self {
        DeviceKey {
            device: shortened(device(session).unwrap_or_default()),
            network: session.ip.map(|ip| networks.of(ip)).unwrap_or_default(),
        }
    }

    /// This key as a history entry last used `at`.
    pub(crate) fn used_at(&self, at: OffsetDateTime) -> KnownDevice {
        KnownDevice {
            device: self.device.clone(),
            network: self.network.clone(),
            last_used: at,
        }
    }

    /// Whether a history entry is this device on this network.
    pub(crate) fn is(&self, known: &KnownDevice) -> bool {
        known.device == self.device && known.network == self.network
    }
}

/// `device` cut to at most [`MAX_DEVICE_LEN`] bytes, on a character boundary.
fn shortened(mut device: String) -> String {
    if device.len() > MAX_DEVICE_LEN {
        let mut end = MAX_DEVICE_LEN;
        while !device.is_char_boundary(end) {
            end -= 1;
        }
        device.truncate(end);
    }
    device
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

/// The network an address belongs to, as its first address and prefix length.
fn network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            format!("{a}.{b}.0.0/16")
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network(IpAddr::V4(v4)),
            None => {
                let segments = v6.segments();
                let first = std::net::Ipv6Addr::new(segments[0], segments[1], 0, 0, 0, 0, 0, 0);
                format!("{first}/32")
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
    networks: &Networks,
) -> bool {
    let key = DeviceKey::of(session, networks);
    !others
        .iter()
        .filter(|other| other.id != session.id && other.last_activity >= since)
        .any(|other| DeviceKey::of(other, networks) == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PublicId;

    const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                                  (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    fn session(n: u8, ip: &str, user_agent: &str, days_ago: i64) -> SessionInfo {
        let now = crate::record::now();
        let mut info = SessionInfo::new(PublicId::from_secret(&[n]), now + time::Duration::DAY);
        info.ip = Some(ip.parse().unwrap());
        info.user_agent = Some(user_agent.into());
        info.last_activity = now - time::Duration::days(days_ago);
        info
    }

    #[test]
    fn networks_are_prefixes_in_text() {
        let net = |ip: &str| network(ip.parse().unwrap());
        assert_eq!(net("192.0.2.7"), "192.0.0.0/16");
        assert_eq!(net("2001:db8:1:2::7"), "2001:db8::/32");
        assert_eq!(net("::ffff:198.51.100.1"), "198.51.0.0/16");
    }

    #[test]
    fn long_devices_are_cut_on_a_character_boundary() {
        let device = shortened("é".repeat(200));
        assert_eq!(device.len(), MAX_DEVICE_LEN - 1);
        assert!(device.chars().all(|c| c == 'é'));
        assert_eq!(shortened("Chrome on Windows".into()), "Chrome on Windows");
    }

    #[test]
    fn same_device_on_the_same_network_is_known_within_the_window() {
        let since = crate::record::now() - time::Duration::days(90);
        let signing_in = session(0, "192.0.2.7", CHROME_WINDOWS, 0);
        let known = [session(1, "192.0.200.1", CHROME_WINDOWS, 10)];
        assert!(!is_new_device(
            &signing_in,
            &known,
            since,
            &Networks::default()
        ));
        let other_network = [session(1, "198.51.100.1", CHROME_WINDOWS, 10)];
        assert!(is_new_device(
            &signing_in,
            &other_network,
            since,
            &Networks::default()
        ));
        let too_long_ago = [session(1, "192.0.2.7", CHROME_WINDOWS, 100)];
        assert!(is_new_device(
            &signing_in,
            &too_long_ago,
            since,
            &Networks::default()
        ));
        // The session itself does not count.
        let networks = Networks::default();
        assert!(is_new_device(
            &signing_in,
            std::slice::from_ref(&signing_in),
            since,
            &networks
        ));
        assert!(is_new_device(&signing_in, &[], since, &networks));
    }

    #[cfg(feature = "humanize")]
    #[test]
    fn a_browser_update_is_not_a_new_device_another_browser_is() {
        const CHROME_WINDOWS_NEWER: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) \
                                            AppleWebKit/537.36 (KHTML, like Gecko) \
                                            Chrome/132.0.0.0 Safari/537.36";
        let since = crate::record::now() - time::Duration::days(90);
        let signing_in = session(0, "2001:db8:1:2::7", CHROME_WINDOWS_NEWER, 0);
        let known = [session(1, "2001:db8:ffff::1", CHROME_WINDOWS, 1)];
        assert!(!is_new_device(
            &signing_in,
            &known,
            since,
            &Networks::default()
        ));
        let firefox = session(
            2,
            "2001:db8:1:2::7",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            0,
        );
        assert!(is_new_device(&firefox, &known, since, &Networks::default()));
    }
}
