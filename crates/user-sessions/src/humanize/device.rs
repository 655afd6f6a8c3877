//! Browser, platform and device names from a `User-Agent` string and client hints.
//!
//! Over 600 lines with its unit tests beside it; the code is under 600.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, LazyLock};

use quick_cache::sync::Cache;
use serde::Deserialize;
use ua_parser::{os, user_agent};

use super::Error;
use super::hints;
use crate::ClientHints;

/// User agents longer than this many bytes are not looked at: no browser sends one, and a
/// header that large is junk or an attack.
pub const MAX_USER_AGENT_LEN: usize = 4096;

/// Only this many leading bytes of a user agent are parsed (every token that names a browser
/// or a platform comes well before), which bounds the work per string and the size of the
/// cache.
pub const PARSED_PREFIX_LEN: usize = 512;

/// How many user agents the cache keeps (about: its shards round it up a little).
const CACHE_CAPACITY: usize = 2048;

/// The user-agent and OS parsers of uap-core's `regexes.yaml`, converted verbatim to JSON
/// (the device parsers, which we do not need, are left out). See `data/uap-core/README.md`.
const REGEXES_JSON: &str = include_str!("../../data/uap-core/regexes.json");

#[derive(Deserialize)]
struct Regexes {
    user_agent_parsers: Vec<user_agent::Parser<'static>>,
    os_parsers: Vec<os::Parser<'static>>,
}

struct Parsers {
    browser: user_agent::Extractor<'static>,
    os: os::Extractor<'static>,
}

impl Parsers {
    fn load() -> Result<Self, String> {
        let regexes: Regexes = serde_json::from_str(REGEXES_JSON).map_err(|e| e.to_string())?;
        let browser = user_agent::Builder::new()
            .push_all(regexes.user_agent_parsers)
            .map_err(|e| e.to_string())?
            .build()
            .map_err(|e| e.to_string())?;
        let os = os::Builder::new()
            .push_all(regexes.os_parsers)
            .map_err(|e| e.to_string())?
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Parsers { browser, os })
    }
}

static PARSERS: LazyLock<Result<Parsers, String>> = LazyLock::new(|| {
    let parsers = Parsers::load();
    if let Err(e) = &parsers {
        tracing::error!("user agents cannot be humanized: {e}");
    }
    parsers
});

/// What each user agent (its parsed prefix) gave. Sessions of one user, and the users of one
/// site, send the same few user agents over and over, so this saves most of the parsing.
static CACHE: LazyLock<Cache<String, Arc<Parsed>>> = LazyLock::new(|| Cache::new(CACHE_CAPACITY));

/// Loads and compiles the bundled parser data now rather than on first use.
///
/// This takes a few tens of milliseconds once per process; call it at start-up to keep that
/// off the first request. It only fails if the bundled data is broken, which the crate's
/// tests rule out; the functions of this module then return `None`.
///
/// ```
/// user_sessions::humanize::init()?;
/// # Ok::<(), user_sessions::humanize::Error>(())
/// ```
pub fn init() -> Result<(), Error> {
    match &*PARSERS {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::ParserData(e.clone())),
    }
}

/// What a user agent (and, optionally, the client hints sent with it) says about the client:
/// the browser and the platform it runs on, in words.
///
/// `Display` gives the device text, "{browser} on {platform}" ("Safari on iPhone"), or
/// whichever of the two is known, or nothing.
///
/// ```
/// use user_sessions::humanize::Device;
///
/// let d = Device::parse(
///     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:77.0) Gecko/20100101 Firefox/77.0",
/// );
/// assert_eq!(d.browser.as_deref(), Some("Firefox"));
/// assert_eq!(d.platform.as_deref(), Some("macOS"));
/// assert_eq!(d.to_string(), "Firefox on macOS");
/// assert!(Device::parse("").is_unknown());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Device {
    /// The browser: "Chrome", "Safari", "Firefox", "Edge", "Opera", "Internet Explorer",
    /// "Samsung Internet", "Yandex Browser", "UC Browser", "Vivaldi", "Chromium", or the name
    /// uap-core gives any other client.
    pub browser: Option<String>,
    /// The platform: "iPhone", "iPad", "iPod", "Android", "macOS", "Chrome OS", "Linux",
    /// "Windows Phone", "Windows Mobile", "Windows", "Windows 11", "Windows 10",
    /// "Windows 8.1", "Windows 8", "Windows 7", "Windows Vista", "Windows XP", …, or the name
    /// uap-core gives any other operating system.
    pub platform: Option<String>,
}

