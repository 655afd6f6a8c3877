//! What `benches/codecs.rs` reaches of the crate's private codecs, to measure each hand-written
//! one against the crate that does the same. Compiled only with the `codec-bench` feature; not
//! part of the API.
#![allow(missing_docs)]

use std::collections::HashMap;

use serde_json::Value;

use crate::PublicId;

/// Session data by the plain reader (`None`: not plain, serde_json would take over).
pub fn data_plain(text: &[u8]) -> Option<HashMap<String, Value>> {
    crate::plain_json::PlainJson::new(text).entries(7)
}

/// Session data by serde_json, as the store decodes what is not plain.
pub fn data_json(text: &[u8]) -> serde_json::Result<HashMap<String, Value>> {
    crate::store::decode_entries_json(text)
}

/// The 64 hex digits of `id` by the table lookup.
pub fn hex_table(id: PublicId, out: &mut [u8; 64]) {
    out.copy_from_slice(id.to_hex().as_bytes());
}

/// A public id parsed by the hand-written `FromStr`.
pub fn parse_hand(text: &str) -> Option<PublicId> {
    text.parse().ok()
}

#[cfg(feature = "redis")]
pub use crate::redis::codec_bench as redis;
