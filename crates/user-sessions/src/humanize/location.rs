//! City and country names for IP addresses, from a MaxMind-format (`.mmdb`) database.
//!
//! Any database with the GeoIP2 City or Country layout works: MaxMind's GeoLite2 City or
//! Country (free with an account), GeoIP2 City or Country, or DB-IP's IP to City Lite or IP
//! to Country Lite (free under CC BY 4.0, which asks for attribution on pages that show its
//! data).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use maxminddb::geoip2::Names;
use serde::Deserialize;

use super::Error;

/// An open GeoIP database, cheap to clone and share between threads.
///
/// Open it once at start-up and keep it (in application state, or the template
/// environment through `register_filters`, with the `minijinja` feature).
///
/// ```
/// use user_sessions::humanize::{GeoIp, Language};
/// # let dir = tempfile::tempdir()?;
/// # let path = dir.path().join("GeoLite2-City.mmdb");
/// # {
/// #     use mmdb_writer::{Value, Writer};
/// #     let names = |en: &str, de: &str| Value::map([("names", Value::map([("en", en), ("de", de)]))]);
/// #     let mut w = Writer::new("GeoLite2-City");
/// #     w.insert_value("81.2.69.0/24".parse::<mmdb_writer::ipnet::IpNet>()?, Value::map([
/// #         ("city", names("London", "London")),
/// #         ("country", names("United Kingdom", "Vereinigtes Königreich")),
/// #     ]))?;
/// #     std::fs::write(&path, w.to_bytes()?)?;
/// # }
///
/// let geoip = GeoIp::open(&path)?; // e.g. GeoLite2-City.mmdb
/// let ip = "81.2.69.142".parse()?;
/// assert_eq!(geoip.location(ip).as_deref(), Some("London, United Kingdom"));
/// assert_eq!(
///     geoip.location_in(ip, Language::German).as_deref(),
///     Some("London, Vereinigtes Königreich"),
/// );
/// assert_eq!(geoip.location("192.168.1.10".parse()?), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct GeoIp {
    reader: Arc<Source>,
}

enum Source {
    Memory(maxminddb::Reader<Vec<u8>>),
    Mapped(maxminddb::Reader<maxminddb::Mmap>),
}

impl fmt::Debug for GeoIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeoIp")
            .field("database_type", &self.database_type())
            .field("memory_mapped", &matches!(*self.reader, Source::Mapped(_)))
            .finish()
    }
}

impl GeoIp {
    /// Opens a `.mmdb` database, reading it into memory once.
    ///
    /// # Errors
    ///
    /// [`Error::GeoIpOpen`], naming the path, if the file cannot be read or is not a MaxMind
    /// DB.
    ///
    /// ```
    /// use user_sessions::humanize::GeoIp;
    ///
    /// let err = GeoIp::open("/nonexistent/GeoLite2-City.mmdb").unwrap_err();
    /// assert!(err.to_string().contains("/nonexistent/GeoLite2-City.mmdb"));
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<GeoIp, Error> {
        let path = path.as_ref();
        let reader = maxminddb::Reader::open_readfile(path).map_err(|source| Error::GeoIpOpen {
            path: path.to_owned(),
            source,
        })?;
        Ok(GeoIp {
            reader: Arc::new(Source::Memory(reader)),
        })
    }

    /// Opens a `.mmdb` database by memory-mapping it: the pages are shared with every other
    /// process that maps the same file, and only the parts looked at are read.
    ///
    /// # Safety
    ///
    /// The file must not be modified or truncated while the `GeoIp` (or any clone of it)
    /// exists; that would be undefined behaviour. Replacing it with a new file by renaming
    /// over it, as `geoipupdate` does, is fine: the mapping keeps the old file alive.
    ///
    /// # Errors
    ///
    /// [`Error::GeoIpOpen`], naming the path, if the file cannot be opened or mapped or is
    /// not a MaxMind DB.
    pub unsafe fn open_mmap(path: impl AsRef<Path>) -> Result<GeoIp, Error> {
        let path = path.as_ref();
        // SAFETY: the caller guarantees that the file is not modified while mapped.
        let reader =
            unsafe { maxminddb::Reader::open_mmap(path) }.map_err(|source| Error::GeoIpOpen {
                path: path.to_owned(),
                source,
            })?;
        Ok(GeoIp {
            reader: Arc::new(Source::Mapped(reader)),
        })
    }