impl Device {
    /// Reads a `User-Agent` header value.
    ///
    /// Empty, binary-looking (control characters) and over-long
    /// ([`MAX_USER_AGENT_LEN`]) strings give an unknown device. Results are cached.
    pub fn parse(user_agent: &str) -> Device {
        lookup(user_agent).device.clone()
    }

    /// Reads a `User-Agent` header value together with the client hints the browser sent.
    ///
    /// Hints win where they say more than the user agent, which browsers have frozen:
    /// `Sec-CH-UA-Platform-Version` tells Windows 11 from Windows 10, and `Sec-CH-UA` names
    /// browsers that pretend to be Chrome (Brave, for one). The user agent wins where it says
    /// more (an iPad rather than iOS; Opera rather than Chromium). `Sec-CH-UA-Mobile` is not
    /// used: it tells nothing the platform does not.
    ///
    /// ```
    /// use user_sessions::ClientHints;
    /// use user_sessions::humanize::Device;
    ///
    /// let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
    ///           (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    /// let hints = ClientHints {
    ///     brands: Some(r#""Brave";v="131", "Chromium";v="131", "Not_A Brand";v="24""#.into()),
    ///     platform: Some("\"Windows\"".into()),
    ///     platform_version: Some("\"15.0.0\"".into()),
    ///     ..ClientHints::default()
    /// };
    /// assert_eq!(Device::parse(ua).to_string(), "Chrome on Windows");
    /// assert_eq!(Device::parse_with_hints(ua, &hints).to_string(), "Brave on Windows 11");
    /// ```
    pub fn parse_with_hints(user_agent: &str, hints: &ClientHints) -> Device {
        let mut device = Device::parse(user_agent);
        device.apply_hints(hints);
        device
    }

    /// True when neither the browser nor the platform is known.
    pub fn is_unknown(&self) -> bool {
        self.browser.is_none() && self.platform.is_none()
    }

    /// The device text, "{browser} on {platform}", or whichever is known, or `None`.
    ///
    /// ```
    /// use user_sessions::humanize::Device;
    ///
    /// let d = Device { browser: Some("Safari".into()), platform: Some("iPad".into()) };
    /// assert_eq!(d.text().as_deref(), Some("Safari on iPad"));
    /// assert_eq!(Device::default().text(), None);
    /// ```
    pub fn text(&self) -> Option<String> {
        (!self.is_unknown()).then(|| self.to_string())
    }

    /// The browser's major version as the client hints give it (`Sec-CH-UA`): "126" for
    /// Chrome 126. User agents no longer tell it reliably, so only hints are read.
    ///
    /// ```
    /// use user_sessions::ClientHints;
    /// use user_sessions::humanize::Device;
    ///
    /// let hints = ClientHints {
    ///     brands: Some(r#""Chromium";v="126", "Google Chrome";v="126", "Not-A.Brand";v="8""#.into()),
    ///     ..ClientHints::default()
    /// };
    /// assert_eq!(Device::browser_version(&hints).as_deref(), Some("126"));
    /// assert_eq!(Device::browser_version(&ClientHints::default()), None);
    /// ```
    pub fn browser_version(hints: &ClientHints) -> Option<String> {
        hints
            .brands
            .as_deref()
            .and_then(hints::browser_and_version_from_brands)
            .and_then(|(_, version)| version)
    }

    fn apply_hints(&mut self, hints: &ClientHints) {
        if let Some(brand) = hints.brands.as_deref().and_then(hints::browser_from_brands) {
            // Chromium-based browsers say "Chrome" in the user agent; the brand list knows
            // better. Any other name from the user agent is more specific than the brands.
            if matches!(self.browser.as_deref(), None | Some("Chrome" | "Chromium")) {
                self.browser = Some(brand.into_owned());
            }
        }
        if let Some(platform) = self.platform_from_hints(hints) {
            self.platform = Some(platform);
        }
    }

