//! Cookies and public ids: a `Cookie` header for the anonymous forms' CSRF check and the
//! session id, and public ids as the pages receive them in URLs.
#![no_main]

use std::str::FromStr;

use http::{HeaderMap, HeaderValue, Uri, header};
use libfuzzer_sys::fuzz_target;
use user_sessions::PublicId;
use user_sessions_axum::pages::{AnonymousCsrf, CsrfPolicy};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(id) = PublicId::from_str(text) {
            assert_eq!(id.to_string(), text.to_ascii_lowercase());
        }
        let _ = tower_sessions::session::Id::from_str(text);
    }
    let Ok(cookie) = HeaderValue::from_bytes(data) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, cookie);
    let forms = AnonymousCsrf::with_key([7; 32]).secure(false);
    let issued = forms.issue(&headers).expect("a token");
    let uri = Uri::from_static("/login");
    let policy = CsrfPolicy::new();
    // The token it hands out for this cookie is accepted with it when the cookie stays.
    if issued.set_cookie.is_none() {
        forms
            .verify(&policy, &headers, &uri, Some(&issued.token))
            .expect("the token of the browser's own cookie");
    }
    assert!(
        forms
            .verify(&policy, &headers, &uri, Some("forged"))
            .is_err()
    );
});
