//! The public id of a session: the SHA-256 hash of its secret id.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// The public id of a session: SHA-256 of the secret session id that travels in the cookie.
///
/// This is the only id ever stored, rendered, logged or put in a URL. Knowing it does not let
/// anyone use the session: the cookie carries the secret, and the hash cannot be reversed.
/// Its text form is 64 lowercase hex digits.
///
/// ```
/// use user_sessions::PublicId;
///
/// let id = PublicId::from_secret(b"the secret from the cookie");
/// let text = id.to_string();
/// assert_eq!(text.len(), 64);
/// assert_eq!(text.parse::<PublicId>().unwrap(), id);
/// assert!("not-hex".parse::<PublicId>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicId([u8; 32]);

impl PublicId {
    /// Hashes a secret session id into its public id.
    pub fn from_secret(secret: &[u8]) -> Self {
        PublicId(Sha256::digest(secret).into())
    }

    /// Wraps 32 bytes that already are a hash (as read from a database).
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        PublicId(bytes)
    }

    /// The 32 bytes of the hash.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Builds from a byte slice, which must be exactly 32 bytes long.
    ///
    /// ```
    /// use user_sessions::PublicId;
    /// assert!(PublicId::from_slice(&[0; 32]).is_some());
    /// assert!(PublicId::from_slice(&[0; 31]).is_none());
    /// ```
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(PublicId)
    }

    /// The text form (64 lowercase hex digits) without allocating: what `Display` writes.
    pub(crate) fn to_hex(self) -> HexId {
        let mut text = [0u8; 64];
        // 64 digits are exactly the room 32 bytes need: this cannot fail.
        let _ = hex::encode_to_slice(self.0, &mut text);
        HexId(text)
    }
}

/// A public id's 64 hex digits on the stack; see [`PublicId::to_hex`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct HexId([u8; 64]);

impl HexId {
    /// The digits as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written into the buffer.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The digits as bytes, for writers that take bytes (no UTF-8 check).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for HexId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HexId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.to_hex().as_str())
    }
}

impl fmt::Debug for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicId({self})")
    }
}

/// The text was not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a public session id is 64 hexadecimal digits")]
pub struct InvalidPublicId;

impl FromStr for PublicId {
    type Err = InvalidPublicId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| InvalidPublicId)?;
        Ok(PublicId(bytes))
    }
}

impl serde::Serialize for PublicId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PublicId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // SHA-256("abc") from FIPS 180-2.
        assert_eq!(
            PublicId::from_secret(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn every_byte_is_spelled_as_format_spells_it() {
        for first in (0..=255u8).step_by(32) {
            let bytes: [u8; 32] = std::array::from_fn(|i| first.wrapping_add(i as u8));
            let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let hex = PublicId::from_bytes(bytes).to_hex();
            assert_eq!(hex.as_str(), expected);
            assert_eq!(hex.as_bytes(), expected.as_bytes());
        }
    }

    #[test]
    fn parses_upper_case_and_rejects_garbage() {
        let id = PublicId::from_secret(b"x");
        assert_eq!(id.to_string().to_uppercase().parse::<PublicId>(), Ok(id));
        assert!("zz".repeat(32).parse::<PublicId>().is_err());
        assert!("é".repeat(32).parse::<PublicId>().is_err());
        assert!("".parse::<PublicId>().is_err());
        assert!("ab".repeat(31).parse::<PublicId>().is_err());
        assert!(format!("{id}0").parse::<PublicId>().is_err());
    }

    #[test]
    fn serde_round_trip() {
        let id = PublicId::from_secret(b"y");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<PublicId>(&json).unwrap(), id);
    }
}
