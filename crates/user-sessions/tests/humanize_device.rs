//! Device, browser and platform names: the examples of the issue and of the original
//! package, the Windows table, client hints, today's browsers, and junk.
#![cfg(feature = "humanize")]

use user_sessions::ClientHints;
use user_sessions::humanize::{
    Device, MAX_USER_AGENT_LEN, browser, browser_with_hints, device, device_with_hints, platform,
    platform_with_hints,
};

#[track_caller]
fn check(ua: &str, expected: Option<&str>) {
    assert_eq!(device(ua).as_deref(), expected, "device of {ua:?}");
}

// The examples the issue names, from the original package's documentation and tests.
#[test]
fn issue_examples() {
    check(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) AppleWebKit/603.1.30 \
         (KHTML, like Gecko) Version/10.0 Mobile/14E277 Safari/602.1",
        Some("Safari on iPhone"),
    );
    check(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 7_0 like Mac OS X) AppleWebKit/537.51.1 \
         (KHTML, like Gecko) Version/7.0 Mobile/11A465 Safari/9537.53",
        Some("Safari on iPhone"),
    );
    check(
        "Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/30.0.1599.101 Safari/537.36",
        Some("Chrome on Windows 8.1"),
    );
    check(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_2) AppleWebKit/536.26.17 \
         (KHTML, like Gecko) Version/6.0.2 Safari/536.26.17",
        Some("Safari on macOS"),
    );
    check(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:77.0) Gecko/20100101 Firefox/77.0",
        Some("Firefox on macOS"),
    );
    check(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/537.36 \
         (KHTML, like Gecko) Chrome/85.0.4178.0 Safari/537.36",
        Some("Chrome on macOS"),
    );
    check(
        "Mozilla/5.0 (Linux; Android 11; Pixel 3 XL) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/77.0.3865.116 Mobile Safari/537.36 EdgA/45.07.4.5059",
        Some("Edge on Android"),
    );
    check(
        "Mozilla/5.0 (Windows Mobile 10; Android 8.0.0; Microsoft; Lumia 950XL) \
         AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.62 Mobile Safari/537.36 \
         Edge/40.15254.369",
        Some("Edge on Windows Mobile"),
    );
    check(
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0)",
        Some("Internet Explorer on Windows Vista"),
    );
    check(
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.0; Trident/4.0; SLCC1; \
         .NET CLR 2.0.50727; .NET CLR 1.1.4322; InfoPath.2; .NET CLR 3.5.21022; \
         .NET CLR 3.5.30729; MS-RTC LM 8; OfficeLiveConnector.1.4; OfficeLivePatch.1.3; \
         .NET CLR 3.0.30729)",
        Some("Internet Explorer on Windows Vista"),
    );
    check(
        "Mozilla/5.0 (iPad; U; CPU OS 4_2_1 like Mac OS X; ja-jp) AppleWebKit/533.17.9 \
         (KHTML, like Gecko) Version/5.0.2 Mobile/8C148 Safari/6533.18.5",
        Some("Safari on iPad"),
    );
    check("Not a legit OS Firefox/51.0", Some("Firefox"));
    check("Not a legit OS Chrome/54.0.32", Some("Chrome"));
    check("Not a legit OS Safari/5.2", Some("Safari"));
    check("iPhone not a real browser/10.3", Some("iPhone"));
    check("iPad not a real browser/10.3", Some("iPad"));
    check("Linux not a real browser/10.3", Some("Linux"));
    check("Windows not a real browser/10.3", Some("Windows"));
}

// The rest of the original package's filter tests, with the Windows release where the
// user agent tells it.
#[test]
fn original_package_cases() {
    let cases = [
        (
            "Mozilla/4.0 (Windows; MSIE 6.0; Windows NT 5.1; SV1; .NET CLR 2.0.50727)",
            "Internet Explorer on Windows XP",
        ),
        (
            "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)",
            "Internet Explorer on Windows 7",
        ),
        (
            "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Win64; x64; Trident/6.0)",
            "Internet Explorer on Windows 8",
        ),
        (
            "Mozilla/5.0 (IE 11.0; Windows NT 6.3; Trident/7.0; .NET4.0E; .NET4.0C; rv:11.0) \
             like Gecko",
            "Internet Explorer on Windows 8.1",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/42.0.2311.135 Safari/537.36 Edge/12.10136",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/81.0.4044.113 Safari/537.36 Edg/81.0.416.62",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_6) AppleWebKit/537.36 \
             (KHTML, like Gecko) Chrome/85.0.4183.102 Safari/537.36 Edg/85.0.564.51",
            "Edge on macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:22.0) Gecko/20130328 Firefox/22.0",
            "Firefox on Windows 7",
        ),
        (
            "Mozilla/5.0 (Linux; U; Android 1.5; de-de; HTC Magic Build/CRB17) \
             AppleWebKit/528.5+ (KHTML, like Gecko) Version/3.1.2 Mobile Safari/525.20.1",
            // uap-core knows the stock Android browser for what it is.
            "Android Browser on Android",
        ),
    ];
    for (ua, expected) in cases {
        check(ua, Some(expected));
    }
}

