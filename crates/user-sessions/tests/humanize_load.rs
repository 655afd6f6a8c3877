//! The one-time cost of loading the user-agent rules: time and memory. This file holds a
//! single test so that it runs in a fresh process where nothing has loaded the rules yet.
//!
//! For the real numbers, build optimised:
//! `cargo test -p user-sessions --release --features humanize --test humanize_load -- --nocapture`
#![cfg(feature = "humanize")]

use std::time::{Duration, Instant};

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[test]
fn loading_the_rules_is_cheap() {
    let before = rss_kib();
    let start = Instant::now();
    user_sessions::humanize::init().expect("bundled rules load");
    let load = start.elapsed();
    let after_load = rss_kib();

    // The first parse of each kind of user agent builds the regex engines' lazy state.
    let uas = [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
         (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
    ];
    let start = Instant::now();
    for ua in uas {
        assert!(user_sessions::humanize::device(ua).is_some());
    }
    let first_parses = start.elapsed();
    let after_use = rss_kib();

    println!("load: {load:?}; first four parses: {first_parses:?}");
    if let (Some(b), Some(l), Some(u)) = (before, after_load, after_use) {
        let mib = |kib: u64| kib as f64 / 1024.0;
        println!(
            "RSS: {:.1} MiB before, {:.1} MiB after loading (+{:.1}), {:.1} MiB after \
             parsing (+{:.1} in all)",
            mib(b),
            mib(l),
            mib(l.saturating_sub(b)),
            mib(u),
            mib(u.saturating_sub(b))
        );
        // Generous bounds that hold even for unoptimised builds; the release numbers are
        // far lower (see the crate's benchmark notes).
        assert!(u.saturating_sub(b) < 100 * 1024, "{} KiB", u - b);
    }
    assert!(load < Duration::from_secs(10), "{load:?}");
}
