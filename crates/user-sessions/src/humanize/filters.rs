//! The humanize functions as minijinja filters.

use minijinja::{Environment, Value};

use super::{GeoIp, Language, device};
use crate::ClientHints;

/// Registers the filters `device`, `browser`, `platform`, `location`, `city` and `country`
/// on a minijinja environment.
///
/// - `{{ s.user_agent|device }}` → "Safari on iPhone"; `browser` and `platform` likewise.
///   They take the session's client hints as an optional argument:
///   `{{ s.user_agent|device(s.client_hints) }}` → "Chrome on Windows 11".
/// - `{{ s.ip|location }}` → "Zwolle, The Netherlands"; `city` and `country` likewise. They
///   take an optional language, a tag or a whole `Accept-Language` header:
///   `{{ s.ip|location("de") }}`. Without a database (`geoip` is `None`) they know nothing.
///
/// Whatever a filter cannot tell — no value, an undefined one, an unknown user agent, a
/// private address — comes out undefined, which prints as nothing and works with
/// `default`: `{{ s.user_agent|device|default("Unknown device") }}`. (With
/// `UndefinedBehavior::Strict`, printing undefined is an error, so use `default` there.)
///
/// ```
/// use minijinja::{Environment, context};
///
/// let mut env = Environment::new();
/// user_sessions::humanize::register_filters(&mut env, None);
/// let ua = "Mozilla/5.0 (iPad; CPU OS 4_2_1 like Mac OS X; ja-jp) AppleWebKit/533.17.9 \
///           (KHTML, like Gecko) Version/5.0.2 Mobile/8C148 Safari/6533.18.5";
/// let out = env
///     .render_str(
///         "{{ ua|device }} / {{ ua|browser }} / {{ ua|platform }} / [{{ none|device }}]",
///         context! { ua },
///     )
///     .unwrap();
/// assert_eq!(out, "Safari on iPad / Safari / iPad / []");
/// ```
pub fn register_filters(env: &mut Environment<'_>, geoip: Option<GeoIp>) {
    env.add_filter("device", |ua: Value, hints: Option<Value>| {
        humanize_ua(&ua, hints.as_ref(), |d| d.text())
    });
    env.add_filter("browser", |ua: Value, hints: Option<Value>| {
        humanize_ua(&ua, hints.as_ref(), |d| d.browser)
    });
    env.add_filter("platform", |ua: Value, hints: Option<Value>| {
        humanize_ua(&ua, hints.as_ref(), |d| d.platform)
    });

    let geo = geoip.clone();
    env.add_filter("location", move |ip: Value, language: Option<Value>| {
        locate(geo.as_ref(), &ip, language.as_ref(), GeoIp::location_in)
    });
    let geo = geoip.clone();
    env.add_filter("city", move |ip: Value, language: Option<Value>| {
        locate(geo.as_ref(), &ip, language.as_ref(), GeoIp::city_in)
    });
    env.add_filter("country", move |ip: Value, language: Option<Value>| {
        locate(geoip.as_ref(), &ip, language.as_ref(), GeoIp::country_in)
    });
}

fn humanize_ua(
    ua: &Value,
    hints: Option<&Value>,
    pick: impl FnOnce(device::Device) -> Option<String>,
) -> Value {
    let ua = ua.as_str().unwrap_or_default();
    let hints = hints.and_then(client_hints).unwrap_or_default();
    let device = device::Device::parse_with_hints(ua, &hints);
    pick(device).map_or(Value::UNDEFINED, Value::from)
}

/// Client hints from a template value: a map (or object) with the fields of
/// [`ClientHints`], as a serialized `SessionInfo::client_hints` is.
fn client_hints(value: &Value) -> Option<ClientHints> {
    if value.is_undefined() || value.is_none() {
        return None;
    }
    let text = |name: &str| {
        value
            .get_attr(name)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    };
    let mobile = value
        .get_attr("mobile")
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map(|v| v.is_true());
    Some(ClientHints {
        brands: text("brands"),
        mobile,
        platform: text("platform"),
        platform_version: text("platform_version"),
    })
}

fn locate(
    geoip: Option<&GeoIp>,
    ip: &Value,
    language: Option<&Value>,
    lookup: fn(&GeoIp, std::net::IpAddr, Language) -> Option<String>,
) -> Value {
    let Some(geoip) = geoip else {
        return Value::UNDEFINED;
    };
    let Some(ip) = ip.as_str().and_then(|s| s.trim().parse().ok()) else {
        return Value::UNDEFINED;
    };
    let language = language
        .and_then(Value::as_str)
        .map_or(Language::English, Language::from_accept_language);
    lookup(geoip, ip, language).map_or(Value::UNDEFINED, Value::from)
}
