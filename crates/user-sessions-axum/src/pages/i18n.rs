//! Translations with [Project Fluent](https://projectfluent.org/), and the choice of language
//! for a request.
//!
//! The pages ship messages for [`LOCALES`]; an application can override any message, or add a
//! language, with [`Translations::add_resource`]. The language of a request is, in order: a
//! [`Locale`] the application put into the request's extensions, the locale forced with
//! [`PagesBuilder::force_locale`](super::PagesBuilder::force_locale), the best match for the
//! `Accept-Language` header, English.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use time::OffsetDateTime;
use unic_langid::{CharacterDirection, LanguageIdentifier};

/// The languages the pages are translated into, the default (`en`) first.
pub const LOCALES: [&str; 13] = [
    "en", "nl", "de", "fr", "es", "it", "pt-BR", "ru", "pl", "ar", "he", "zh-CN", "ja",
];

/// The Fluent sources of one embedded locale: every `.ftl` file of `locales/<tag>/`.
macro_rules! locale_sources {
    ($tag:literal) => {
        (
            $tag,
            &[include_str!(concat!("../../locales/", $tag, "/pages.ftl"))] as &[&str],
        )
    };
}

/// The embedded Fluent sources, in the order of [`LOCALES`].
const EMBEDDED: [(&str, &[&str]); 13] = [
    locale_sources!("en"),
    locale_sources!("nl"),
    locale_sources!("de"),
    locale_sources!("fr"),
    locale_sources!("es"),
    locale_sources!("it"),
    locale_sources!("pt-BR"),
    locale_sources!("ru"),
    locale_sources!("pl"),
    locale_sources!("ar"),
    locale_sources!("he"),
    locale_sources!("zh-CN"),
    locale_sources!("ja"),
];

/// The language a page is rendered in.
///
/// ```
/// use user_sessions_axum::pages::Locale;
///
/// let hebrew: Locale = "he".parse()?;
/// assert!(hebrew.is_rtl());
/// assert_eq!(hebrew.dir(), "rtl");
/// let brazilian: Locale = "pt-BR".parse()?;
/// assert_eq!(brazilian.tag(), "pt-BR");
/// assert_eq!(brazilian.dir(), "ltr");
/// # Ok::<(), user_sessions_axum::pages::TranslationError>(())
/// ```
///
/// Put one into a request's extensions (from a middleware that knows the user's preference)
/// to choose the language of that request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale {
    id: LanguageIdentifier,
}

impl Locale {
    /// English, the default.
    pub fn english() -> Self {
        Locale {
            id: LanguageIdentifier::from_parts("en".parse().unwrap_or_default(), None, None, &[]),
        }
    }

    /// The BCP 47 tag, e.g. `pt-BR`: what `<html lang>` gets.
    pub fn tag(&self) -> String {
        self.id.to_string()
    }

    /// Whether the language is written right to left (Arabic, Hebrew, …).
    pub fn is_rtl(&self) -> bool {
        self.id.character_direction() == CharacterDirection::RTL
    }

    /// `rtl` or `ltr`: what `<html dir>` gets.
    pub fn dir(&self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The language identifier.
    pub fn language_identifier(&self) -> &LanguageIdentifier {
        &self.id
    }
}

impl Default for Locale {
    fn default() -> Self {
        Locale::english()
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.id.fmt(f)
    }
}

impl std::str::FromStr for Locale {
    type Err = TranslationError;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        tag.parse::<LanguageIdentifier>()
            .map(|id| Locale { id })
            .map_err(|_| TranslationError::InvalidLocale(tag.to_owned()))
    }
}

/// What can go wrong when translations are added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TranslationError {
    /// The text is not a BCP 47 language tag.
    #[error("`{0}` is not a language tag (e.g. en, pt-BR, zh-CN)")]
    InvalidLocale(String),
    /// The Fluent source has syntax errors; nothing of it was added.
    #[error("invalid Fluent source for {locale}: {errors}")]
    Syntax {
        /// The locale the source was given for.
        locale: String,
        /// The parser's messages.
        errors: String,
    },
}

struct Bundle {
    locale: Locale,
    bundle: FluentBundle<FluentResource>,
    keys: BTreeSet<String>,
    /// The sources added, in order (to copy the bundle: bundles are not `Clone`).
    sources: Vec<String>,
}

impl Bundle {
    fn new(locale: Locale) -> Self {
        let mut bundle = FluentBundle::new_concurrent(vec![locale.id.clone()]);
        // Pages escape what they print; Unicode isolation marks would only get in the way of
        // applications that compare texts. Templates isolate user text with <bdi>.
        bundle.set_use_isolating(false);
        Bundle {
            locale,
            bundle,
            keys: BTreeSet::new(),
            sources: Vec::new(),
        }
    }

    /// A copy, built again from the sources (which parsed before).
    fn rebuild(&self) -> Bundle {
        let mut copy = Bundle::new(self.locale.clone());
        for source in &self.sources {
            let _ = copy.add(source);
        }
        copy
    }

