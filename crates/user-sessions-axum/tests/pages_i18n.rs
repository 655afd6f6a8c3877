//! Translations: every key in every locale, plural forms, and the language of a page
//! (Accept-Language, a forced locale, a per-request choice; right-to-left scripts).
#![cfg(feature = "pages")]

mod pages_support;

use std::collections::BTreeSet;
use std::path::Path;

use axum::http::StatusCode;
use pages_support::{App, FIREFOX_MAC, SAFARI_IPHONE};
use time::{Duration, OffsetDateTime};
use user_sessions_axum::pages::{LOCALES, Locale, Translations};

#[test]
fn every_locale_has_every_key_and_nothing_else() {
    let translations = Translations::embedded();
    let english: Locale = "en".parse().expect("en");
    let keys = translations.keys(&english);
    assert!(keys.len() >= 40, "{keys:?}");
    for tag in LOCALES {
        let locale = translations.find(tag).expect(tag);
        assert_eq!(locale.tag(), tag);
        let theirs = translations.keys(&locale);
        let missing: BTreeSet<_> = keys.difference(&theirs).collect();
        let extra: BTreeSet<_> = theirs.difference(&keys).collect();
        assert!(missing.is_empty(), "{tag} lacks {missing:?}");
        assert!(extra.is_empty(), "{tag} has unknown {extra:?}");
    }
}

#[test]
fn the_locale_directories_are_exactly_the_embedded_locales() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("locales directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let embedded: BTreeSet<String> = LOCALES.iter().map(|t| t.to_string()).collect();
    assert_eq!(on_disk, embedded);
}

#[test]
fn every_message_formats_in_every_locale_for_every_count() {
    let translations = Translations::embedded();
    let english: Locale = "en".parse().expect("en");
    for tag in LOCALES {
        let locale = translations.find(tag).expect(tag);
        for key in translations.keys(&english) {
            for count in [0i64, 1, 2, 3, 5, 11, 12, 21, 22, 25, 100, 101, 111] {
                let text = translations.message(
                    &locale,
                    &key,
                    &[
                        ("count", count.into()),
                        ("browser", "Safari".into()),
                        ("platform", "iPhone".into()),
                        ("device", "Safari on iPhone".into()),
                        ("ago", "3 minutes ago".into()),
                        ("example", "203.0.113.".into()),
                        ("user", "bob".into()),
                        ("first", "Chrome on Android".into()),
                        ("second", "mobile: yes".into()),
                    ],
                );
                assert!(!text.trim().is_empty(), "{tag} {key}");
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{tag} {key} ({count}): {text}"
                );
                assert_ne!(text, key, "{tag} {key} is missing");
            }
        }
    }
}

#[test]
fn relative_times_use_each_languages_plural_rules() {
    let t = Translations::embedded();
    let now = OffsetDateTime::now_utc();
    let ago = |tag: &str, d: Duration| t.time_ago(&t.find(tag).expect(tag), now - d, now);

    assert_eq!(ago("en", Duration::seconds(59)), "just now");
    assert_eq!(ago("en", Duration::minutes(1)), "one minute ago");
    assert_eq!(ago("en", Duration::minutes(3)), "3 minutes ago");
    assert_eq!(ago("en", Duration::hours(5)), "5 hours ago");
    assert_eq!(ago("en", Duration::days(1)), "yesterday");
    assert_eq!(ago("en", Duration::days(45)), "one month ago");
    assert_eq!(ago("en", Duration::days(800)), "2 years ago");

    assert_eq!(ago("ru", Duration::minutes(1)), "минуту назад");
    assert_eq!(ago("ru", Duration::minutes(21)), "21 минуту назад");
    assert_eq!(ago("ru", Duration::minutes(3)), "3 минуты назад");
    assert_eq!(ago("ru", Duration::minutes(11)), "11 минут назад");
    assert_eq!(ago("pl", Duration::minutes(22)), "22 minuty temu");
    assert_eq!(ago("pl", Duration::minutes(12)), "12 minut temu");
    assert_eq!(ago("ar", Duration::hours(2)), "منذ ساعتين");
    assert_eq!(ago("ar", Duration::hours(3)), "منذ 3 ساعات");
    assert_eq!(ago("ar", Duration::hours(11)), "منذ 11 ساعة");
    assert_eq!(ago("he", Duration::days(2)), "לפני יומיים");
    assert_eq!(ago("fr", Duration::minutes(1)), "il y a une minute");
    assert_eq!(ago("de", Duration::days(3)), "vor 3 Tagen");
    assert_eq!(ago("ja", Duration::minutes(3)), "3 分前");
    assert_eq!(ago("zh-CN", Duration::days(1)), "昨天");
}