// "Windows with the version the string can honestly tell."
#[test]
fn windows_table() {
    let cases = [
        ("5.1", "Windows XP"),
        ("5.2", "Windows XP"),
        ("6.0", "Windows Vista"),
        ("6.1", "Windows 7"),
        ("6.2", "Windows 8"),
        ("6.3", "Windows 8.1"),
        ("10.0", "Windows"),
    ];
    for (nt, expected) in cases {
        let ua = format!(
            "Mozilla/5.0 (Windows NT {nt}; Win64; x64) AppleWebKit/537.36 \
             (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36"
        );
        assert_eq!(platform(&ua).as_deref(), Some(expected), "NT {nt}");
        assert_eq!(
            device(&ua),
            Some(format!("Chrome on {expected}")),
            "NT {nt}"
        );
        let bare = format!("Windows NT {nt} not a real browser/10.3");
        assert_eq!(platform(&bare).as_deref(), Some(expected), "{bare}");
    }
}

fn windows_hints(version: &str) -> ClientHints {
    ClientHints {
        brands: Some(r#""Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24""#.into()),
        mobile: Some(false),
        platform: Some("\"Windows\"".into()),
        platform_version: Some(format!("\"{version}\"")),
    }
}

// Sec-CH-UA-Platform-Version: 1–12 is Windows 10, 13 and above Windows 11.
#[test]
fn windows_client_hints() {
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
              Chrome/131.0.0.0 Safari/537.36";
    assert_eq!(device(ua).as_deref(), Some("Chrome on Windows"));
    for (version, expected) in [
        ("1.0.0", "Chrome on Windows 10"),
        ("7.0.0", "Chrome on Windows 10"),
        ("10.0.0", "Chrome on Windows 10"),
        ("12.0.0", "Chrome on Windows 10"),
        ("13.0.0", "Chrome on Windows 11"),
        ("14.0.0", "Chrome on Windows 11"),
        ("15.0.0", "Chrome on Windows 11"),
        ("19.0.0", "Chrome on Windows 11"),
        // Windows 7 and 8.1 as Chrome reports them.
        ("0.1.0", "Chrome on Windows 7"),
        ("0.3.0", "Chrome on Windows 8.1"),
    ] {
        assert_eq!(
            device_with_hints(ua, &windows_hints(version)).as_deref(),
            Some(expected),
            "platform version {version}"
        );
    }
    // A version that says nothing keeps what the user agent says.
    let win81 = "Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 \
                 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36";
    assert_eq!(
        platform_with_hints(win81, &windows_hints("")).as_deref(),
        Some("Windows 8.1")
    );
    let no_version = ClientHints {
        platform: Some("\"Windows\"".into()),
        ..ClientHints::default()
    };
    assert_eq!(
        platform_with_hints(ua, &no_version).as_deref(),
        Some("Windows")
    );
    // Empty hints change nothing.
    assert_eq!(device_with_hints(ua, &ClientHints::default()), device(ua));
}

#[test]
fn brand_client_hints() {
    let chrome_ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 \
                     (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    let with_brands = |brands: &str| ClientHints {
        brands: Some(brands.into()),
        platform: Some("\"macOS\"".into()),
        ..ClientHints::default()
    };
    let brave = with_brands(r#""Brave";v="131", "Chromium";v="131", "Not_A Brand";v="24""#);
    assert_eq!(
        device_with_hints(chrome_ua, &brave).as_deref(),
        Some("Brave on macOS")
    );
    let chromium = with_brands(r#""Chromium";v="131", "Not_A Brand";v="24""#);
    assert_eq!(
        browser_with_hints(chrome_ua, &chromium).as_deref(),
        Some("Chromium")
    );
    // The user agent's own, more specific, name wins over the brands.
    let opera_ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                    (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0";
    assert_eq!(
        browser_with_hints(opera_ua, &chromium).as_deref(),
        Some("Opera")
    );
    // Hints alone.
    let hints_only = ClientHints {
        brands: Some(
            r#""Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24""#.into(),
        ),
        mobile: Some(false),
        platform: Some("\"Windows\"".into()),
        platform_version: Some("\"15.0.0\"".into()),
    };
    assert_eq!(
        device_with_hints("", &hints_only).as_deref(),
        Some("Edge on Windows 11")
    );
    let android = ClientHints {
        platform: Some("\"Android\"".into()),
        mobile: Some(true),
        ..ClientHints::default()
    };
    // Chrome's "desktop site" mode on a tablet pretends to be Linux.
    let desktop_mode = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                        Chrome/131.0.0.0 Safari/537.36";
    assert_eq!(
        device_with_hints(desktop_mode, &android).as_deref(),
        Some("Chrome on Android")
    );
}

// What real traffic looks like today: the cases the original package's regex list got wrong.
#[test]
fn current_browsers() {
    let cases = [
        // Chrome on iOS is not Safari.
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
            "Chrome on iPhone",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
            "Firefox on iPhone",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.0 EdgiOS/126.0.2592.56 Mobile/15E148 Safari/605.1.15",
            "Edge on iPhone",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
            "Chrome on iPad",
        ),
        (
            "Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
            "Safari on iPod",
        ),
        // IE 11 has no "MSIE".
        (
            "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
            "Internet Explorer on Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko",
            "Internet Explorer on Windows 7",
        ),
        // Samsung Internet is not Chrome.
        (
            "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 \
             (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        (
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
            "Firefox on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
            "Opera on Windows",
        ),
        (
            "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) \
             Presto/2.5.25 Version/10.54",
            "Opera on Symbian OS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0",
            "Opera on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/124.0.0.0 YaBrowser/24.6.0.0 Safari/537.36",
            "Yandex Browser on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; U; Android 10; en-US; RMX2020 Build/QP1A.190711.020) \
             AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 \
             UCBrowser/13.4.0.1306 Mobile Safari/537.36",
            "UC Browser on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Safari/537.36 Vivaldi/7.0.3495.18",
            "Vivaldi on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Ubuntu Chromium/83.0.4103.61 Chrome/83.0.4103.61 Safari/537.36",
            "Chromium on Linux",
        ),
        (
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Safari/537.36",
            "Chrome on Chrome OS",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; \
             ARM; Touch; NOKIA; Lumia 920)",
            "Internet Explorer on Windows Phone",
        ),
    ];
    let mut wrong = Vec::new();
    for (ua, expected) in cases {
        if device(ua).as_deref() != Some(expected) {
            wrong.push(format!(
                "{ua:?}: expected {expected:?}, got {:?}",
                device(ua)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn parts_and_struct_agree() {
    let ua = "Mozilla/5.0 (Linux; Android 11; Pixel 3 XL) AppleWebKit/537.36 \
              (KHTML, like Gecko) Chrome/77.0.3865.116 Mobile Safari/537.36 EdgA/45.07.4.5059";
    let d = Device::parse(ua);
    assert_eq!(d.browser, browser(ua));
    assert_eq!(d.platform, platform(ua));
    assert_eq!(d.text(), device(ua));
    assert_eq!(d.to_string(), "Edge on Android");
    assert!(!d.is_unknown());
}

#[test]
fn junk_gives_nothing_quickly() {
    let huge = "A".repeat(100 * 1024);
    let huge_ua = format!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36 {}",
        "x".repeat(100 * 1024)
    );
    let binary: String = (0u8..=255).map(char::from).collect();
    let cases: Vec<&str> = vec![
        "",
        " ",
        "\t\n",
        "-",
        "\0\0\0\0",
        &binary,
        "\u{1b}[31mMozilla/5.0\u{1b}[0m",
        "Mozilla/5.0 \u{FFFD}\u{FFFD}",
        &huge,
        &huge_ua,
        "((((((((((((((((((((((((((((((((((((((((",
        "😀😀😀😀😀",
    ];
    for ua in cases {
        let d = Device::parse(ua);
        // Every call answers the same (the first one may compile the rules; how fast later
        // ones are is measured by the `humanize` bench, not asserted here).
        let first = (device(ua), browser(ua), platform(ua));
        for _ in 0..10 {
            assert_eq!((device(ua), browser(ua), platform(ua)), first);
        }
        if ua.len() > MAX_USER_AGENT_LEN || ua.trim().is_empty() || ua.contains('\0') {
            assert!(
                d.is_unknown(),
                "{:?}",
                ua.chars().take(20).collect::<String>()
            );
        }
    }
    // Multi-byte characters around the parsed-prefix boundary are cut cleanly.
    for pad in 0..4 {
        let ua = format!(
            "{}Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {}",
            "x".repeat(pad),
            "é".repeat(600)
        );
        let _ = device(&ua);
    }
}

/// Repeated strings are answered from the cache; that it pays is measured by the `humanize`
/// bench ("device (cold and cached)"). Here: the cached answer is the answer.
#[test]
fn repeated_strings_are_cached() {
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 \
              Firefox/133.0 cache-test";
    let first = device(ua);
    assert_eq!(first.as_deref(), Some("Firefox on Windows"));
    for _ in 0..10_000 {
        assert_eq!(device(ua), first);
    }
}

#[test]
fn many_threads_at_once() {
    let handles: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..200 {
                    let ua = format!(
                        "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:{i}.0) Gecko/20100101 \
                         Firefox/{i}.0 thread-{t}"
                    );
                    assert_eq!(device(&ua).as_deref(), Some("Firefox on Windows 7"));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no panic");
    }
}