    fn add(&mut self, source: &str) -> Result<(), TranslationError> {
        let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
            TranslationError::Syntax {
                locale: self.locale.tag(),
                errors: errors
                    .iter()
                    .map(|e| format!("{e:?}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                let id = message.id.name;
                if message.value.is_some() {
                    self.keys.insert(id.to_owned());
                }
                for attribute in &message.attributes {
                    self.keys.insert(format!("{id}.{}", attribute.id.name));
                }
            }
        }
        self.bundle.add_resource_overriding(resource);
        self.sources.push(source.to_owned());
        Ok(())
    }

    /// The formatted message, `None` when this bundle lacks it.
    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let (id, attribute) = match key.split_once('.') {
            Some((id, attribute)) => (id, Some(attribute)),
            None => (key, None),
        };
        let message = self.bundle.get_message(id)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute)?.value(),
            None => message.value()?,
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::debug!(key, locale = %self.locale, ?errors, "message formatted with errors");
        }
        Some(text.into_owned())
    }
}

/// The messages of every language, and the rules to pick one.
///
/// ```
/// use user_sessions_axum::pages::{Locale, Translations};
///
/// let translations = Translations::embedded();
/// let german = translations.negotiate(Some("de-CH, en;q=0.5"));
/// assert_eq!(german.tag(), "de");
/// assert_eq!(translations.message(&german, "sessions-title", &[]), "Aktive Sitzungen");
/// assert_eq!(
///     translations.message(&german, "time-minutes-ago", &[("count", 3.into())]),
///     "vor 3 Minuten",
/// );
/// ```
#[derive(Clone)]
pub struct Translations {
    bundles: Arc<Vec<Bundle>>,
}

