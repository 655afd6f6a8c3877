//! What the fuzz targets (`fuzz/`) reach of the crate's private parsers. Compiled only with
//! `--cfg fuzzing` (set by `cargo fuzz`); not part of the API.
#![allow(missing_docs)]

use std::collections::HashMap;

use serde_json::Value;

/// The plain JSON reader on `text`, read as session data.
pub fn plain_json_entries(text: &[u8]) -> Option<HashMap<String, Value>> {
    crate::plain_json::PlainJson::new(text).entries(0)
}

/// Parses the replies in `input` as the Redis lane does, until one is incomplete or malformed;
/// how many were taken.
#[cfg(feature = "redis")]
pub fn redis_replies(input: &[u8]) -> usize {
    crate::redis::parse_lane_replies(input)
}
