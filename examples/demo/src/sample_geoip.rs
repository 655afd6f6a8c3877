//! A tiny GeoIP database of sample data, built in memory at start-up, so that the demo shows
//! locations without any download: the addresses of the simulated sign-ins (see
//! [`simulate`](crate::simulate)) and nothing else.
//!
//! **Sample data, made up for this demo**: the places are not geolocation of those addresses.
//! The pages say so wherever locations appear. Set `GEOIP_PATH` to a real GeoLite2 or DB-IP
//! database to see real locations.

use mmdb_writer::ipnet::IpNet;
use mmdb_writer::{Value, Writer};
use user_sessions::humanize::GeoIp;

/// `(network, city names, country names)`, names by GeoIP2 language.
type Entry = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

/// The sample table: one network per simulated device.
const SAMPLE: [Entry; 3] = [
    (
        "81.2.69.0/24",
        &[
            ("en", "London"),
            ("de", "London"),
            ("fr", "Londres"),
            ("es", "Londres"),
            ("pt-BR", "Londres"),
            ("ru", "Лондон"),
            ("ja", "ロンドン"),
            ("zh-CN", "伦敦"),
        ],
        &[
            ("en", "United Kingdom"),
            ("de", "Vereinigtes Königreich"),
            ("fr", "Royaume-Uni"),
            ("es", "Reino Unido"),
            ("pt-BR", "Reino Unido"),
            ("ru", "Великобритания"),
            ("ja", "イギリス"),
            ("zh-CN", "英国"),
        ],
    ),
    (
        "2a02:a45e::/32",
        &[
            ("en", "Amsterdam"),
            ("de", "Amsterdam"),
            ("fr", "Amsterdam"),
            ("es", "Ámsterdam"),
            ("pt-BR", "Amsterdã"),
            ("ru", "Амстердам"),
            ("ja", "アムステルダム"),
            ("zh-CN", "阿姆斯特丹"),
        ],
        &[
            ("en", "The Netherlands"),
            ("de", "Niederlande"),
            ("fr", "Pays-Bas"),
            ("es", "Países Bajos"),
            ("pt-BR", "Holanda"),
            ("ru", "Нидерланды"),
            ("ja", "オランダ"),
            ("zh-CN", "荷兰"),
        ],
    ),
    (
        "89.160.20.0/24",
        &[
            ("en", "Linköping"),
            ("de", "Linköping"),
            ("fr", "Linköping"),
            ("es", "Linköping"),
            ("pt-BR", "Linköping"),
            ("ru", "Линчёпинг"),
            ("ja", "リンショーピング"),
            ("zh-CN", "林雪平"),
        ],
        &[
            ("en", "Sweden"),
            ("de", "Schweden"),
            ("fr", "Suède"),
            ("es", "Suecia"),
            ("pt-BR", "Suécia"),
            ("ru", "Швеция"),
            ("ja", "スウェーデン"),
            ("zh-CN", "瑞典"),
        ],
    ),
];

fn place(names: &[(&str, &str)]) -> Value {
    Value::map([(
        "names",
        Value::map(names.iter().map(|(lang, name)| (*lang, Value::from(*name)))),
    )])
}

/// The sample database, opened.
pub fn open() -> Result<GeoIp, SampleError> {
    let mut writer = Writer::builder("user-sessions-demo-sample-City")
        .languages(["en", "de", "es", "fr", "ja", "pt-BR", "ru", "zh-CN"])
        .build();
    for (network, city, country) in SAMPLE {
        let network: IpNet = network
            .parse()
            .map_err(|_| SampleError(format!("{network} is not a network")))?;
        writer
            .insert_value(
                network,
                Value::map([("city", place(city)), ("country", place(country))]),
            )
            .map_err(|e| SampleError(e.to_string()))?;
    }
    let bytes = writer.to_bytes().map_err(|e| SampleError(e.to_string()))?;
    GeoIp::from_bytes(bytes).map_err(|e| SampleError(e.to_string()))
}

/// The sample database could not be built (a bug: the demo's tests build it).
#[derive(Debug, thiserror::Error)]
#[error("sample GeoIP data: {0}")]
pub struct SampleError(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulated_addresses_have_sample_locations() {
        let geoip = open().expect("the sample database builds");
        let at = |ip: &str| geoip.location(ip.parse().expect("ip"));
        assert_eq!(at("81.2.69.142").as_deref(), Some("London, United Kingdom"));
        assert_eq!(
            at("2a02:a45e:1c2f:0:8d4f:3b1c:a2b9:7e11").as_deref(),
            Some("Amsterdam, The Netherlands")
        );
        assert_eq!(at("89.160.20.112").as_deref(), Some("Linköping, Sweden"));
        assert_eq!(at("127.0.0.1"), None);
        assert_eq!(at("8.8.8.8"), None, "nothing but the sample");
    }
}