    fn platform_from_hints(&self, hints: &ClientHints) -> Option<String> {
        let platform = hints::unquote(hints.platform.as_deref()?);
        let current = self.platform.as_deref();
        let name = match &*platform {
            "" | "Unknown" => return None,
            "Windows" => {
                let version = hints
                    .platform_version
                    .as_deref()
                    .and_then(hints::windows_from_platform_version);
                match (version, current) {
                    (Some(version), _) => version,
                    // Keep what the user agent tells (e.g. Windows 8.1).
                    (None, Some(c)) if c.starts_with("Windows") => return None,
                    (None, _) => "Windows",
                }
            }
            "macOS" => "macOS",
            "Android" => "Android",
            "Chrome OS" | "Chromium OS" => "Chrome OS",
            "Linux" => "Linux",
            "iOS" => match current {
                Some("iPhone" | "iPad" | "iPod") => return None,
                _ => "iOS",
            },
            other => return Some(other.to_owned()),
        };
        Some(name.to_owned())
    }
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.browser, &self.platform) {
            (Some(b), Some(p)) => write!(f, "{b} on {p}"),
            (Some(one), None) | (None, Some(one)) => f.write_str(one),
            (None, None) => Ok(()),
        }
    }
}

/// A cached parse result, with its text ready.
struct Parsed {
    device: Device,
    text: Option<String>,
}

static UNKNOWN: LazyLock<Arc<Parsed>> = LazyLock::new(|| {
    Arc::new(Parsed {
        device: Device::default(),
        text: None,
    })
});

/// The part of `user_agent` worth parsing, or `None` when it is not a user agent at all.
fn parseable(user_agent: &str) -> Option<&str> {
    if user_agent.len() > MAX_USER_AGENT_LEN {
        return None;
    }
    let mut end = user_agent.len().min(PARSED_PREFIX_LEN);
    while !user_agent.is_char_boundary(end) {
        end -= 1;
    }
    let ua = user_agent[..end].trim();
    if ua.is_empty() || ua.chars().any(|c| c.is_control() || c == '\u{FFFD}') {
        return None;
    }
    Some(ua)
}

fn lookup(user_agent: &str) -> Arc<Parsed> {
    let Some(ua) = parseable(user_agent) else {
        return UNKNOWN.clone();
    };
    // A thread that meets a user agent another thread is parsing waits for its result.
    let Ok(parsed) = CACHE.get_or_insert_with(ua, || {
        let device = parse_uncached(ua);
        Ok::<_, std::convert::Infallible>(Arc::new(Parsed {
            text: device.text(),
            device,
        }))
    });
    parsed
}

fn parse_uncached(ua: &str) -> Device {
    let Ok(parsers) = &*PARSERS else {
        return Device::default();
    };
    let mut browser = parsers
        .browser
        .extract(ua)
        .and_then(|v| browser_name(&v.family).map(Cow::into_owned));
    let os = parsers.os.extract(ua);
    let mut platform = os.as_ref().and_then(|v| platform_name(ua, v));

    // Windows 10 Mobile's Edge claims to be Chrome on Android ("Windows Mobile 10;
    // Android 8.0.0; … Chrome/78 Mobile Safari/537.36 Edge/40"), which uap-core believes.
    if let Some(windows) = ["Windows Mobile", "Windows Phone"]
        .into_iter()
        .find(|w| ua.contains(w))
    {
        if os.as_ref().is_some_and(|v| v.os == "Android") {
            platform = Some(windows.to_owned());
        }
        if ua.contains(" Edge/") {
            browser = Some("Edge".to_owned());
        }
    }
    if platform.is_none() {
        // uap-core wants "iPhone OS" or "CPU OS"; a bare device name still tells the platform.
        platform = apple_device(ua).map(str::to_owned);
    }
    Device { browser, platform }
}