#[test]
fn accept_language_negotiation() {
    let t = Translations::embedded();
    let pick = |header: &str| t.negotiate(Some(header)).tag();
    assert_eq!(pick("de-DE,de;q=0.9,en;q=0.8"), "de");
    assert_eq!(pick("nl-BE"), "nl");
    assert_eq!(pick("pt-PT, pt;q=0.9"), "pt-BR");
    assert_eq!(pick("zh-Hans-CN"), "zh-CN");
    assert_eq!(pick("zh-TW"), "en");
    assert_eq!(pick("sv, fr;q=0.5, ja;q=0.7"), "ja");
    assert_eq!(pick("fr;q=0, it"), "it");
    assert_eq!(pick("*"), "en");
    assert_eq!(pick("garbage;;;, ,"), "en");
    assert_eq!(t.negotiate(None).tag(), "en");
}

#[tokio::test]
async fn pages_speak_the_browsers_language() {
    let app = App::new(|p| p).await;
    let mut client = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app.signed_in("bob", "203.0.113.20", SAFARI_IPHONE).await;

    client.accept_language = Some("de-AT,de;q=0.9,en;q=0.5".into());
    let html = client.page(&app).await.body;
    assert!(html.contains("<html lang=\"de\" dir=\"ltr\">"));
    assert!(html.contains("Aktive Sitzungen"));
    assert!(html.contains("<bdi>Firefox</bdi> auf <bdi>macOS</bdi>"));
    assert!(html.contains("<bdi>Safari</bdi> auf <bdi>iPhone</bdi>"));
    assert!(html.contains("gerade eben"));
    assert!(html.contains("Alle anderen Sitzungen beenden"));

    client.accept_language = Some("ar-EG".into());
    let html = client.page(&app).await.body;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("الجلسات النشطة"));
    assert!(html.contains("جلستان نشطتان"), "the dual form for 2");

    client.accept_language = Some("he".into());
    let html = client.page(&app).await.body;
    assert!(html.contains("<html lang=\"he\" dir=\"rtl\">"));
    assert!(html.contains("חיבורים פעילים"));

    client.accept_language = Some("ja".into());
    let html = client.page(&app).await.body;
    assert!(html.contains("<html lang=\"ja\" dir=\"ltr\">"));
    assert!(html.contains("<bdi>macOS</bdi> の <bdi>Firefox</bdi>"));

    // Error pages too.
    client.accept_language = Some("fr".into());
    let answer = client
        .post_form(&app, "/account/sessions/other/delete/", &[])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("Requête refusée"));
}

#[tokio::test]
async fn an_application_can_force_the_locale_or_choose_per_request() {
    let app = App::new(|p| p.force_locale("nl")).await;
    let mut client = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    client.accept_language = Some("de".into());
    let html = client.page(&app).await.body;
    assert!(html.contains("<html lang=\"nl\" dir=\"ltr\">"));
    assert!(html.contains("Actieve sessies"));

    // A Locale in the request's extensions (set by the application's middleware) wins.
    let request = client
        .request("GET", "/account/sessions/")
        .extension("pl".parse::<Locale>().expect("pl"));
    let html = client.send(&app, request).await.body;
    assert!(html.contains("<html lang=\"pl\" dir=\"ltr\">"));
    assert!(html.contains("Aktywne sesje"));
}

#[tokio::test]
async fn an_application_can_reword_messages() {
    let mut translations = Translations::embedded();
    translations
        .add_resource("en", "sessions-title = Where you are signed in")
        .expect("valid Fluent");
    assert!(translations.add_resource("en", "broken = {").is_err());
    let app = App::new(move |p| p.translations(translations)).await;
    let mut client = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let html = client.page(&app).await.body;
    assert!(html.contains("<h1>Where you are signed in</h1>"));
}
