//! `Accept-Language` negotiation: any header gives one of the embedded locales.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use user_sessions_axum::pages::Translations;

fuzz_target!(|data: &[u8]| {
    static TRANSLATIONS: OnceLock<Translations> = OnceLock::new();
    let translations = TRANSLATIONS.get_or_init(Translations::embedded);
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    let locale = translations.negotiate(Some(header));
    assert!(translations.find(&locale.tag()).is_some());
});
