//! Humanize benchmarks: a user agent seen for the first time ("cold") and again ("cached"),
//! and a location lookup; plus, printed before them, the one-time cost of loading the
//! user-agent rules.
//!
//! `cargo bench -p user-sessions --features humanize,geoip --bench humanize`

use std::hint::black_box;
use std::net::IpAddr;
use std::time::Instant;

use criterion::{BatchSize, Criterion};
use mmdb_writer::ipnet::{IpNet, Ipv4Net};
use mmdb_writer::{Value, Writer};
use user_sessions::humanize::{self, GeoIp, Language};

/// Typical user agents; `{}` takes a counter so every string is new.
const TEMPLATES: [&str; 4] = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/17.{} Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/131.0.{}.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/131.0.{}.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.{}",
];

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

/// The one-time load, measured once per process (it cannot be repeated).
fn report_load() {
    let before = rss_kib();
    let start = Instant::now();
    humanize::init().expect("bundled rules load");
    let elapsed = start.elapsed();
    let after = rss_kib();
    match (before, after) {
        (Some(b), Some(a)) => println!(
            "humanize/load: {elapsed:?}, RSS {:.1} MiB -> {:.1} MiB (+{:.1} MiB)",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            a.saturating_sub(b) as f64 / 1024.0
        ),
        _ => println!("humanize/load: {elapsed:?}"),
    }
}

fn device_benches(c: &mut Criterion) {
    let mut n = 0u64;
    c.bench_function("device/cold", |b| {
        b.iter_batched(
            || {
                n += 1;
                let template = TEMPLATES[(n % 4) as usize];
                template.replacen("{}", &n.to_string(), 1)
            },
            |ua| humanize::device(black_box(&ua)),
            BatchSize::SmallInput,
        )
    });

    let ua = TEMPLATES[2].replacen("{}", "0", 1);
    let _ = humanize::device(&ua);
    c.bench_function("device/cached", |b| {
        b.iter(|| humanize::device(black_box(&ua)))
    });
}

/// A City database with 50,000 networks, each with names in eight languages and a
/// location, about the shape of a real one.
fn city_database() -> GeoIp {
    let languages = ["en", "de", "es", "fr", "ja", "pt-BR", "ru", "zh-CN"];
    let names = |base: &str| {
        Value::map(
            languages
                .iter()
                .map(|l| (*l, Value::from(format!("{base} ({l})")))),
        )
    };
    let mut w = Writer::builder("Bench-City").languages(languages).build();
    for i in 0..50_000u32 {
        // Spread /24s over public space (1.0.0.0 – 126.x).
        let a = 1 + (i % 126) as u8;
        let [_, _, b, c] = i.to_be_bytes();
        let net = Ipv4Net::new([a, b, c, 0].into(), 24).expect("valid prefix");
        let record = Value::map([
            (
                "city",
                Value::map([("names", names(&format!("City {}", i % 5000)))]),
            ),
            (
                "country",
                Value::map([("names", names(&format!("Country {}", i % 200)))]),
            ),
            (
                "location",
                Value::map([
                    ("latitude", Value::from(f64::from(i % 90))),
                    ("longitude", Value::from(f64::from(i % 180))),
                    ("time_zone", Value::from("Europe/Amsterdam")),
                ]),
            ),
        ]);
        w.insert_value(IpNet::V4(net), record).expect("insert");
    }
    GeoIp::from_bytes(w.to_bytes().expect("bytes")).expect("valid database")
}

fn location_benches(c: &mut Criterion) {
    let geo = city_database();
    let ip: IpAddr = [5, 0, 4, 7].into();
    assert!(
        geo.location(ip).is_some(),
        "bench address is in the database"
    );
    c.bench_function("location/city_db", |b| {
        b.iter(|| geo.location(black_box(ip)))
    });
    c.bench_function("location/city_db_de", |b| {
        b.iter(|| geo.location_in(black_box(ip), Language::German))
    });
    let private: IpAddr = [10, 0, 0, 1].into();
    c.bench_function("location/private", |b| {
        b.iter(|| geo.location(black_box(private)))
    });
}

fn main() {
    report_load();
    let mut c = Criterion::default().configure_from_args();
    device_benches(&mut c);
    location_benches(&mut c);
    c.final_summary();
}
