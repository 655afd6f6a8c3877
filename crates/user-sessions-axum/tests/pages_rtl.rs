//! Right-to-left pages: in Hebrew and Arabic each product name and each address sits in its
//! own isolate inside the translated sentence, so the sentence keeps its order ("Safari on
//! iPhone" neither reversed nor garbled), and every device has its icon.
#![cfg(feature = "pages")]

mod pages_support;

use pages_support::{App, FIREFOX_MAC, SAFARI_IPHONE};

/// The inner HTML of the first `<h2 class="us-device" …>` whose text mentions `needle`.
fn device_heading<'a>(html: &'a str, needle: &str) -> &'a str {
    html.match_indices("<h2 class=\"us-device\"")
        .map(|(at, _)| {
            let rest = &html[at..];
            let open_end = rest.find('>').expect("tag end") + 1;
            let close = rest.find("</h2>").expect("heading end");
            &rest[open_end..close]
        })
        .find(|inner| inner.contains(needle))
        .unwrap_or_else(|| panic!("no device heading with {needle} in {html}"))
}

async fn page_in(lang: &str) -> String {
    let app = App::new(|p| p).await;
    let mut client = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let _phone = app
        .signed_in("bob", "2001:db8:85a3::8a2e:370:7334", SAFARI_IPHONE)
        .await;
    client.accept_language = Some(lang.into());
    let answer = client.page(&app).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

#[tokio::test]
async fn hebrew_isolates_each_product_name_not_the_phrase() {
    let html = page_in("he").await;
    assert!(html.contains("<html lang=\"he\" dir=\"rtl\">"));
    assert_eq!(
        device_heading(&html, "iPhone"),
        "<bdi>Safari</bdi> ב־<bdi>iPhone</bdi>"
    );
    assert_eq!(
        device_heading(&html, "macOS"),
        "<bdi>Firefox</bdi> ב־<bdi>macOS</bdi>"
    );
    // The sentence itself is never inside an isolate (its first Latin word would set its
    // direction): no <bdi> holds Hebrew text.
    for (at, _) in html.match_indices("<bdi") {
        let inner = &html[at..];
        let inner = &inner[inner.find('>').expect("end") + 1..inner.find("</bdi>").expect("close")];
        assert!(
            !inner
                .chars()
                .any(|c| ('\u{0590}'..='\u{05FF}').contains(&c)),
            "a Hebrew phrase in one isolate: {inner}"
        );
    }
}

#[tokio::test]
async fn arabic_keeps_the_sentence_order_and_isolates_addresses() {
    let html = page_in("ar").await;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert_eq!(
        device_heading(&html, "iPhone"),
        "<bdi>Safari</bdi> على <bdi>iPhone</bdi>"
    );
    // Addresses read left to right in their own isolate; IPv6 breaks only after a colon.
    assert!(
        html.contains("<bdi dir=\"ltr\">203.0.113.10</bdi>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<bdi dir=\"ltr\">2001:<wbr>db8:<wbr>85a3:<wbr>:<wbr>8a2e:<wbr>370:<wbr>7334</bdi>"
        ),
        "{html}"
    );
}

#[tokio::test]
async fn every_session_has_a_device_icon_and_one_disclosure() {
    let html = page_in("en").await;
    assert!(html.contains("us-icon us-icon-phone"), "{html}");
    assert!(html.contains("us-icon us-icon-desktop"), "{html}");
    // Icons are inline: nothing is fetched from anywhere.
    assert!(!html.contains("<img"));
    assert_eq!(html.matches("<li class=\"us-session").count(), 2);
    assert_eq!(
        html.matches("<details").count(),
        2,
        "one disclosure per session"
    );
    assert!(html.contains("Active just now"), "{html}");
}
