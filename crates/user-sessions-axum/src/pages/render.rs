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
//! `home_url`, `site_name`; and on the pages of a signed-in user (the list, the admin's pages),
//! `signed_in` with its `id` and `name` (from the
//! [`UserDirectory`](super::UserDirectory), else the id), which the base shows in its header:
//! "Signed in as …", the name in its own `<bdi>`.

use std::path::{Component, Path, PathBuf};

use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value};
use user_sessions::humanize::GeoIp;

use super::filters::register;
use super::i18n::Translations;

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
pub(super) fn write_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
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

/// The embedded templates and translations, as the unit tests of the pages render them.
#[cfg(test)]
pub(super) fn tested_environment() -> Environment<'static> {
    Templates::embedded()
        .build(&Translations::embedded(), None)
        .expect("the embedded templates build")
}

#[cfg(test)]
mod tests {
    use minijinja::context;

    use super::*;

    use super::tested_environment as env;

    #[test]
    fn every_embedded_template_compiles() {
        let env = env();
        for (name, _) in EMBEDDED_TEMPLATES {
            env.get_template(name).unwrap();
        }
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
