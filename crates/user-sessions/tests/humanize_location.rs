//! Locations from MaxMind-format databases built at test time.
#![cfg(feature = "geoip")]

mod humanize_support;

use std::net::IpAddr;

use user_sessions::humanize::{Error, GeoIp, Language, Location};

fn ip(s: &str) -> IpAddr {
    s.parse().expect("valid address")
}

fn write_db(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("writable temp dir");
    path
}

#[test]
fn city_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let geo =
        GeoIp::open(write_db(&dir, "city.mmdb", &humanize_support::city_db())).expect("opens");
    assert_eq!(geo.database_type(), "GeoLite2-City");

    assert_eq!(
        geo.location(ip("81.2.69.142")).as_deref(),
        Some("London, United Kingdom")
    );
    assert_eq!(geo.city(ip("81.2.69.142")).as_deref(), Some("London"));
    assert_eq!(
        geo.country(ip("81.2.69.142")).as_deref(),
        Some("United Kingdom")
    );
    assert_eq!(
        geo.location(ip("145.131.1.2")).as_deref(),
        Some("Zwolle, The Netherlands")
    );
    // City unknown: the country alone.
    assert_eq!(geo.location(ip("89.160.20.112")).as_deref(), Some("Sweden"));
    assert_eq!(geo.city(ip("89.160.20.112")), None);
    assert_eq!(geo.country(ip("89.160.20.112")).as_deref(), Some("Sweden"));
    // IPv6, and IPv4 as a dual-stack socket reports it.
    assert_eq!(
        geo.location(ip("2001:470:1:2::3")).as_deref(),
        Some("Fremont, United States")
    );
    assert_eq!(
        geo.location(ip("::ffff:81.2.69.142")).as_deref(),
        Some("London, United Kingdom")
    );
    assert_eq!(
        geo.lookup(ip("81.2.69.1"), Language::English),
        Some(Location {
            city: Some("London".into()),
            country: Some("United Kingdom".into())
        })
    );
}

#[test]
fn unknown_private_and_loopback_addresses_give_nothing() {
    let geo = GeoIp::from_bytes(humanize_support::city_db()).expect("valid database");
    // The database has data for these, but they are not public addresses.
    for private in [
        "10.1.2.3",
        "127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
    ] {
        assert_eq!(geo.location(ip(private)), None, "{private}");
        assert_eq!(geo.city(ip(private)), None, "{private}");
        assert_eq!(geo.country(ip(private)), None, "{private}");
    }
    for other in [
        "192.168.1.1",
        "::1",
        "fe80::1",
        "fd12::1",
        "1.1.1.1",
        "2a00:1450::1",
    ] {
        assert_eq!(geo.location(ip(other)), None, "{other}");
    }
}

#[test]
fn country_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let geo = GeoIp::open(write_db(
        &dir,
        "country.mmdb",
        &humanize_support::country_db(),
    ))
    .expect("opens");
    assert_eq!(geo.database_type(), "GeoLite2-Country");
    assert_eq!(
        geo.location(ip("81.2.69.142")).as_deref(),
        Some("United Kingdom")
    );
    assert_eq!(geo.country(ip("8.8.8.8")).as_deref(), Some("United States"));
    assert_eq!(geo.city(ip("81.2.69.142")), None);
    assert_eq!(geo.city(ip("8.8.8.8")), None);
    assert_eq!(geo.location(ip("127.0.0.1")), None);
    assert_eq!(geo.location(ip("9.9.9.9")), None);
}

