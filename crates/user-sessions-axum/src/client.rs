//! What the layer records about the client: IP (with trusted-proxy rules), user agent, client
//! hints, and the privacy settings that limit them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use http::{HeaderMap, HeaderName, HeaderValue, header};
use ipnet::IpNet;
use user_sessions::ClientHints;

/// How much of the client's IP address is stored.
///
/// ```
/// use user_sessions_axum::IpPrivacy;
///
/// let ip = "203.0.113.77".parse().unwrap();
/// assert_eq!(IpPrivacy::Full.apply(ip), Some(ip));
/// assert_eq!(IpPrivacy::Masked.apply(ip), Some("203.0.113.0".parse().unwrap()));
/// assert_eq!(IpPrivacy::Masked.apply("2001:db8:aa:bb::1".parse().unwrap()),
///            Some("2001:db8:aa::".parse().unwrap()));
/// assert_eq!(IpPrivacy::Off.apply(ip), None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IpPrivacy {
    /// The whole address (the default).
    #[default]
    Full,
    /// The network only: IPv4 /24, IPv6 /48 (enough for a rough location, not for a person).
    Masked,
    /// No address at all.
    Off,
}

impl IpPrivacy {
    /// The address as this setting stores it.
    pub fn apply(self, ip: IpAddr) -> Option<IpAddr> {
        match (self, ip) {
            (IpPrivacy::Off, _) => None,
            (IpPrivacy::Full, ip) => Some(ip),
            (IpPrivacy::Masked, IpAddr::V4(v4)) => {
                let [a, b, c, _] = v4.octets();
                Some(IpAddr::V4(Ipv4Addr::new(a, b, c, 0)))
            }
            (IpPrivacy::Masked, IpAddr::V6(v6)) => {
                let [a, b, c, ..] = v6.segments();
                Some(IpAddr::V6(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0)))
            }
        }
    }
}

/// The header a trusted proxy reports the client's address in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, most load balancers).
    #[default]
    XForwardedFor,
    /// `Forwarded: for=client, for="[2001:db8::1]:4711"` (RFC 7239).
    Forwarded,
}

impl ForwardedHeader {
    fn name(self) -> HeaderName {
        match self {
            ForwardedHeader::XForwardedFor => HeaderName::from_static("x-forwarded-for"),
            ForwardedHeader::Forwarded => header::FORWARDED,
        }
    }
}

/// The proxies whose forwarding header is believed. Empty by default: the client's address is
/// the connection's peer, and forwarding headers — which any client can send — are ignored.
///
/// When the peer is one of these networks, the configured header is read from right to left,
/// skipping addresses of trusted proxies; the first untrusted address is the client. Only the
/// one configured header is read (a proxy that appends to `X-Forwarded-For` passes a spoofed
/// `Forwarded` through untouched). An entry that is not an IP address stops the walk at the
/// last trusted hop.
///
/// ```
/// use user_sessions_axum::{ForwardedHeader, TrustedProxies};
///
/// let proxies: TrustedProxies = "10.0.0.0/8, 192.168.1.1, fd00::/8".parse()?;
/// assert!(proxies.contains("10.1.2.3".parse().unwrap()));
/// assert!(!proxies.contains("203.0.113.9".parse().unwrap()));
/// let proxies = proxies.header(ForwardedHeader::Forwarded);
/// assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
/// # Ok::<(), user_sessions_axum::InvalidProxy>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardedHeader,
}

/// A trusted proxy that is neither an IP address nor a CIDR network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IP address or CIDR network (e.g. 10.0.0.0/8, fd00::/8, 127.0.0.1)")]
pub struct InvalidProxy(pub String);

impl TrustedProxies {
    /// Trusts these networks, reading `X-Forwarded-For`.
    pub fn new(networks: impl IntoIterator<Item = IpNet>) -> Self {
        TrustedProxies {
            networks: networks.into_iter().map(|net| net.trunc()).collect(),
            header: ForwardedHeader::default(),
        }
    }

    /// Reads `header` instead of `X-Forwarded-For`.
    pub fn header(mut self, header: ForwardedHeader) -> Self {
        self.header = header;
        self
    }

    /// Whether `ip` belongs to a trusted proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.networks.iter().any(|net| net.contains(&ip))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }

    /// The client's address, given the connection's peer and the request headers.
    ///
    /// ```
    /// use http::HeaderMap;
    /// use user_sessions_axum::TrustedProxies;
    ///
    /// let proxies: TrustedProxies = "10.0.0.0/8".parse()?;
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.2".parse().unwrap());
    /// let peer = "10.0.0.1".parse().unwrap();
    /// assert_eq!(proxies.client_ip(Some(peer), &headers), Some("198.51.100.7".parse().unwrap()));
    /// // A client that talks to the application directly cannot choose its address.
    /// let direct = "198.51.100.7".parse().unwrap();
    /// assert_eq!(proxies.client_ip(Some(direct), &headers), Some(direct));
    /// # Ok::<(), user_sessions_axum::InvalidProxy>(())
    /// ```
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?.to_canonical();
        if !self.contains(peer) {
            return Some(peer);
        }
        Some(self.walk_forwarded(peer, headers.get_all(self.header.name()).iter()))
    }

    /// Walks the forwarding hops from the right, starting at the trusted `peer`.
    fn walk_forwarded<'a>(
        &self,
        peer: IpAddr,
        values: impl DoubleEndedIterator<Item = &'a HeaderValue>,
    ) -> IpAddr {
        /// More hops than any real proxy chain has; the rest is not looked at.
        const MAX_HOPS: usize = 32;
        let mut client = peer;
        let mut hops = 0;
        for value in values.rev() {
            let Ok(text) = value.to_str() else {
                return client;
            };
            for entry in text.rsplit(',') {
                hops += 1;
                let hop = match self.header {
                    ForwardedHeader::XForwardedFor => parse_address(entry),
                    ForwardedHeader::Forwarded => forwarded_for(entry),
                };
                let Some(hop) = hop else {
                    return client;
                };
                client = hop.to_canonical();
                if !self.contains(client) || hops >= MAX_HOPS {
                    return client;
                }
            }
        }
        client
    }
}

impl FromStr for TrustedProxies {
    type Err = InvalidProxy;

