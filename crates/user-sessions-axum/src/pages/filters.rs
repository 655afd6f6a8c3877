//! The filters and functions the pages' templates see (see [`Templates`](super::Templates)).

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, State, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use user_sessions::ClientHints;
use user_sessions::humanize::{Device, DeviceClass, GeoIp, register_filters};

use super::i18n::{Locale, Translations};
use super::icons::device_icon;
use super::render::write_escaped;

/// `text` with `& < > " '` as entities.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut out, text);
    out
}

/// `text` in its own `<bdi>`: its direction does not leak into the sentence around it (a
/// Latin product name in a Hebrew sentence). `dir` is `ltr` for text that has no strong
/// direction of its own but must read left to right (IP addresses), or empty for `auto`.
pub(super) fn isolate(text: &str, dir: &str) -> String {
    match dir {
        "ltr" | "rtl" => format!("<bdi dir=\"{dir}\">{}</bdi>", escape(text)),
        _ => format!("<bdi>{}</bdi>", escape(text)),
    }
}

/// Adds the pages' filters and functions to `env` (replacing any of the same names).
///
/// ```
/// use minijinja::{Environment, context};
/// use user_sessions_axum::pages::{Translations, register};
///
/// let mut env = Environment::new();
/// register(&mut env, &Translations::embedded(), None);
/// let ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:77.0) Gecko/20100101 Firefox/77.0";
/// let out = env.render_str(
///     "{{ t('session-current') }}: {{ ua|device }}",
///     context! { lang => "de", ua },
/// )?;
/// assert_eq!(out, "Diese Sitzung: Firefox auf macOS");
///
/// // In Hebrew, each product name isolated: the sentence keeps its right-to-left order.
/// let html = env.render_str("{{ ua|device_html }}", context! { lang => "he", ua })?;
/// assert_eq!(html, "<bdi>Firefox</bdi> ב־<bdi>macOS</bdi>");
/// let icon = env.render_str("{{ ua|device_icon }}", context! { ua })?;
/// assert!(icon.starts_with("<svg class=\"us-icon us-icon-desktop\""));
/// # Ok::<(), minijinja::Error>(())
/// ```
pub fn register(env: &mut Environment<'static>, translations: &Translations, geoip: Option<GeoIp>) {
    register_filters(env, geoip);

    let t = translations.clone();
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<Value, Error> {
            let locale = page_locale(state, &t);
            let mut args = fluent_bundle::FluentArgs::new();
            let mut markup = Vec::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                if value.is_safe() && value.as_str().is_some() {
                    markup.push((name.to_owned(), value.to_string()));
                } else {
                    args.set(name.to_owned(), fluent_value(&value));
                }
            }
            if markup.is_empty() {
                Ok(Value::from(t.format(&locale, key, Some(&args))))
            } else {
                Ok(Value::from_safe_string(format_markup(
                    &t, &locale, key, args, &markup,
                )))
            }
        },
    );

    env.add_filter("isolate", |value: Value, dir: Option<String>| -> Value {
        match value.as_str() {
            Some(text) => {
                Value::from_safe_string(isolate(text, dir.as_deref().unwrap_or_default()))
            }
            None if value.is_undefined() || value.is_none() => Value::UNDEFINED,
            None => Value::from_safe_string(isolate(
                &value.to_string(),
                dir.as_deref().unwrap_or_default(),
            )),
        }
    });

    env.add_filter("ip_html", |value: Value| -> Value {
        match value.as_str() {
            Some(ip) => Value::from_safe_string(ip_html(ip)),
            None => Value::UNDEFINED,
        }
    });

    let t = translations.clone();
    env.add_filter(
        "device_html",
        move |state: &State, ua: Value, hints: Option<Value>| -> Value {
            let Some(ua) = ua.as_str() else {
                return Value::UNDEFINED;
            };
            let hints = hints.as_ref().and_then(client_hints).unwrap_or_default();
            let device = Device::parse_with_hints(ua, &hints);
            let locale = page_locale(state, &t);
            device_phrase(&t, &locale, device.browser, device.platform)
                .map_or(Value::UNDEFINED, Value::from_safe_string)
        },
    );

    let t = translations.clone();
    env.add_filter(
        "hints_html",
        move |state: &State, hints: Value, ua: Option<Value>| -> Value {
            let Some(hints) = client_hints(&hints).filter(|h| !h.is_empty()) else {
                return Value::UNDEFINED;
            };
            let ua = ua.as_ref().and_then(Value::as_str).unwrap_or_default();
            let device = Device::parse_with_hints(ua, &hints);
            let browser = match (device.browser, Device::browser_version(&hints)) {
                (Some(browser), Some(version)) => Some(format!("{browser} {version}")),
                (browser, _) => browser,
            };
            let locale = page_locale(state, &t);
            let device = device_phrase(&t, &locale, browser, device.platform);
            let mobile = hints.mobile.map(|mobile| {
                let key = if mobile {
                    "hints-mobile-yes"
                } else {
                    "hints-mobile-no"
                };
                escape(&t.message(&locale, key, &[]))
            });
            let text = match (device, mobile) {
                (Some(first), Some(second)) => format_markup(
                    &t,
                    &locale,
                    "hints-joined",
                    fluent_bundle::FluentArgs::new(),
                    &[("first".to_owned(), first), ("second".to_owned(), second)],
                ),
                (Some(one), None) | (None, Some(one)) => one,
                (None, None) => return Value::UNDEFINED,
            };
            Value::from_safe_string(text)
        },
    );

    env.add_filter("device_class", |ua: Value, hints: Option<Value>| -> Value {
        Value::from(class_of(&ua, hints.as_ref()).as_str())
    });
    env.add_filter("device_icon", |ua: Value, hints: Option<Value>| -> Value {
        Value::from_safe_string(device_icon(class_of(&ua, hints.as_ref())))
    });

    let t = translations.clone();
    env.add_filter(
        "device",
        move |state: &State, ua: Value, hints: Option<Value>| -> Value {
            let Some(ua) = ua.as_str() else {
                return Value::UNDEFINED;
            };
            let hints = hints.as_ref().and_then(client_hints).unwrap_or_default();
            let device = Device::parse_with_hints(ua, &hints);
            match (device.browser, device.platform) {
                (Some(browser), Some(platform)) => {
                    let locale = page_locale(state, &t);
                    Value::from(t.message(
                        &locale,
                        "device-on",
                        &[("browser", browser.into()), ("platform", platform.into())],
                    ))
                }
                (Some(one), None) | (None, Some(one)) => Value::from(one),
                (None, None) => Value::UNDEFINED,
            }
        },
    );

    let t = translations.clone();
    env.add_filter("timesince", move |state: &State, value: Value| -> Value {
        match parse_time(&value) {
            Some(then) => Value::from(t.time_ago(
                &page_locale(state, &t),
                then,
                time::OffsetDateTime::now_utc(),
            )),
            None => Value::UNDEFINED,
        }
    });

    env.add_filter("datetime", |value: Value| -> Value {
        match parse_time(&value) {
            Some(t) => Value::from(format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )),
            None => Value::UNDEFINED,
        }
    });
}

