//! Templates: minijinja, embedded in the crate, each overridable by the application.
//!
//! Every template is named under `user_sessions/` so that it cannot collide with the
//! application's own (see [`EMBEDDED_TEMPLATES`]). The pages extend
//! `user_sessions/base.html`: override that one to put the pages into the application's
//! layout, or any other to change a page. The base includes `user_sessions/nav.html` in its
//! header when the application provides one (links back into the application).
//!
//! Templates see these filters and functions (besides minijinja's built-ins):
//!
//! - `t(key, **args)` — a translated message: `{{ t("sessions-count", count=3) }}`;
//! - `device`, `browser`, `platform` — from a user agent (and client hints):
//!   `{{ s.user_agent|device(s.client_hints) }}` → "Safari on iPhone" (`device` in the
//!   page's language);
//! - `device_html` — the same device text as HTML, each product name in its own `<bdi>` so
//!   that right-to-left sentences keep their order: "<bdi>Safari</bdi> ב־<bdi>iPhone</bdi>";
//! - `hints_html` — client hints in words, as HTML: `{{ s.client_hints|hints_html(s.user_agent) }}`
//!   → "Chrome 126 on Windows 11, mobile: no";
//! - `device_icon` — an inline SVG for the kind of device (phone, tablet, desktop, unknown),
//!   `device_class` — that kind as a word;
//! - `isolate` — text in its own `<bdi>`; `isolate("ltr")` for text without a direction of
//!   its own that must read left to right (an example address): `{{ "203.0.113."|isolate("ltr") }}`;
//! - `ip_html` — an IP address isolated left to right, breakable only after its colons;
//! - a `t(…)` argument given as HTML (the output of the filters above) goes into the message
//!   as is, the message's own text escaped:
//!   `{{ t("flash-ended-device", device=ua|device_html) }}`;
//! - `location`, `city`, `country` — from an IP address, with a GeoIP database:
//!   `{{ s.ip|location(lang) }}`;
//! - `timesince` — a relative time in the page's language: `{{ s.last_activity|timesince }}`;
//! - `datetime` — a UTC time for people: `2026-11-28 14:03 UTC`.
//!
//! and these variables on every page: `lang`, `dir` (`ltr` / `rtl`), `stylesheet_url`,
//! `home_url`, `site_name`.

use std::path::{Component, Path, PathBuf};

use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use user_sessions::ClientHints;
use user_sessions::humanize::{Device, DeviceClass, GeoIp, register_filters};

use super::i18n::{Locale, Translations};
use super::icons::device_icon;

/// The templates that ship with the crate: `(name, source)`.
pub const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    (
        "user_sessions/base.html",
        include_str!("../../templates/user_sessions/base.html"),
    ),
    (
        "user_sessions/session_list.html",
        include_str!("../../templates/user_sessions/session_list.html"),
    ),
    (
        "user_sessions/message.html",
        include_str!("../../templates/user_sessions/message.html"),
    ),
];

/// The source of an embedded template.
///
/// ```
/// let base = user_sessions_axum::pages::embedded_template("user_sessions/base.html").unwrap();
/// assert!(base.contains("{% block content %}"));
/// ```
pub fn embedded_template(name: &str) -> Option<&'static str> {
    EMBEDDED_TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, source)| *source)
}

/// Where the pages' templates come from.
///
/// - [`Templates::embedded`] (the default): the crate's own.
/// - [`Templates::from_dir`]: a directory of the application; a template found there (by its
///   name, e.g. `user_sessions/base.html`) replaces the embedded one of that name.
/// - [`Templates::from_environment`]: the application's own minijinja environment; templates it
///   has (added, or found by its loader) win, the embedded ones fill the gaps, and the pages'
///   filters and functions are added to it.
///
/// ```
/// use user_sessions_axum::pages::{Pages, Templates};
///
/// let mut env = minijinja::Environment::new();
/// env.add_template(
///     "user_sessions/base.html",
///     "<!doctype html><html lang=\"{{ lang }}\"><body>{% block content %}{% endblock %}</body></html>",
/// )?;
/// let pages = Pages::builder().templates(Templates::from_environment(env)).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Templates {
    source: Source,
    added: Vec<(String, String)>,
}

#[derive(Debug, Default)]
enum Source {
    #[default]
    Embedded,
    Dir(PathBuf),
    Environment(Box<Environment<'static>>),
}

impl Templates {
    /// The embedded templates.
    pub fn embedded() -> Self {
        Templates::default()
    }

    /// Templates in `dir` first (e.g. `dir/user_sessions/base.html`), the embedded ones for
    /// names not found there. Files are read on first use and kept.
    pub fn from_dir(dir: impl Into<PathBuf>) -> Self {
        Templates {
            source: Source::Dir(dir.into()),
            added: Vec::new(),
        }
    }

    /// The application's environment (see the type's documentation).
    pub fn from_environment(env: Environment<'static>) -> Self {
        Templates {
            source: Source::Environment(Box::new(env)),
            added: Vec::new(),
        }
    }

    /// Adds a template from source (an application's page that extends
    /// `user_sessions/base.html`, or a replacement for an embedded template); it takes
    /// precedence over every other template of that name.
    ///
    /// ```
    /// use user_sessions_axum::pages::{Pages, Templates};
    ///
    /// let templates = Templates::embedded()
    ///     .with_template("user_sessions/nav.html", "<nav class=\"us-nav\"><a href=\"/\">Home</a></nav>")
    ///     .with_template(
    ///         "app/home.html",
    ///         "{% extends 'user_sessions/base.html' %}{% block content %}Hi{% endblock %}",
    ///     );
    /// let pages = Pages::builder().templates(templates).build()?;
    /// let html = pages.render(&Default::default(), "app/home.html", minijinja::context! {})?;
    /// assert!(html.contains("<a href=\"/\">Home</a>"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_template(mut self, name: impl Into<String>, source: impl Into<String>) -> Self {
        self.added.push((name.into(), source.into()));
        self
    }

