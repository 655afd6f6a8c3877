//! What the fuzz targets (`fuzz/`) reach of the crate's private parsers. Compiled only with
//! `--cfg fuzzing` (set by `cargo fuzz`); not part of the API.
#![allow(missing_docs)]

use std::collections::HashMap;

use serde_json::Value;

/// The plain JSON reader on `text`, read as session data.
pub fn plain_json_entries(text: &[u8]) -> Option<HashMap<String, Value>> {
    crate::plain_json::PlainJson::new(text).entries(0)
}