    /// Comma- or whitespace-separated networks and addresses.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let networks = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| InvalidProxy(part.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustedProxies::new(networks))
    }
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:80`, `2001:db8::1`, `[2001:db8::1]`,
/// `[2001:db8::1]:80`.
fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    text.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse::<Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

/// The address in the `for=` parameter of one `Forwarded` element.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("for") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        parse_address(value)
    })
}

/// Settings of what the layer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientSettings {
    pub ip: IpPrivacy,
    pub proxies: TrustedProxies,
    pub user_agent: bool,
    pub max_user_agent_len: usize,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            ip: IpPrivacy::Full,
            proxies: TrustedProxies::default(),
            user_agent: true,
            max_user_agent_len: DEFAULT_MAX_USER_AGENT_LEN,
        }
    }
}

/// The default longest user agent stored, in bytes.
pub const DEFAULT_MAX_USER_AGENT_LEN: usize = 512;

/// The longest client hint stored, in bytes (real ones are far shorter).
const MAX_HINT_LEN: usize = 256;

/// What one request tells about its client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Client {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub client_hints: Option<ClientHints>,
}

/// The raw headers a request brought, kept cheaply until the response shows they are needed.
/// (Hashed as they are, they tell clients apart without resolving them.)
#[derive(Debug, Default, Hash)]
pub(crate) struct ClientHeaders {
    peer: Option<IpAddr>,
    forwarded: Vec<HeaderValue>,
    user_agent: Option<HeaderValue>,
    hints: [Option<HeaderValue>; 4],
}

/// Which of [`ClientHeaders::hints`] a header fills: `Sec-CH-UA`, `-Mobile`, `-Platform`,
/// `-Platform-Version`.
fn hint_index(name: &HeaderName) -> Option<usize> {
    match name.as_str().strip_prefix("sec-ch-ua")? {
        "" => Some(0),
        "-mobile" => Some(1),
        "-platform" => Some(2),
        "-platform-version" => Some(3),
        _ => None,
    }
}

impl ClientHeaders {
    pub(crate) fn capture(
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        settings: &ClientSettings,
    ) -> Self {
        let peer_is_proxy = peer.is_some_and(|ip| settings.proxies.contains(ip));
        let forwarded = if settings.ip != IpPrivacy::Off && peer_is_proxy {
            headers
                .get_all(settings.proxies.header.name())
                .iter()
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let mut user_agent = None;
        let mut hints: [Option<HeaderValue>; 4] = Default::default();
        if settings.user_agent {
            // One pass over the request's headers rather than a lookup per name; the first
            // value of each counts, as with `HeaderMap::get`.
            for (name, value) in headers {
                let slot = if name == header::USER_AGENT {
                    &mut user_agent
                } else if let Some(hint) = hint_index(name) {
                    &mut hints[hint]
                } else {
                    continue;
                };
                if slot.is_none() {
                    *slot = Some(value.clone());
                }
            }
        }
        ClientHeaders {
            peer,
            forwarded,
            user_agent,
            hints,
        }
    }

    pub(crate) fn resolve(&self, settings: &ClientSettings) -> Client {
        let ip = match self.peer {
            Some(peer) if settings.proxies.contains(peer) => Some(
                settings
                    .proxies
                    .walk_forwarded(peer.to_canonical(), self.forwarded.iter()),
            ),
            peer => peer.map(|ip| ip.to_canonical()),
        }
        .and_then(|ip| settings.ip.apply(ip));
        let text = |value: &Option<HeaderValue>, max: usize| {
            value.as_ref().and_then(|value| header_text(value, max))
        };
        let [brands, mobile, platform, platform_version] = &self.hints;
        let client_hints = ClientHints {
            brands: text(brands, MAX_HINT_LEN),
            mobile: mobile
                .as_ref()
                .and_then(|value| match value.as_bytes().trim_ascii() {
                    b"?1" => Some(true),
                    b"?0" => Some(false),
                    _ => None,
                }),
            platform: text(platform, MAX_HINT_LEN),
            platform_version: text(platform_version, MAX_HINT_LEN),
        };
        Client {
            ip,
            user_agent: text(&self.user_agent, settings.max_user_agent_len),
            client_hints: (!client_hints.is_empty()).then_some(client_hints),
        }
    }
}

/// A header as text: bytes that are not UTF-8 are replaced (U+FFFD), the result is trimmed
/// and cut to at most `max` bytes on a character boundary. Empty reads as absent.
fn header_text(value: &HeaderValue, max: usize) -> Option<String> {
    let text = String::from_utf8_lossy(value.as_bytes());
    let text = truncate_on_char_boundary(text.trim(), max);
    (!text.is_empty()).then(|| text.to_owned())
}

/// The longest prefix of `text` that is at most `max` bytes and ends on a character boundary.
fn truncate_on_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_headers_are_ignored_without_trusted_proxies() {
        let proxies = TrustedProxies::default();
        let map = headers(&[
            ("x-forwarded-for", b"1.2.3.4"),
            ("forwarded", b"for=1.2.3.4"),
        ]);
        assert_eq!(
            proxies.client_ip(Some(ip("198.51.100.1")), &map),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(proxies.client_ip(None, &map), None);
    }

    #[test]
    fn walks_right_to_left_over_several_headers_and_trusted_hops() {
        let proxies: TrustedProxies = "10.0.0.0/8, 172.16.0.0/12".parse().unwrap();
        let map = headers(&[
            ("x-forwarded-for", b"9.9.9.9, 203.0.113.5"),
            ("x-forwarded-for", b"172.16.0.9, 10.0.0.7"),
        ]);
        assert_eq!(
            proxies.client_ip(Some(ip("10.0.0.1")), &map),
            Some(ip("203.0.113.5"))
        );
    }

    #[test]
    fn all_hops_trusted_gives_the_leftmost() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let map = headers(&[("x-forwarded-for", b"10.9.9.9, 10.0.0.7")]);
        assert_eq!(
            proxies.client_ip(Some(ip("10.0.0.1")), &map),
            Some(ip("10.9.9.9"))
        );
        // No header at all: the proxy itself.
        assert_eq!(
            proxies.client_ip(Some(ip("10.0.0.1")), &HeaderMap::new()),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn invalid_entries_stop_at_the_last_trusted_hop() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        for garbage in [
            &b"1.2.3.4, not-an-ip"[..],
            b"1.2.3.4, ",
            b"999.1.1.1",
            b"unknown",
            b"\xff\xfe",
        ] {
            let map = headers(&[("x-forwarded-for", garbage)]);
            assert_eq!(
                proxies.client_ip(Some(ip("10.0.0.1")), &map),
                Some(ip("10.0.0.1")),
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn address_forms() {
        let proxies: TrustedProxies = "127.0.0.1".parse().unwrap();
        for (value, expected) in [
            ("192.0.2.1:8080", "192.0.2.1"),
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("::ffff:192.0.2.9", "192.0.2.9"),
        ] {
            let map = headers(&[("x-forwarded-for", value.as_bytes())]);
            assert_eq!(
                proxies.client_ip(Some(ip("127.0.0.1")), &map),
                Some(ip(expected)),
                "{value}"
            );
        }
    }

    #[test]
    fn rfc7239_forwarded() {
        let proxies = "10.0.0.0/8"
            .parse::<TrustedProxies>()
            .unwrap()
            .header(ForwardedHeader::Forwarded);
        let map = headers(&[(
            "forwarded",
            b"for=6.6.6.6, For=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.1.1.1;by=10.0.0.1",
        )]);
        assert_eq!(
            proxies.client_ip(Some(ip("10.0.0.1")), &map),
            Some(ip("2001:db8:cafe::17"))
        );
        let hidden = headers(&[("forwarded", b"for=_hidden, for=10.1.1.1")]);
        assert_eq!(
            proxies.client_ip(Some(ip("10.0.0.1")), &hidden),
            Some(ip("10.1.1.1"))
        );
        // X-Forwarded-For is not read when Forwarded is configured.
        let other = headers(&[("x-forwarded-for", b"6.6.6.6")]);
        assert_eq!(
            proxies.client_ip(Some(ip("10.0.0.1")), &other),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn mapped_peer_addresses_are_canonical() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let map = headers(&[("x-forwarded-for", b"198.51.100.3")]);
        assert_eq!(
            proxies.client_ip(Some(ip("::ffff:10.0.0.1")), &map),
            Some(ip("198.51.100.3"))
        );
        assert_eq!(
            TrustedProxies::default().client_ip(Some(ip("::ffff:198.51.100.3")), &map),
            Some(ip("198.51.100.3"))
        );
    }

    #[test]
    fn user_agent_and_hints() {
        let settings = ClientSettings {
            max_user_agent_len: 4,
            ..ClientSettings::default()
        };
        let map = headers(&[
            ("user-agent", "aéééé".as_bytes()),
            ("sec-ch-ua", b"\"Chromium\";v=\"130\""),
            ("sec-ch-ua-mobile", b"?1"),
            ("sec-ch-ua-platform", b"\"Android\""),
        ]);
        let client =
            ClientHeaders::capture(Some(ip("192.0.2.1")), &map, &settings).resolve(&settings);
        assert_eq!(client.user_agent.as_deref(), Some("aé"));
        let hints = client.client_hints.unwrap();
        assert_eq!(hints.mobile, Some(true));
        assert_eq!(hints.platform.as_deref(), Some("\"Android\""));
        assert_eq!(hints.platform_version, None);

        // The first of repeated headers counts; look-alike names do not.
        let map = headers(&[
            ("sec-ch-ua-mobile", b"?0"),
            ("user-agent", b"first"),
            ("sec-ch-ua-mobile", b"?1"),
            ("user-agent", b"second"),
            ("sec-ch-ua-model", b"\"Pixel\""),
            ("sec-ch-ua-platform-version-x", b"\"1\""),
        ]);
        let client = ClientHeaders::capture(None, &map, &ClientSettings::default())
            .resolve(&ClientSettings::default());
        assert_eq!(client.user_agent.as_deref(), Some("first"));
        let hints = client.client_hints.unwrap();
        assert_eq!(hints.mobile, Some(false));
        assert_eq!((hints.brands, hints.platform_version), (None, None));

        let map = headers(&[("user-agent", b"Mozilla \xff\xfe/5.0")]);
        let client =
            ClientHeaders::capture(None, &map, &settings).resolve(&ClientSettings::default());
        assert_eq!(
            client.user_agent.as_deref(),
            Some("Mozilla \u{fffd}\u{fffd}/5.0")
        );
        assert_eq!(client.ip, None);
        assert_eq!(client.client_hints, None);
    }

    #[test]
    fn privacy_settings() {
        let settings = ClientSettings {
            ip: IpPrivacy::Masked,
            user_agent: false,
            ..ClientSettings::default()
        };
        let map = headers(&[("user-agent", b"curl"), ("sec-ch-ua-mobile", b"?0")]);
        let client =
            ClientHeaders::capture(Some(ip("192.0.2.77")), &map, &settings).resolve(&settings);
        assert_eq!(client.ip, Some(ip("192.0.2.0")));
        assert_eq!(client.user_agent, None);
        assert_eq!(client.client_hints, None);
    }
}
