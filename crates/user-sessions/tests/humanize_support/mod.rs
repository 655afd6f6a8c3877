//! Tiny GeoIP2-layout databases built at test time (no real database is committed).
#![allow(dead_code)]

use mmdb_writer::ipnet::IpNet;
use mmdb_writer::{Value, Writer};

/// `names` maps as GeoIP2 databases have them.
fn names(pairs: &[(&str, &str)]) -> Value {
    Value::map(pairs.iter().map(|(lang, name)| (*lang, Value::from(*name))))
}

fn place(pairs: &[(&str, &str)]) -> Value {
    Value::map([("names", names(pairs))])
}

fn net(s: &str) -> IpNet {
    s.parse().expect("valid network")
}

/// A City database:
/// - 81.2.69.0/24: London, United Kingdom (names in several languages)
/// - 145.131.0.0/16: Zwolle, The Netherlands (English only)
/// - 89.160.20.0/24: Sweden, no city
/// - 2001:470::/32: Fremont, United States
/// - 10.0.0.0/8 and 127.0.0.0/8: data that must never be shown (private, loopback)
pub fn city_db() -> Vec<u8> {
    let mut w = Writer::builder("GeoLite2-City")
        .languages(["en", "de", "es", "fr", "ja", "pt-BR", "ru", "zh-CN"])
        .build();
    let uk = place(&[
        ("en", "United Kingdom"),
        ("de", "Vereinigtes Königreich"),
        ("es", "Reino Unido"),
        ("fr", "Royaume-Uni"),
        ("ja", "イギリス"),
        ("pt-BR", "Reino Unido"),
        ("ru", "Великобритания"),
        ("zh-CN", "英国"),
    ]);
    let london = place(&[
        ("en", "London"),
        ("de", "London"),
        ("es", "Londres"),
        ("fr", "Londres"),
        ("ja", "ロンドン"),
        ("pt-BR", "Londres"),
        ("ru", "Лондон"),
        ("zh-CN", "伦敦"),
    ]);
    w.insert_value(
        net("81.2.69.0/24"),
        Value::map([
            ("city", london),
            ("country", uk),
            (
                "location",
                Value::map([
                    ("latitude", Value::from(51.5142)),
                    ("longitude", Value::from(-0.0931)),
                ]),
            ),
        ]),
    )
    .expect("insert");
    w.insert_value(
        net("145.131.0.0/16"),
        Value::map([
            ("city", place(&[("en", "Zwolle")])),
            ("country", place(&[("en", "The Netherlands")])),
        ]),
    )
    .expect("insert");
    w.insert_value(
        net("89.160.20.0/24"),
        Value::map([("country", place(&[("en", "Sweden"), ("de", "Schweden")]))]),
    )
    .expect("insert");
    w.insert_value(
        net("2001:470::/32"),
        Value::map([
            ("city", place(&[("en", "Fremont")])),
            ("country", place(&[("en", "United States")])),
        ]),
    )
    .expect("insert");
    for private in ["10.0.0.0/8", "127.0.0.0/8"] {
        w.insert_value(
            net(private),
            Value::map([
                ("city", place(&[("en", "Nowhere")])),
                ("country", place(&[("en", "Private")])),
            ]),
        )
        .expect("insert");
    }
    w.to_bytes().expect("a valid database")
}

/// A Country database: 81.2.69.0/24 and 8.8.8.0/24.
pub fn country_db() -> Vec<u8> {
    let mut w = Writer::builder("GeoLite2-Country")
        .languages(["en", "de"])
        .build();
    w.insert_value(
        net("81.2.69.0/24"),
        Value::map([(
            "country",
            place(&[("en", "United Kingdom"), ("de", "Vereinigtes Königreich")]),
        )]),
    )
    .expect("insert");
    w.insert_value(
        net("8.8.8.0/24"),
        Value::map([("country", place(&[("en", "United States")]))]),
    )
    .expect("insert");
    w.to_bytes().expect("a valid database")
}
