//! The plain JSON reader against serde_json: whatever the reader accepts, serde_json reads as
//! the same map.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if let Some(plain) = user_sessions::fuzzing::plain_json_entries(data) {
        let general: HashMap<String, Value> = match serde_json::from_slice(data) {
            Ok(map) => map,
            Err(error) => panic!("the plain reader accepted what serde_json refuses: {error}"),
        };
        assert_eq!(plain, general);
    }
});