/// Our name for a uap-core browser family; `None` for "Other".
///
/// The mobile and iOS variants take the family name (Chrome Mobile iOS → Chrome, Edge Mobile
/// → Edge, Opera Mini → Opera, Mobile Safari → Safari, IE Mobile → Internet Explorer), and
/// the old stock Android browser is "Android Browser". An iOS app's web view (uap-core's
/// "Mobile Safari UI/WKWebView") is no browser, like "Other". Families without an entry keep
/// their uap-core name.
///
/// ```
/// use user_sessions::humanize::browser_name;
///
/// assert_eq!(browser_name("Chrome Mobile iOS").as_deref(), Some("Chrome"));
/// assert_eq!(browser_name("IE").as_deref(), Some("Internet Explorer"));
/// assert_eq!(browser_name("Mobile Safari").as_deref(), Some("Safari"));
/// assert_eq!(browser_name("Mobile Safari UI/WKWebView"), None);
/// assert_eq!(browser_name("Operations Dashboard for ArcGIS").as_deref(),
///            Some("Operations Dashboard for ArcGIS"));
/// assert_eq!(browser_name("Other"), None);
/// ```
pub fn browser_name(family: &str) -> Option<Cow<'_, str>> {
    let name = match family {
        // An iOS app's embedded web view is no browser people would recognise.
        "" | "Other" | "Mobile Safari UI/WKWebView" => return None,
        "Chrome"
        | "Chrome Mobile"
        | "Chrome Mobile iOS"
        | "Chrome Mobile WebView"
        | "Chrome Frame" => "Chrome",
        "Safari" | "Mobile Safari" => "Safari",
        "Edge" | "Edge Mobile" => "Edge",
        "IE" | "IE Mobile" | "IE Large Screen" => "Internet Explorer",
        // Android's stock browser, not to be read as a platform.
        "Android" => "Android Browser",
        f if f == "Firefox" || f.starts_with("Firefox ") => "Firefox",
        f if f == "Opera" || f.starts_with("Opera ") => "Opera",
        f if f == "UC Browser" || f.starts_with("UC Browser ") => "UC Browser",
        other => return Some(Cow::Borrowed(other)),
    };
    Some(Cow::Borrowed(name))
}

/// Our name for a uap-core OS family, without the details only the user agent has
/// (which Apple device, which Windows release): iOS → "iOS", Mac OS X → "macOS", every
/// Linux distribution → "Linux", Windows → "Windows"; `None` for "Other".
///
/// ```
/// use user_sessions::humanize::platform_family;
///
/// assert_eq!(platform_family("Mac OS X").as_deref(), Some("macOS"));
/// assert_eq!(platform_family("Ubuntu").as_deref(), Some("Linux"));
/// assert_eq!(platform_family("Windows Phone").as_deref(), Some("Windows Phone"));
/// assert_eq!(platform_family("Other"), None);
/// ```
pub fn platform_family(os_family: &str) -> Option<Cow<'_, str>> {
    let name = match os_family {
        "" | "Other" => return None,
        "Mac OS X" | "Mac OS" | "macOS" => "macOS",
        "iOS" => "iOS",
        "Chrome OS" => "Chrome OS",
        f if is_linux_distribution(f) => "Linux",
        other => return Some(Cow::Borrowed(other)),
    };
    Some(Cow::Borrowed(name))
}

/// Linux distributions uap-core tells apart; all of them are "Linux" to us. (Android,
/// Chrome OS, webOS, Tizen, KaiOS and friends are not in the list: they are platforms of
/// their own.)
fn is_linux_distribution(os_family: &str) -> bool {
    matches!(
        os_family,
        "Linux"
            | "Ubuntu"
            | "Kubuntu"
            | "Xubuntu"
            | "Lubuntu"
            | "Edubuntu"
            | "Debian"
            | "Fedora"
            | "Red Hat"
            | "CentOS"
            | "Mint"
            | "Linux Mint"
            | "SUSE"
            | "openSUSE"
            | "Gentoo"
            | "Slackware"
            | "Arch Linux"
            | "Mandriva"
            | "Mageia"
            | "PCLinuxOS"
            | "Knoppix"
            | "Puppy"
            | "Raspbian"
            | "Sabayon"
            | "Zenwalk"
            | "Linpus"
            | "Foresight Linux"
            | "Pardus"
            | "Kanotix"
            | "Mandrake"
            | "Turbolinux"
            | "Kubuntu Linux"
            | "VectorLinux"
            | "Xandros"
            | "Elementary OS"
            | "elementary OS"
    )
}

/// The platform name for a parsed OS, with the details the user agent tells.
fn platform_name(ua: &str, os: &os::ValueRef<'_>) -> Option<String> {
    let name = match &*os.os {
        "iOS" => apple_device(ua).unwrap_or("iOS"),
        "Windows" => windows_name(os.major.as_deref(), os.minor.as_deref()),
        family => return platform_family(family).map(Cow::into_owned),
    };
    Some(name.to_owned())
}