/// "{browser} on {platform}" in `locale` as HTML, each name in its own `<bdi>`; whichever of
/// the two is known alone; `None` for neither.
fn device_phrase(
    translations: &Translations,
    locale: &Locale,
    browser: Option<String>,
    platform: Option<String>,
) -> Option<String> {
    match (browser, platform) {
        (Some(browser), Some(platform)) => Some(format_markup(
            translations,
            locale,
            "device-on",
            fluent_bundle::FluentArgs::new(),
            &[
                ("browser".to_owned(), isolate(&browser, "")),
                ("platform".to_owned(), isolate(&platform, "")),
            ],
        )),
        (Some(one), None) | (None, Some(one)) => Some(isolate(&one, "")),
        (None, None) => None,
    }
}

/// An IP address as HTML: isolated left to right, and free to break only after a colon (an
/// IPv6 address wraps onto two tidy lines on a phone rather than anywhere).
fn ip_html(ip: &str) -> String {
    let escaped = escape(ip).replace(':', ":<wbr>");
    format!("<bdi dir=\"ltr\">{escaped}</bdi>")
}

/// The kind of device of a template's user agent and client hints.
fn class_of(ua: &Value, hints: Option<&Value>) -> DeviceClass {
    let hints = hints.and_then(client_hints).unwrap_or_default();
    DeviceClass::of(ua.as_str().unwrap_or_default(), &hints)
}

