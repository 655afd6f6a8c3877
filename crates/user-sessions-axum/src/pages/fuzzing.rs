//! What the fuzz targets (`fuzz/`) reach of the pages' private parsers. Compiled only with
//! `--cfg fuzzing` (set by `cargo fuzz`); not part of the API.
#![allow(missing_docs)]

/// Parses a form or JSON body as the account pages' actions do.
pub fn account_body(content_type: &str, body: &[u8]) -> bool {
    super::account::parse_body(content_type, body)
}

/// Parses a form or JSON body as the admin's actions do.
#[cfg(feature = "admin")]
pub fn admin_body(content_type: &str, body: &[u8]) -> bool {
    crate::admin::parse_body(content_type, body)
}
