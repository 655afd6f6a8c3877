//! Replies of a Redis server, as the lane reads them: any bytes end in replies, a wait for
//! more, or a broken connection — never a panic or an allocation the input asks for.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let taken = user_sessions::fuzzing::redis_replies(data);
    // Every reply takes at least three bytes (`+\r\n`).
    assert!(taken <= data.len() / 3);
});