/// The message `key` as HTML: its own text escaped, the `markup` arguments (already HTML) put
/// in where the message places them.
///
/// Each markup argument goes into the message as a private-use character first, so the
/// message can place it anywhere (and select on nothing about it), then the escaped text gets
/// the HTML in its place.
fn format_markup(
    translations: &Translations,
    locale: &Locale,
    key: &str,
    mut args: fluent_bundle::FluentArgs<'static>,
    markup: &[(String, String)],
) -> String {
    let placeholder = |index: usize| {
        u32::try_from(index)
            .ok()
            .and_then(|i| char::from_u32(0xE000 + i))
            .unwrap_or('\u{E000}')
    };
    for (index, (name, _)) in markup.iter().enumerate() {
        args.set(name.clone(), placeholder(index).to_string());
    }
    let mut html = escape(&translations.format(locale, key, Some(&args)));
    for (index, (_, fragment)) in markup.iter().enumerate() {
        html = html.replace(placeholder(index), fragment);
    }
    html
}

/// The locale of the page being rendered: its `lang` variable.
fn page_locale(state: &State, translations: &Translations) -> Locale {
    state
        .lookup("lang")
        .and_then(|lang| lang.as_str().and_then(|tag| translations.find(tag)))
        .unwrap_or_default()
}

fn fluent_value(value: &Value) -> fluent_bundle::FluentValue<'static> {
    if let Ok(number) = i64::try_from(value.clone()) {
        return number.into();
    }
    if let Ok(number) = f64::try_from(value.clone()) {
        return number.into();
    }
    match value.as_str() {
        Some(text) => text.to_owned().into(),
        None => value.to_string().into(),
    }
}

/// Client hints from a template value (a serialized [`ClientHints`]).
fn client_hints(value: &Value) -> Option<ClientHints> {
    if value.is_undefined() || value.is_none() {
        return None;
    }
    serde_json::to_value(value)
        .ok()
        .and_then(|json| serde_json::from_value(json).ok())
}

/// A time from a template value: RFC 3339 text (how serialized times arrive).
fn parse_time(value: &Value) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value.as_str()?, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
}

#[cfg(test)]
mod tests {
    use minijinja::context;

    use super::super::render::tested_environment as env;

    #[test]
    fn filters_localize() {
        let env = env();
        let out = env
            .render_str(
                "{{ t('time-minutes-ago', count=5) }}|{{ when|datetime }}|{{ none|timesince }}",
                context! { lang => "pl", when => "2000-01-02T03:04:05Z" },
            )
            .unwrap();
        assert_eq!(out, "5 minut temu|2000-01-02 03:04 UTC|");
        let ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                  (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        let out = env
            .render_str("{{ ua|device }}", context! { lang => "ja", ua })
            .unwrap();
        assert_eq!(out, "iPhone の Safari");
    }

    #[test]
    fn client_hints_read_as_words() {
        let env = env();
        let hints = context! {
            brands => r#""Chromium";v="126", "Google Chrome";v="126", "Not-A.Brand";v="8""#,
            mobile => false,
            platform => "\"Windows\"",
            platform_version => "\"15.0.0\"",
        };
        let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                  (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        let out = env
            .render_str(
                "{{ hints|hints_html(ua) }}|{{ none|hints_html }}",
                context! { lang => "en", hints, ua },
            )
            .unwrap();
        assert_eq!(
            out,
            "<bdi>Chrome 126</bdi> on <bdi>Windows 11</bdi>, mobile: no|"
        );
        // Each language joins the parts with its own comma.
        for (lang, comma) in [("ar", "، "), ("ja", "、"), ("de", ", ")] {
            let out = env
                .render_str(
                    "{{ hints|hints_html(ua) }}",
                    context! { lang, hints => hints.clone(), ua },
                )
                .unwrap();
            assert!(out.contains(&format!("</bdi>{comma}")), "{lang}: {out}");
        }
    }
}
