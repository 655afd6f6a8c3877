//! What the fuzz targets (`fuzz/`) reach of the crate's private parsers. Compiled only with
//! `--cfg fuzzing` (set by `cargo fuzz`); not part of the API.
#![allow(missing_docs)]

/// Parses the replies in `input` as the Redis lane does, until one is incomplete or malformed;
/// how many were taken.
#[cfg(feature = "redis")]
pub fn redis_replies(input: &[u8]) -> usize {
    crate::redis::parse_lane_replies(input)
}
