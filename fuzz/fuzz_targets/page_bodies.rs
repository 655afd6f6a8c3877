//! Form and JSON bodies of the account pages' and the admin's actions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use user_sessions_axum::pages::fuzzing::{account_body, admin_body};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let content_type = match selector % 4 {
        0 => "application/x-www-form-urlencoded",
        1 => "application/json",
        2 => "Application/JSON; charset=utf-8",
        _ => "text/plain",
    };
    account_body(content_type, body);
    admin_body(content_type, body);
});
