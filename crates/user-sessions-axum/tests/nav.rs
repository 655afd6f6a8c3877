//! The header of the library's pages says who is signed in — the user directory's name, else
//! the user id — in the page's language, the name isolated (`<bdi>`); and the admin has the
//! pages' site name and home link.
#![cfg(feature = "admin")]

mod admin_support;

use admin_support::{ADMIN, App};
use axum::Router;
use axum::http::StatusCode;
use user_sessions_axum::admin::Admin;
use user_sessions_axum::pages::{LOCALES, Pages, Translations};

/// The "Signed in as …" of a page: the text of its `us-nav-user` element.
fn signed_in_as(html: &str) -> Option<&str> {
    let start = html.find("<span class=\"us-nav-user\">")? + "<span class=\"us-nav-user\">".len();
    let end = start + html[start..].find("</span>")?;
    Some(&html[start..end])
}

#[tokio::test]
async fn the_pages_and_the_admin_name_the_signed_in_user() {
    let app = App::new().await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    for uri in ["/account/sessions/", ADMIN] {
        let page = alice.page(&app, uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(
            signed_in_as(&page.body),
            Some("Signed in as <bdi>Alice Liddell (alice)</bdi>"),
            "{uri}"
        );
    }
    // In Hebrew, the label is translated and the Latin name keeps to itself.
    alice.accept_language = Some("he".into());
    let page = alice.page(&app, ADMIN).await;
    assert_eq!(
        signed_in_as(&page.body),
        Some("מחובר בתור <bdi>Alice Liddell (alice)</bdi>")
    );
    // A name is text, never markup.
    assert!(!page.body.contains("<bdi><"), "{}", page.body);
    // JSON has no header.
    let list = alice.get_json(&app, "/account/sessions/").await;
    assert!(!list.body.contains("us-nav-user"));
    // Nobody is named on a page for someone signed out.
    let mut stranger = admin_support::Client::new("198.51.100.9", admin_support::FIREFOX);
    let page = stranger.page(&app, "/account/sessions/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn without_a_directory_the_header_shows_the_user_id() {
    let pages = Pages::builder().build().expect("pages");
    let app = App::serving(Router::new().merge(pages.router())).await;
    let mut bob = app.signed_in("bob-7", "198.51.100.2").await;
    let page = bob.page(&app, "/account/sessions/").await;
    assert_eq!(
        signed_in_as(&page.body),
        Some("Signed in as <bdi>bob-7</bdi>")
    );
}

#[test]
fn every_locale_says_who_is_signed_in() {
    let translations = Translations::embedded();
    for tag in LOCALES {
        let locale = translations.find(tag).expect("locale");
        let text = translations.message(&locale, "nav-signed-in-as", &[("user", "X".into())]);
        assert!(text.contains('X'), "{tag}: {text}");
        assert_ne!(text, "nav-signed-in-as", "{tag}");
    }
}

#[tokio::test]
async fn the_admin_has_the_pages_site_name_and_home_link() {
    let pages = Pages::builder()
        .site_name("Example")
        .home_url("/start/")
        .build()
        .expect("pages");
    let admin = Admin::builder(
        pages.clone(),
        admin_support::People,
        |user: String| async move { Ok::<_, std::convert::Infallible>(user == "1") },
    )
    .build()
    .expect("admin");
    let app = App::serving(Router::new().merge(pages.router()).merge(admin.router())).await;
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    for uri in ["/account/sessions/", ADMIN] {
        let page = alice.page(&app, uri).await;
        assert!(
            page.body
                .contains("<a class=\"us-brand\" href=\"/start/\">Example</a>"),
            "{uri}"
        );
        assert!(page.body.contains(" · Example</title>"), "{uri}");
    }
}
