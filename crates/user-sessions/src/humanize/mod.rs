//! Sessions in words: "Safari on iPhone", "Zwolle, The Netherlands".
//!
//! A list of a user's sessions is only useful if people recognise their own devices in it.
//! This module turns a stored user agent (plus the client hints the browser sent) into a
//! browser, a platform and a device text, and an IP address into a city and country.
//!
//! ## Devices (feature `humanize`)
//!
//! [`device`], [`browser`] and [`platform`] read a `User-Agent` string; the `_with_hints`
//! variants also read the [`ClientHints`](crate::ClientHints) stored with the session, which
//! tell what frozen user agents no longer do (Windows 11 rather than "Windows NT 10.0").
//! [`Device`] holds both parts; [`DeviceClass`] tells a phone from a tablet or a desktop.
//!
//! ```
//! use user_sessions::humanize::{browser, device, platform};
//!
//! let ua = "Mozilla/5.0 (Linux; Android 11; Pixel 3 XL) AppleWebKit/537.36 (KHTML, like Gecko) \
//!           Chrome/77.0.3865.116 Mobile Safari/537.36 EdgA/45.07.4.5059";
//! assert_eq!(device(ua).as_deref(), Some("Edge on Android"));
//! assert_eq!(browser(ua).as_deref(), Some("Edge"));
//! assert_eq!(platform(ua).as_deref(), Some("Android"));
//! ```
//!
//! The work is done by the [`ua-parser`](https://crates.io/crates/ua-parser) crate with the
//! user-agent and OS rules of [uap-core](https://github.com/ua-parser/uap-core)
//! (Apache-2.0, bundled with this crate), whose names are then mapped to the short ones
//! people know: every Chrome variant (Chrome Mobile, Chrome on iOS, WebView) is "Chrome",
//! every Linux distribution is "Linux", Windows carries the release its NT version tells.
//! The rules are compiled once per process, on first use or at [`init`]; results are kept in
//! a small bounded cache, so a user agent seen before costs a hash lookup. Strings that are
//! empty, contain control characters or are longer than [`MAX_USER_AGENT_LEN`] are not
//! looked at, and only the first [`PARSED_PREFIX_LEN`] bytes of the others are.
//!
//! ## Locations (feature `geoip`)
//!
//! `GeoIp` opens a MaxMind-format database (GeoLite2 / GeoIP2 / DB-IP, City or Country)
//! once; `GeoIp::location`, `GeoIp::city` and `GeoIp::country` name where an address is, in
//! one of the `Language`s databases carry, and say nothing for private, loopback or unknown
//! addresses.
//!
//! Free databases: MaxMind's GeoLite2 City or Country (sign up for a free account at
//! maxmind.com, then download the `.mmdb`, or keep it current with `geoipupdate`), or DB-IP's
//! IP to City Lite / IP to Country Lite (db-ip.com, CC BY 4.0: pages that show its data must
//! say "IP Geolocation by DB-IP" with a link to db-ip.com). Point the application at the
//! file with `GeoIp::open(path)` (read into memory) or `GeoIp::open_mmap(path)`
//! (memory-mapped).
//!
//! ## Templates (feature `minijinja`)
//!
//! `register_filters` makes all of the above minijinja filters:
//! `{{ s.user_agent|device }}`, `{{ s.ip|location }}`.

mod class;
mod device;
#[cfg(feature = "minijinja")]
mod filters;
mod hints;
#[cfg(feature = "geoip")]
mod location;

pub use class::DeviceClass;
pub use device::{
    Device, MAX_USER_AGENT_LEN, PARSED_PREFIX_LEN, browser, browser_name, browser_with_hints,
    device, device_with_hints, init, platform, platform_family, platform_with_hints,
};
#[cfg(feature = "minijinja")]
pub use filters::register_filters;
#[cfg(feature = "geoip")]
pub use location::{GeoIp, Language, Location, UnknownLanguage};

/// What can go wrong in this module: only setting it up can fail; looking things up never
/// does (it says `None` instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bundled user-agent rules could not be loaded (a bug: the crate's tests load them).
    #[error("the bundled user-agent rules could not be loaded: {0}")]
    ParserData(String),

    /// A GeoIP database file could not be opened, or is not a MaxMind DB.
    #[cfg(feature = "geoip")]
    #[error("cannot open the GeoIP database {}: {source}", path.display())]
    GeoIpOpen {
        /// The path given.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: maxminddb::MaxMindDbError,
    },

    /// Bytes given as a GeoIP database are not a MaxMind DB.
    #[cfg(feature = "geoip")]
    #[error("not a MaxMind DB (.mmdb) database: {0}")]
    GeoIpInvalid(#[source] maxminddb::MaxMindDbError),
}