    /// Uses a database already in memory (embedded, downloaded, or built by a test).
    ///
    /// # Errors
    ///
    /// [`Error::GeoIpInvalid`] if the bytes are not a MaxMind DB.
    ///
    /// ```
    /// use user_sessions::humanize::GeoIp;
    ///
    /// assert!(GeoIp::from_bytes(b"not a database".to_vec()).is_err());
    /// ```
    pub fn from_bytes(bytes: Vec<u8>) -> Result<GeoIp, Error> {
        let reader = maxminddb::Reader::from_source(bytes).map_err(Error::GeoIpInvalid)?;
        Ok(GeoIp {
            reader: Arc::new(Source::Memory(reader)),
        })
    }

    /// The database type from its metadata, e.g. "GeoLite2-City" or "DBIP-Country-Lite".
    pub fn database_type(&self) -> &str {
        match &*self.reader {
            Source::Memory(r) => &r.metadata().database_type,
            Source::Mapped(r) => &r.metadata().database_type,
        }
    }

    /// The city and country of `ip`, with names in `language` where the database has them
    /// and in English otherwise. `None` for private, loopback and other non-public
    /// addresses, and for addresses the database does not know.
    pub fn lookup(&self, ip: IpAddr, language: Language) -> Option<Location> {
        let ip = public_address(ip)?;
        match &*self.reader {
            Source::Memory(r) => lookup_in(r, ip, language),
            Source::Mapped(r) => lookup_in(r, ip, language),
        }
    }

    /// "City, Country", or just the country when the city is unknown (or the database is a
    /// Country database), in English; `None` when nothing is known. See [`GeoIp::lookup`].
    pub fn location(&self, ip: IpAddr) -> Option<String> {
        self.location_in(ip, Language::English)
    }

    /// [`GeoIp::location`] with names in `language` where the database has them.
    pub fn location_in(&self, ip: IpAddr, language: Language) -> Option<String> {
        self.lookup(ip, language).map(|l| l.to_string())
    }

    /// The city name of `ip` in English, if the database has one (Country databases never
    /// do).
    pub fn city(&self, ip: IpAddr) -> Option<String> {
        self.city_in(ip, Language::English)
    }

    /// [`GeoIp::city`] with the name in `language` where the database has it.
    pub fn city_in(&self, ip: IpAddr, language: Language) -> Option<String> {
        self.lookup(ip, language)?.city
    }

    /// The country name of `ip` in English, if known.
    pub fn country(&self, ip: IpAddr) -> Option<String> {
        self.country_in(ip, Language::English)
    }

    /// [`GeoIp::country`] with the name in `language` where the database has it.
    pub fn country_in(&self, ip: IpAddr, language: Language) -> Option<String> {
        self.lookup(ip, language)?.country
    }
}

/// Where an address is, as far as the database knows. `Display` gives "City, Country", or
/// the one that is known.
///
/// ```
/// use user_sessions::humanize::Location;
///
/// let zwolle = Location { city: Some("Zwolle".into()), country: Some("The Netherlands".into()) };
/// assert_eq!(zwolle.to_string(), "Zwolle, The Netherlands");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location {
    /// The city name.
    pub city: Option<String>,
    /// The country name.
    pub country: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.city, &self.country) {
            (Some(city), Some(country)) => write!(f, "{city}, {country}"),
            (Some(one), None) | (None, Some(one)) => f.write_str(one),
            (None, None) => Ok(()),
        }
    }
}

/// The part of a GeoIP2 City or Country record we read; the rest is skipped.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    city: Place<'a>,
    #[serde(borrow, default)]
    country: Place<'a>,
}