#[test]
fn names_in_the_requested_language() {
    let geo = GeoIp::from_bytes(humanize_support::city_db()).expect("valid database");
    let london = ip("81.2.69.142");
    let cases = [
        (Language::English, "London, United Kingdom"),
        (Language::German, "London, Vereinigtes Königreich"),
        (Language::Spanish, "Londres, Reino Unido"),
        (Language::French, "Londres, Royaume-Uni"),
        (Language::Japanese, "ロンドン, イギリス"),
        (Language::BrazilianPortuguese, "Londres, Reino Unido"),
        (Language::Russian, "Лондон, Великобритания"),
        (Language::SimplifiedChinese, "伦敦, 英国"),
    ];
    for (language, expected) in cases {
        assert_eq!(
            geo.location_in(london, language).as_deref(),
            Some(expected),
            "{language}"
        );
    }
    // English when the database lacks the language.
    assert_eq!(
        geo.location_in(ip("145.131.1.2"), Language::German)
            .as_deref(),
        Some("Zwolle, The Netherlands")
    );
    assert_eq!(
        geo.location_in(ip("89.160.20.112"), Language::German)
            .as_deref(),
        Some("Schweden")
    );
    assert_eq!(
        geo.country_in(ip("89.160.20.112"), Language::Russian)
            .as_deref(),
        Some("Sweden")
    );
    assert_eq!(
        geo.city_in(
            london,
            Language::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8")
        )
        .as_deref(),
        Some("Londres")
    );
}

#[test]
fn memory_mapped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_db(&dir, "city.mmdb", &humanize_support::city_db());
    // SAFETY: the file is not modified while the database is open.
    let geo = unsafe { GeoIp::open_mmap(&path) }.expect("maps");
    assert_eq!(
        geo.location(ip("81.2.69.142")).as_deref(),
        Some("London, United Kingdom")
    );
    assert!(format!("{geo:?}").contains("memory_mapped: true"));
}

#[test]
fn shared_between_threads() {
    let geo = GeoIp::from_bytes(humanize_support::city_db()).expect("valid database");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let geo = geo.clone();
            std::thread::spawn(move || {
                for i in 0..=255u8 {
                    let addr = IpAddr::from([81, 2, 69, i]);
                    assert_eq!(
                        geo.location(addr).as_deref(),
                        Some("London, United Kingdom")
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no panic");
    }
}

#[test]
fn bad_paths_and_files_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("GeoLite2-City.mmdb");
    let err = GeoIp::open(&missing).expect_err("missing file");
    assert!(matches!(err, Error::GeoIpOpen { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );

    let junk = write_db(&dir, "junk.mmdb", b"this is not a MaxMind database");
    let err = GeoIp::open(&junk).expect_err("junk file");
    assert!(
        err.to_string().contains(&junk.display().to_string()),
        "{err}"
    );
    // SAFETY: the file is not modified while the database is open.
    let err = unsafe { GeoIp::open_mmap(&junk) }.expect_err("junk file");
    assert!(err.to_string().contains("junk.mmdb"), "{err}");

    let err = GeoIp::open(dir.path()).expect_err("a directory");
    assert!(
        err.to_string().contains(&dir.path().display().to_string()),
        "{err}"
    );

    assert!(matches!(
        GeoIp::from_bytes(Vec::new()),
        Err(Error::GeoIpInvalid(_))
    ));
}

#[test]
fn ipv4_only_database_and_ipv6_addresses() {
    let mut w = mmdb_writer::Writer::builder("Test-IPv4-City")
        .ip_version(mmdb_writer::IpVersion::V4)
        .build();
    w.insert_value(
        "81.2.69.0/24"
            .parse::<mmdb_writer::ipnet::IpNet>()
            .expect("net"),
        mmdb_writer::Value::map([(
            "country",
            mmdb_writer::Value::map([(
                "names",
                mmdb_writer::Value::map([("en", "United Kingdom")]),
            )]),
        )]),
    )
    .expect("insert");
    let geo = GeoIp::from_bytes(w.to_bytes().expect("bytes")).expect("valid database");
    assert_eq!(
        geo.location(ip("81.2.69.142")).as_deref(),
        Some("United Kingdom")
    );
    // No error page: just nothing.
    assert_eq!(geo.location(ip("2001:470::1")), None);
}
