//! The kind of device a session runs on: phone, tablet, desktop — for an icon next to its name.

use super::device::Device;
use crate::ClientHints;

/// The kind of device a user agent (and its client hints) runs on.
///
/// Pages use it to pick an icon; it is a guess from the strings a browser sends, so
/// [`DeviceClass::Unknown`] is a normal answer. iPads that send a desktop user agent (the
/// default since iPadOS 13) count as desktops: nothing in the request tells them apart.
///
/// ```
/// use user_sessions::ClientHints;
/// use user_sessions::humanize::DeviceClass;
///
/// let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
///               (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
/// let none = ClientHints::default();
/// assert_eq!(DeviceClass::of(iphone, &none), DeviceClass::Phone);
/// assert_eq!(DeviceClass::of(iphone, &none).as_str(), "phone");
/// assert_eq!(DeviceClass::of("", &none), DeviceClass::Unknown);
/// let mobile = ClientHints { mobile: Some(true), ..ClientHints::default() };
/// assert_eq!(DeviceClass::of("", &mobile), DeviceClass::Phone);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DeviceClass {
    /// A phone (or an iPod).
    Phone,
    /// A tablet.
    Tablet,
    /// A desktop or laptop computer.
    Desktop,
    /// Nothing tells.
    #[default]
    Unknown,
}

impl DeviceClass {
    /// Reads a `User-Agent` header value and the client hints sent with it.
    ///
    /// `Sec-CH-UA-Mobile: ?1` means a phone; otherwise the platform decides (iPhone, iPad,
    /// Windows Phone; Android with or without "Mobile" in the user agent, as Android tablets
    /// leave it out; Windows, macOS, Linux, Chrome OS are desktops).
    pub fn of(user_agent: &str, hints: &ClientHints) -> DeviceClass {
        if hints.mobile == Some(true) {
            return DeviceClass::Phone;
        }
        let device = Device::parse_with_hints(user_agent, hints);
        let Some(platform) = device.platform.as_deref() else {
            return DeviceClass::Unknown;
        };
        match platform {
            "iPhone" | "iPod" | "Windows Phone" | "Windows Mobile" => DeviceClass::Phone,
            "iPad" => DeviceClass::Tablet,
            "Android" | "iOS" if user_agent.contains("Mobile") => DeviceClass::Phone,
            "Android" => DeviceClass::Tablet,
            "iOS" => DeviceClass::Unknown,
            "macOS" | "Linux" | "Chrome OS" => DeviceClass::Desktop,
            windows if windows.starts_with("Windows") => DeviceClass::Desktop,
            _ if user_agent.contains("Tablet") => DeviceClass::Tablet,
            _ if user_agent.contains("Mobi") => DeviceClass::Phone,
            _ => DeviceClass::Unknown,
        }
    }

    /// `phone`, `tablet`, `desktop` or `unknown`: for CSS classes and icon names.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceClass::Phone => "phone",
            DeviceClass::Tablet => "tablet",
            DeviceClass::Desktop => "desktop",
            DeviceClass::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(ua: &str) -> DeviceClass {
        DeviceClass::of(ua, &ClientHints::default())
    }

    #[test]
    fn platforms_give_their_class() {
        assert_eq!(
            class(
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/126.0.0.0 Mobile Safari/537.36"
            ),
            DeviceClass::Phone
        );
        assert_eq!(
            class(
                "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/126.0.0.0 Safari/537.36"
            ),
            DeviceClass::Tablet
        );
        assert_eq!(
            class(
                "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
            ),
            DeviceClass::Tablet
        );
        assert_eq!(
            class(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
            ),
            DeviceClass::Desktop
        );
        assert_eq!(
            class("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            DeviceClass::Desktop
        );
        assert_eq!(class("curl/8.5.0"), DeviceClass::Unknown);
        assert_eq!(class("\u{0}junk"), DeviceClass::Unknown);
    }

    #[test]
    fn mobile_hint_wins() {
        let hints = ClientHints {
            mobile: Some(true),
            platform: Some("\"Android\"".into()),
            ..ClientHints::default()
        };
        assert_eq!(DeviceClass::of("Mozilla/5.0", &hints), DeviceClass::Phone);
    }
}
