//! With a GeoIP database, a sign-in's network is its country: another network in the same
//! country is the same device, another country is a new one, and addresses the database
//! does not place keep their prefix.
#![cfg(feature = "geoip")]

use mmdb_writer::{Value, Writer};
use time::{Duration, OffsetDateTime};
use user_sessions::humanize::GeoIp;
use user_sessions::{PublicId, SessionRecord, Store};

/// Two British networks in different `/16`s, one Dutch.
fn countries() -> GeoIp {
    let mut writer = Writer::builder("GeoLite2-Country")
        .languages(["en"])
        .build();
    let country = |name: &str| {
        Value::map([(
            "country",
            Value::map([("names", Value::map([("en", Value::from(name))]))]),
        )])
    };
    for (network, name) in [
        ("81.2.69.0/24", "United Kingdom"),
        ("51.140.0.0/16", "United Kingdom"),
        ("145.131.0.0/16", "Netherlands"),
    ] {
        writer
            .insert_value(
                network
                    .parse::<mmdb_writer::ipnet::IpNet>()
                    .expect("network"),
                country(name),
            )
            .expect("insert");
    }
    GeoIp::from_bytes(writer.to_bytes().expect("a database")).expect("open")
}

/// Signs user 42 in on session `n` from `ip` with Firefox on Windows; whether it was new.
async fn sign_in_from(store: &Store, n: u8, ip: &str) -> Option<bool> {
    let mut record = SessionRecord::new(
        PublicId::from_secret(&[n]),
        OffsetDateTime::now_utc() + Duration::hours(1),
    );
    record.info.user_id = Some("42".into());
    record.info.ip = Some(ip.parse().expect("address"));
    record.info.user_agent = Some(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0".into(),
    );
    assert!(store.create(&record).await.expect("create"));
    // Each sign-in a moment after the last, so that the history's order is theirs.
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    store.signed_in(&record.info).await.expect("signed in")
}

#[tokio::test]
async fn networks_are_countries_where_the_database_knows_the_address() {
    let store = Store::open("sqlite::memory:")
        .await
        .expect("open")
        .with_new_device_countries(countries());
    store.migrate().await.expect("migrate");
    let _observed = store.events().subscribe(64);
    assert_eq!(sign_in_from(&store, 1, "81.2.69.160").await, Some(true));
    // Another British network: the same country, not a new device.
    assert_eq!(sign_in_from(&store, 2, "51.140.3.4").await, Some(false));
    assert_eq!(sign_in_from(&store, 3, "145.131.2.1").await, Some(true));
    // Unknown to the database: its /16.
    assert_eq!(sign_in_from(&store, 4, "198.51.100.1").await, Some(true));
    let networks: Vec<String> = store
        .known_devices("42")
        .await
        .expect("history")
        .into_iter()
        .map(|known| known.network)
        .collect();
    assert_eq!(networks, ["198.51.0.0/16", "Netherlands", "United Kingdom"]);
}