impl fmt::Debug for Translations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Translations")
            .field(
                "locales",
                &self
                    .bundles
                    .iter()
                    .map(|b| b.locale.tag())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Default for Translations {
    fn default() -> Self {
        Translations::embedded()
    }
}

impl Translations {
    /// The translations that ship with the crate ([`LOCALES`]).
    pub fn embedded() -> Self {
        let mut bundles = Vec::with_capacity(EMBEDDED.len());
        for (tag, sources) in EMBEDDED {
            let Ok(locale) = tag.parse::<Locale>() else {
                continue;
            };
            let mut bundle = Bundle::new(locale);
            for source in sources {
                // The embedded sources are checked by this crate's tests.
                if let Err(error) = bundle.add(source) {
                    tracing::error!(%error, "embedded translations do not parse");
                }
            }
            bundles.push(bundle);
        }
        Translations {
            bundles: Arc::new(bundles),
        }
    }

    /// Adds Fluent messages for `locale`, replacing messages of the same id; a locale that is
    /// not there yet is added (and then negotiated like the others).
    ///
    /// ```
    /// use user_sessions_axum::pages::Translations;
    ///
    /// let mut translations = Translations::embedded();
    /// translations.add_resource("en", "sessions-title = Where you are signed in")?;
    /// translations.add_resource("sv", "sessions-title = Aktiva sessioner")?;
    /// let en = translations.negotiate(Some("en"));
    /// assert_eq!(translations.message(&en, "sessions-title", &[]), "Where you are signed in");
    /// let sv = translations.negotiate(Some("sv-SE"));
    /// assert_eq!(translations.message(&sv, "sessions-title", &[]), "Aktiva sessioner");
    /// // Messages Swedish lacks come from English.
    /// assert_eq!(translations.message(&sv, "nav-home", &[]), "Home");
    /// # Ok::<(), user_sessions_axum::pages::TranslationError>(())
    /// ```
    pub fn add_resource(&mut self, locale: &str, source: &str) -> Result<(), TranslationError> {
        let locale: Locale = locale.parse()?;
        let mut bundles = match Arc::try_unwrap(std::mem::take(&mut self.bundles)) {
            Ok(bundles) => bundles,
            Err(shared) => shared.iter().map(Bundle::rebuild).collect(),
        };
        let added = match bundles.iter_mut().find(|b| b.locale == locale) {
            Some(bundle) => bundle.add(source),
            None => {
                let mut bundle = Bundle::new(locale);
                let added = bundle.add(source);
                if added.is_ok() {
                    bundles.push(bundle);
                }
                added
            }
        };
        self.bundles = Arc::new(bundles);
        added
    }

    /// The locales there are messages for, the default first.
    pub fn locales(&self) -> impl Iterator<Item = &Locale> {
        self.bundles.iter().map(|b| &b.locale)
    }

    /// The message keys a locale has (`id`, and `id.attribute` for attributes).
    pub fn keys(&self, locale: &Locale) -> BTreeSet<String> {
        self.bundle(locale)
            .map(|b| b.keys.clone())
            .unwrap_or_default()
    }

    /// The locale for an `Accept-Language` header: the most preferred language there are
    /// messages for, matched by language and region (`de-AT` → `de`, `pt` → `pt-BR`,
    /// `zh-Hans` → `zh-CN`, but not `zh-TW`); English when none matches.
    pub fn negotiate(&self, accept_language: Option<&str>) -> Locale {
        let Some(header) = accept_language else {
            return self.default_locale();
        };
        let mut requested: Vec<(f32, LanguageIdentifier)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                if tag.is_empty() || tag == "*" {
                    return None;
                }
                let quality = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                    .next()
                    .unwrap_or(1.0);
                let id = tag.parse::<LanguageIdentifier>().ok()?;
                (quality > 0.0).then_some((quality, id))
            })
            .collect();
        // Stable: equal qualities keep the header's order.
        requested.sort_by(|a, b| b.0.total_cmp(&a.0));
        requested
            .iter()
            .find_map(|(_, id)| self.best_match(id))
            .unwrap_or_else(|| self.default_locale())
    }

    /// The available locale that serves `tag` (see [`negotiate`](Self::negotiate)), if any.
    pub fn find(&self, tag: &str) -> Option<Locale> {
        self.best_match(&tag.parse().ok()?)
    }

    fn best_match(&self, wanted: &LanguageIdentifier) -> Option<Locale> {
        let available = || self.bundles.iter().map(|b| &b.locale);
        if let Some(exact) = available().find(|l| {
            l.id.language == wanted.language
                && l.id.region == wanted.region
                && (wanted.script.is_none() || l.id.script == wanted.script)
        }) {
            return Some(exact.clone());
        }
        if wanted.language.as_str() == "zh" && is_traditional_chinese(wanted) {
            return available()
                .find(|l| l.id.language == wanted.language && is_traditional_chinese(&l.id))
                .cloned();
        }
        // The language without a region, then the language in any region.
        available()
            .find(|l| l.id.language == wanted.language && l.id.region.is_none())
            .or_else(|| available().find(|l| l.id.language == wanted.language))
            .cloned()
    }

    fn default_locale(&self) -> Locale {
        self.bundles
            .first()
            .map(|b| b.locale.clone())
            .unwrap_or_default()
    }

    fn bundle(&self, locale: &Locale) -> Option<&Bundle> {
        self.bundles.iter().find(|b| &b.locale == locale)
    }

    /// The message `key` in `locale` with `args`; from the default locale when `locale` lacks
    /// it; the key itself when no locale has it.
    pub fn message(&self, locale: &Locale, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let args = (!args.is_empty()).then(|| {
            let mut fluent = FluentArgs::new();
            for (name, value) in args {
                fluent.set(*name, value.clone());
            }
            fluent
        });
        self.format(locale, key, args.as_ref())
    }

    pub(crate) fn format(
        &self,
        locale: &Locale,
        key: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> String {
        self.bundle(locale)
            .and_then(|b| b.format(key, args))
            .or_else(|| self.bundles.first().and_then(|b| b.format(key, args)))
            .unwrap_or_else(|| key.to_owned())
    }

    /// How long ago `then` was, seen at `now`, in words: "just now", "3 minutes ago",
    /// "yesterday", "2 years ago" (a time in the future reads "just now").
    ///
    /// ```
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions_axum::pages::Translations;
    ///
    /// let t = Translations::embedded();
    /// let now = OffsetDateTime::now_utc();
    /// let en = t.negotiate(Some("en"));
    /// assert_eq!(t.time_ago(&en, now - Duration::seconds(10), now), "just now");
    /// assert_eq!(t.time_ago(&en, now - Duration::minutes(3), now), "3 minutes ago");
    /// assert_eq!(t.time_ago(&en, now - Duration::hours(1), now), "one hour ago");
    /// let ru = t.negotiate(Some("ru"));
    /// assert_eq!(t.time_ago(&ru, now - Duration::minutes(22), now), "22 минуты назад");
    /// assert_eq!(t.time_ago(&ru, now - Duration::minutes(5), now), "5 минут назад");
    /// ```
    pub fn time_ago(&self, locale: &Locale, then: OffsetDateTime, now: OffsetDateTime) -> String {
        let (key, count) = elapsed(then, now);
        match count {
            Some(count) => self.message(locale, key, &[("count", count.into())]),
            None => self.message(locale, key, &[]),
        }
    }
}

/// The message key and count for the time between `then` and `now`.
fn elapsed(then: OffsetDateTime, now: OffsetDateTime) -> (&'static str, Option<i64>) {
    let seconds = (now - then).whole_seconds();
    let minutes = seconds / 60;
    let hours = minutes / 60;
    let days = hours / 24;
    if minutes < 1 {
        ("time-just-now", None)
    } else if hours < 1 {
        ("time-minutes-ago", Some(minutes))
    } else if days < 1 {
        ("time-hours-ago", Some(hours))
    } else if days < 30 {
        ("time-days-ago", Some(days))
    } else if days < 365 {
        ("time-months-ago", Some(days / 30))
    } else {
        ("time-years-ago", Some(days / 365))
    }
}

fn is_traditional_chinese(id: &LanguageIdentifier) -> bool {
    id.script.is_some_and(|s| s.as_str() == "Hant")
        || id
            .region
            .is_some_and(|r| matches!(r.as_str(), "TW" | "HK" | "MO"))
}
