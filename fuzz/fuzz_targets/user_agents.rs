//! User agents and client hints, humanized: any input gives a device or none.
#![no_main]

use libfuzzer_sys::fuzz_target;
use user_sessions::ClientHints;
use user_sessions::humanize::Device;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The user agent, then the hints, one a line.
    let mut lines = text.split('\n');
    let user_agent = lines.next().unwrap_or_default();
    let mut next = || lines.next().map(str::to_owned);
    let hints = ClientHints {
        brands: next(),
        mobile: next().map(|m| m == "?1"),
        platform: next(),
        platform_version: next(),
    };
    let _ = Device::parse_with_hints(user_agent, &hints).text();
    let _ = Device::parse(user_agent).text();
});