    /// The environment the pages render with.
    pub(crate) fn build(
        self,
        translations: &Translations,
        geoip: Option<GeoIp>,
    ) -> Result<Environment<'static>, std::io::Error> {
        let mut env = match self.source {
            Source::Embedded => {
                let mut env = Environment::new();
                tidy(&mut env);
                env.set_loader(|name| Ok(embedded_template(name).map(str::to_owned)));
                env
            }
            Source::Dir(dir) => {
                if !dir.is_dir() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("template directory {} not found", dir.display()),
                    ));
                }
                let mut env = Environment::new();
                tidy(&mut env);
                env.set_loader(move |name| load_from_dir(&dir, name));
                env
            }
            Source::Environment(env) => {
                let mut env = *env;
                for (name, source) in EMBEDDED_TEMPLATES {
                    if env.get_template(name).is_err() {
                        env.add_template(name, source)
                            .map_err(std::io::Error::other)?;
                    }
                }
                env
            }
        };
        for (name, source) in self.added {
            env.add_template_owned(name, source)
                .map_err(std::io::Error::other)?;
        }
        register(&mut env, translations, geoip);
        Ok(env)
    }
}

/// The settings of the environments the pages make: readable HTML out, URLs unmangled.
fn tidy(env: &mut Environment<'static>) {
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(html_formatter);
}

/// minijinja's formatter, but strings in HTML escape only `& < > " '`: URLs in attributes stay
/// readable (`/account/sessions/`, not `&#x2f;account&#x2f;sessions&#x2f;`), and are as safe.
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(text) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            write_escaped(out, text).map_err(Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// Writes `text` with `& < > " '` as entities.
fn write_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut last = 0;
    for (at, c) in text.char_indices() {
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..at])?;
        out.write_str(entity)?;
        last = at + 1;
    }
    out.write_str(&text[last..])
}

/// `text` with `& < > " '` as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut out, text);
    out
}

/// `text` in its own `<bdi>`: its direction does not leak into the sentence around it (a
/// Latin product name in a Hebrew sentence). `dir` is `ltr` for text that has no strong
/// direction of its own but must read left to right (IP addresses), or empty for `auto`.
fn isolate(text: &str, dir: &str) -> String {
    match dir {
        "ltr" | "rtl" => format!("<bdi dir=\"{dir}\">{}</bdi>", escape(text)),
        _ => format!("<bdi>{}</bdi>", escape(text)),
    }
}

/// `dir/name` if it exists, else the embedded template; names that climb out of `dir` are
/// not looked up there.
fn load_from_dir(dir: &Path, name: &str) -> Result<Option<String>, Error> {
    let relative = Path::new(name);
    let safe = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if safe {
        match std::fs::read_to_string(dir.join(relative)) {
            Ok(source) => return Ok(Some(source)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(
                    Error::new(ErrorKind::TemplateNotFound, "cannot read the template")
                        .with_source(error),
                );
            }
        }
    }
    Ok(embedded_template(name).map(str::to_owned))
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
            let mut parts: Vec<String> = device_phrase(&t, &locale, browser, device.platform)
                .into_iter()
                .collect();
            if let Some(mobile) = hints.mobile {
                let key = if mobile {
                    "hints-mobile-yes"
                } else {
                    "hints-mobile-no"
                };
                parts.push(escape(&t.message(&locale, key, &[])));
            }
            if parts.is_empty() {
                return Value::UNDEFINED;
            }
            Value::from_safe_string(parts.join(", "))
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
            Some(then) => {
                Value::from(t.time_ago(&page_locale(state, &t), then, user_sessions::now()))
            }
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

    use super::*;

    fn env() -> Environment<'static> {
        Templates::embedded()
            .build(&Translations::embedded(), None)
            .unwrap()
    }

    #[test]
    fn every_embedded_template_compiles() {
        let env = env();
        for (name, _) in EMBEDDED_TEMPLATES {
            env.get_template(name).unwrap();
        }
    }

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
    }

    #[test]
    fn directory_templates_win_and_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("user_sessions")).unwrap();
        std::fs::write(
            dir.path().join("user_sessions/message.html"),
            "custom {{ title }}",
        )
        .unwrap();
        let env = Templates::from_dir(dir.path())
            .build(&Translations::embedded(), None)
            .unwrap();
        let out = env
            .get_template("user_sessions/message.html")
            .unwrap()
            .render(context! { title => "<b>" })
            .unwrap();
        assert_eq!(out, "custom &lt;b&gt;");
        let out = env
            .render_named_str(
                "x.html",
                "<a href=\"{{ url }}\" title=\"{{ text }}\">",
                context! { url => "/a/b?c=1&d=2", text => "it's \"q\" <b>" },
            )
            .unwrap();
        assert_eq!(
            out,
            "<a href=\"/a/b?c=1&amp;d=2\" title=\"it&#39;s &quot;q&quot; &lt;b&gt;\">"
        );
        assert!(env.get_template("user_sessions/base.html").is_ok());
        assert!(
            load_from_dir(dir.path(), "../etc/passwd")
                .unwrap()
                .is_none()
        );
    }
}