#[derive(Deserialize, Default)]
struct Place<'a> {
    #[serde(borrow, default)]
    names: Names<'a>,
}

fn lookup_in<S: AsRef<[u8]>>(
    reader: &maxminddb::Reader<S>,
    ip: IpAddr,
    language: Language,
) -> Option<Location> {
    let record = match reader.lookup(ip).and_then(|r| r.decode::<Record<'_>>()) {
        Ok(record) => record?,
        Err(e) => {
            // An IPv6 address in an IPv4-only database, or a damaged database.
            tracing::debug!("GeoIP lookup of {ip} failed: {e}");
            return None;
        }
    };
    let location = Location {
        city: language.pick(&record.city.names).map(str::to_owned),
        country: language.pick(&record.country.names).map(str::to_owned),
    };
    (location.city.is_some() || location.country.is_some()).then_some(location)
}

/// `ip` as the database should see it, or `None` when it is not a public address.
///
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, what dual-stack sockets report for IPv4
/// clients) are looked up as IPv4.
fn public_address(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4).then_some(ip),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4).then_some(IpAddr::V4(v4)),
            None => is_public_v6(v6).then_some(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                    // "this network"
        || ip.is_private()                      // 10/8, 172.16/12, 192.168/16
        || ip.is_loopback()                     // 127/8
        || ip.is_link_local()                   // 169.254/16
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT), 100.64/10
        || (a == 192 && b == 0 && c == 0)       // IETF protocol assignments
        || ip.is_documentation()                // 192.0.2/24, 198.51.100/24, 203.0.113/24
        || (a == 198 && (b == 18 || b == 19))   // benchmarking, 198.18/15
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00                       // unique local, fc00::/7
        || (s[0] & 0xffc0) == 0xfe80                       // link-local, fe80::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8)             // documentation, 2001:db8::/32
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0)) // discard, 100::/64
}

/// The languages GeoIP databases carry names in. Names fall back to English when the
/// database lacks the requested language.
///
/// ```
/// use user_sessions::humanize::Language;
///
/// assert_eq!("pt-BR".parse::<Language>(), Ok(Language::BrazilianPortuguese));
/// assert_eq!(Language::from_tag("de-CH"), Some(Language::German));
/// assert_eq!(Language::from_accept_language("nl-NL, fr;q=0.8, en;q=0.5"), Language::French);
/// assert_eq!(Language::from_accept_language(""), Language::English);
/// assert_eq!(Language::Japanese.tag(), "ja");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// `en`, the default and the fallback.
    #[default]
    English,
    /// `de`.
    German,
    /// `es`.
    Spanish,
    /// `fr`.
    French,
    /// `ja`.
    Japanese,
    /// `pt-BR` (also chosen for other `pt` tags: it is the only Portuguese databases have).
    BrazilianPortuguese,
    /// `ru`.
    Russian,
    /// `zh-CN` (chosen for `zh`, `zh-CN`, `zh-SG` and `zh-Hans`, not for traditional Chinese).
    SimplifiedChinese,
}

impl Language {
    /// Every language.
    pub const ALL: [Language; 8] = [
        Language::German,
        Language::English,
        Language::Spanish,
        Language::French,
        Language::Japanese,
        Language::BrazilianPortuguese,
        Language::Russian,
        Language::SimplifiedChinese,
    ];