/// iPhone, iPad or iPod, from the device token of an Apple user agent.
fn apple_device(ua: &str) -> Option<&'static str> {
    // iPods and iPads may also say "iPhone OS", so they are looked for first.
    ["iPad", "iPod", "iPhone"]
        .into_iter()
        .find(|device| ua.contains(device))
}

/// The Windows release uap-core found (from the NT version): NT 5.1/5.2 → XP, 6.0 → Vista,
/// 6.1 → 7, 6.2 → 8, 6.3 → 8.1. NT 10.0 is every release since Windows 10 (browsers froze
/// it), so it is just "Windows"; only client hints tell more.
fn windows_name(major: Option<&str>, minor: Option<&str>) -> &'static str {
    match (major.unwrap_or_default(), minor.unwrap_or_default()) {
        ("XP", _) => "Windows XP",
        ("Vista", _) => "Windows Vista",
        ("7", _) => "Windows 7",
        ("8", "1") => "Windows 8.1",
        ("8", _) => "Windows 8",
        ("RT 8", "1") => "Windows RT 8.1",
        ("RT", _) => "Windows RT",
        ("2000", _) => "Windows 2000",
        ("ME", _) => "Windows ME",
        ("98", _) => "Windows 98",
        ("95", _) => "Windows 95",
        ("CE", _) => "Windows CE",
        ("NT 4.0", _) => "Windows NT 4.0",
        ("3.1", _) => "Windows 3.1",
        _ => "Windows",
    }
}

/// The device text of a user agent: "{browser} on {platform}", or whichever of the two is
/// known, or `None`.
///
/// ```
/// use user_sessions::humanize::device;
///
/// assert_eq!(
///     device("Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) AppleWebKit/603.1.30 \
///             (KHTML, like Gecko) Version/10.0 Mobile/14E277 Safari/602.1").as_deref(),
///     Some("Safari on iPhone"),
/// );
/// assert_eq!(
///     device("Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) \
///             Chrome/30.0.1599.101 Safari/537.36").as_deref(),
///     Some("Chrome on Windows 8.1"),
/// );
/// assert_eq!(device("Not a legit OS Firefox/51.0").as_deref(), Some("Firefox"));
/// assert_eq!(device("iPhone not a real browser/10.3").as_deref(), Some("iPhone"));
/// assert_eq!(device(""), None);
/// ```
pub fn device(user_agent: &str) -> Option<String> {
    lookup(user_agent).text.clone()
}

/// The browser of a user agent ("Chrome", "Safari", "Internet Explorer", …).
///
/// ```
/// use user_sessions::humanize::browser;
///
/// let ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
///           (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1";
/// assert_eq!(browser(ua).as_deref(), Some("Chrome"));
/// ```
pub fn browser(user_agent: &str) -> Option<String> {
    lookup(user_agent).device.browser.clone()
}

/// The platform of a user agent ("iPhone", "Android", "macOS", "Windows 7", …).
///
/// ```
/// use user_sessions::humanize::platform;
///
/// let ua = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0)";
/// assert_eq!(platform(ua).as_deref(), Some("Windows Vista"));
/// ```
pub fn platform(user_agent: &str) -> Option<String> {
    lookup(user_agent).device.platform.clone()
}

/// [`device`] with the client hints the browser sent; see [`Device::parse_with_hints`].
///
/// ```
/// use user_sessions::ClientHints;
/// use user_sessions::humanize::device_with_hints;
///
/// let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
///           Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
/// let hints = |version: &str| ClientHints {
///     platform: Some("\"Windows\"".into()),
///     platform_version: Some(format!("\"{version}\"")),
///     ..ClientHints::default()
/// };
/// assert_eq!(device_with_hints(ua, &hints("10.0.0")).as_deref(), Some("Edge on Windows 10"));
/// assert_eq!(device_with_hints(ua, &hints("15.0.0")).as_deref(), Some("Edge on Windows 11"));
/// ```
pub fn device_with_hints(user_agent: &str, hints: &ClientHints) -> Option<String> {
    if hints.is_empty() {
        return device(user_agent);
    }
    Device::parse_with_hints(user_agent, hints).text()
}

/// [`browser`] with the client hints the browser sent; see [`Device::parse_with_hints`].
///
/// ```
/// use user_sessions::ClientHints;
/// use user_sessions::humanize::browser_with_hints;
///
/// let hints = ClientHints {
///     brands: Some(r#""Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99""#.into()),
///     ..ClientHints::default()
/// };
/// assert_eq!(browser_with_hints("", &hints).as_deref(), Some("Chrome"));
/// ```
pub fn browser_with_hints(user_agent: &str, hints: &ClientHints) -> Option<String> {
    Device::parse_with_hints(user_agent, hints).browser
}