    /// The tag databases use for the language: `en`, `de`, `es`, `fr`, `ja`, `pt-BR`, `ru`,
    /// `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::Spanish => "es",
            Language::French => "fr",
            Language::Japanese => "ja",
            Language::BrazilianPortuguese => "pt-BR",
            Language::Russian => "ru",
            Language::SimplifiedChinese => "zh-CN",
        }
    }

    /// The language for a BCP 47 tag (`de`, `de-AT`, `pt-BR`, `zh-Hans-CN`; any case), if
    /// databases have names in it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let mut subtags = tag.trim().split(['-', '_']);
        let primary = subtags.next()?.to_ascii_lowercase();
        let language = match primary.as_str() {
            "en" => Language::English,
            "de" => Language::German,
            "es" => Language::Spanish,
            "fr" => Language::French,
            "ja" => Language::Japanese,
            "pt" => Language::BrazilianPortuguese,
            "ru" => Language::Russian,
            "zh" => {
                let traditional = subtags.any(|s| {
                    ["hant", "tw", "hk", "mo"]
                        .iter()
                        .any(|t| s.eq_ignore_ascii_case(t))
                });
                if traditional {
                    return None;
                }
                Language::SimplifiedChinese
            }
            _ => return None,
        };
        Some(language)
    }

    /// The client's most preferred language that databases have names in, from an
    /// `Accept-Language` header; English when none is.
    pub fn from_accept_language(header: &str) -> Language {
        let mut best: Option<(f32, Language)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(language) = parts.next().and_then(Language::from_tag) else {
                continue;
            };
            let quality = parts
                .find_map(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=")
                        .or_else(|| p.strip_prefix("Q="))
                        .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                })
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, language));
            }
        }
        best.map_or(Language::English, |(_, language)| language)
    }

    /// The name in this language, else the English one.
    fn pick<'a>(self, names: &Names<'a>) -> Option<&'a str> {
        let wanted = match self {
            Language::English => names.english,
            Language::German => names.german,
            Language::Spanish => names.spanish,
            Language::French => names.french,
            Language::Japanese => names.japanese,
            Language::BrazilianPortuguese => names.brazilian_portuguese,
            Language::Russian => names.russian,
            Language::SimplifiedChinese => names.simplified_chinese,
        };
        wanted
            .or(names.english)
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }
}

/// The error of parsing a [`Language`] from a tag databases have no names in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no GeoIP names in language `{0}` (expected en, de, es, fr, ja, pt-BR, ru or zh-CN)")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Language::from_tag(tag).ok_or_else(|| UnknownLanguage(tag.to_owned()))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("valid address")
    }

    #[test]
    fn non_public_addresses() {
        for private in [
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "100::1",
        ] {
            assert_eq!(public_address(ip(private)), None, "{private}");
        }
    }

    #[test]
    fn public_addresses() {
        for public in [
            "8.8.8.8",
            "81.2.69.142",
            "172.32.0.1",
            "100.128.0.1",
            "2a02:a000::1",
        ] {
            assert_eq!(public_address(ip(public)), Some(ip(public)), "{public}");
        }
        assert_eq!(public_address(ip("::ffff:8.8.8.8")), Some(ip("8.8.8.8")));
    }

    #[test]
    fn languages() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
            assert_eq!(language.to_string().parse::<Language>(), Ok(language));
        }
        assert_eq!(
            Language::from_tag("PT-pt"),
            Some(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Language::from_tag("zh_Hans_CN"),
            Some(Language::SimplifiedChinese)
        );
        assert_eq!(Language::from_tag("zh-TW"), None);
        assert_eq!(Language::from_tag("nl"), None);
        assert_eq!(Language::from_tag(""), None);
        assert!(
            "xx".parse::<Language>()
                .unwrap_err()
                .to_string()
                .contains("xx")
        );
        assert_eq!(
            Language::from_accept_language("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"),
            Language::German
        );
        assert_eq!(
            Language::from_accept_language("en;q=0.1, ja;q=0.2"),
            Language::Japanese
        );
        assert_eq!(
            Language::from_accept_language("ja;q=0, *"),
            Language::English
        );
        assert_eq!(
            Language::from_accept_language("fr;q=junk, ru"),
            Language::Russian
        );
    }

    #[test]
    fn names_fall_back_to_english() {
        let names = Names {
            english: Some("Germany"),
            german: Some("Deutschland"),
            ..Names::default()
        };
        assert_eq!(Language::German.pick(&names), Some("Deutschland"));
        assert_eq!(Language::Russian.pick(&names), Some("Germany"));
        assert_eq!(Language::Russian.pick(&Names::default()), None);
    }
}