/// [`platform`] with the client hints the browser sent; see [`Device::parse_with_hints`].
///
/// ```
/// use user_sessions::ClientHints;
/// use user_sessions::humanize::platform_with_hints;
///
/// let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
/// let hints = ClientHints {
///     platform: Some("\"Windows\"".into()),
///     platform_version: Some("\"10.0.0\"".into()),
///     ..ClientHints::default()
/// };
/// assert_eq!(platform_with_hints(ua, &ClientHints::default()).as_deref(), Some("Windows"));
/// assert_eq!(platform_with_hints(ua, &hints).as_deref(), Some("Windows 10"));
/// ```
pub fn platform_with_hints(user_agent: &str, hints: &ClientHints) -> Option<String> {
    Device::parse_with_hints(user_agent, hints).platform
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_data_loads() {
        init().expect("bundled regexes load");
    }

    #[test]
    fn rejects_junk_quickly() {
        assert!(parseable("").is_none());
        assert!(parseable("   ").is_none());
        assert!(parseable("Mozilla/5.0\0(X11)").is_none());
        assert!(parseable("abc\u{FFFD}def").is_none());
        assert!(parseable(&"A".repeat(MAX_USER_AGENT_LEN + 1)).is_none());
        let long = format!("{}{}", "é".repeat(PARSED_PREFIX_LEN), "x");
        let prefix = parseable(&long).expect("long but acceptable");
        assert!(prefix.len() <= PARSED_PREFIX_LEN);
    }

    #[test]
    fn results_are_cached_and_the_cache_stays_bounded() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 cached";
        let first = lookup(ua);
        assert!(Arc::ptr_eq(&first, &lookup(ua)), "parsed once");
        assert_eq!(first.device.browser.as_deref(), Some("Firefox"));
        for n in 0..3 * CACHE_CAPACITY {
            let _ = lookup(&format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/{n}.0"));
            // A user agent in use stays while others come and go.
            assert!(Arc::ptr_eq(&first, &lookup(ua)), "evicted after {n}");
        }
        let limit = CACHE_CAPACITY + CACHE.num_shards();
        assert!(CACHE.len() <= limit, "{} entries", CACHE.len());
    }

    #[test]
    fn windows_table() {
        assert_eq!(windows_name(Some("XP"), None), "Windows XP");
        assert_eq!(windows_name(Some("8"), Some("1")), "Windows 8.1");
        assert_eq!(windows_name(Some("8"), None), "Windows 8");
        assert_eq!(windows_name(Some("10"), None), "Windows");
        assert_eq!(windows_name(Some("6.1.7601"), None), "Windows");
        assert_eq!(windows_name(None, None), "Windows");
    }

    #[test]
    fn apple_devices() {
        assert_eq!(
            apple_device("(iPod touch; CPU iPhone OS 12_0 like Mac OS X)"),
            Some("iPod")
        );
        assert_eq!(
            apple_device("(iPad; CPU OS 17_0 like Mac OS X)"),
            Some("iPad")
        );
        assert_eq!(
            apple_device("(iPhone; CPU iPhone OS 17_0 like Mac OS X)"),
            Some("iPhone")
        );
        assert_eq!(apple_device("(Macintosh; Intel Mac OS X 10_15_7)"), None);
    }

    #[test]
    fn hints_fill_in_what_the_user_agent_lacks() {
        let hints = ClientHints {
            platform: Some("\"Android\"".into()),
            ..ClientHints::default()
        };
        assert_eq!(device_with_hints("", &hints).as_deref(), Some("Android"));
        assert_eq!(device_with_hints("", &ClientHints::default()), None);
        let ios = ClientHints {
            platform: Some("\"iOS\"".into()),
            ..ClientHints::default()
        };
        let ipad = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                    (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(platform_with_hints(ipad, &ios).as_deref(), Some("iPad"));
        let unknown = ClientHints {
            platform: Some("\"Unknown\"".into()),
            ..ClientHints::default()
        };
        assert_eq!(platform_with_hints(ipad, &unknown).as_deref(), Some("iPad"));
    }
}
