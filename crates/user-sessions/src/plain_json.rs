//! A reader of plain JSON: the compact JSON this crate writes itself — integers of up to 18
//! digits, strings without escapes, no whitespace, no fractions.
//!
//! Every load decodes a session's data (and on Redis a header and a columns line too); for
//! such input this reader is cheaper than a general JSON parser. On anything else — a float, an
//! escape, a space, a number too long, nesting too deep, or bad input — it gives up (`None`)
//! and the caller decodes with `serde_json` instead, so it never decides what is valid: what
//! it returns is what `serde_json` would.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

/// How deep arrays and objects may nest before the reader leaves the input to `serde_json`
/// (which refuses nesting deeper than 128).
const MAX_DEPTH: u32 = 100;

/// Plain JSON, read front to back.
pub(crate) struct PlainJson<'a> {
    rest: &'a [u8],
    depth: u32,
}

impl<'a> PlainJson<'a> {
    /// A reader at the start of `text`.
    pub(crate) fn new(text: &'a [u8]) -> Self {
        PlainJson {
            rest: text,
            depth: 0,
        }
    }

    /// Consumes `literal` if the input continues with it.
    pub(crate) fn eat(&mut self, literal: &[u8]) -> bool {
        match self.rest.strip_prefix(literal) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Consumes `literal`, or fails.
    pub(crate) fn expect(&mut self, literal: &[u8]) -> Option<()> {
        self.eat(literal).then_some(())
    }

    /// Whether the whole input has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next byte, not consumed.
    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// A JSON integer of at most 18 digits, which always fits an `i64` (a fraction or an
    /// exponent after it is left unread: callers that may meet one check what follows).
    pub(crate) fn integer(&mut self) -> Option<i64> {
        let (negative, rest) = match self.rest.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, self.rest),
        };
        let mut magnitude = 0_i64;
        let mut digits = 0;
        for &b in rest {
            if !b.is_ascii_digit() {
                break;
            }
            if digits == 18 {
                return None;
            }
            magnitude = magnitude * 10 + i64::from(b - b'0');
            digits += 1;
        }
        // JSON has no leading zeros.
        if digits == 0 || (digits > 1 && rest[0] == b'0') {
            return None;
        }
        self.rest = &rest[digits..];
        Some(if negative { -magnitude } else { magnitude })
    }

    /// A string without escapes or control characters.
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        let rest = self.rest.strip_prefix(b"\"")?;
        let end = rest.iter().position(|&b| b == b'"')?;
        let text = &rest[..end];
        if !needs_no_escapes(text) {
            return None;
        }
        self.rest = &rest[end + 1..];
        std::str::from_utf8(text).ok()
    }

    /// A whole input that is one object, as a map with room for `capacity` entries or more:
    /// session data.
    pub(crate) fn entries(mut self, capacity: usize) -> Option<HashMap<String, Value>> {
        let mut entries = HashMap::with_capacity(capacity);
        self.members(|key, value| {
            entries.insert(key, value);
        })?;
        self.is_done().then_some(entries)
    }

    /// Any JSON value in the plain shape.
    fn value(&mut self) -> Option<Value> {
        Some(match self.peek()? {
            b'{' => {
                let mut map = Map::new();
                self.members(|key, value| {
                    map.insert(key, value);
                })?;
                Value::Object(map)
            }
            b'[' => Value::Array(self.elements()?),
            b'"' => Value::String(self.string()?.to_owned()),
            b't' if self.eat(b"true") => Value::Bool(true),
            b'f' if self.eat(b"false") => Value::Bool(false),
            b'n' if self.eat(b"null") => Value::Null,
            _ => Value::Number(self.number()?),
        })
    }

    /// An integer as `serde_json` makes it a number; `None` for a float (`-0` is one to it).
    fn number(&mut self) -> Option<Number> {
        let negative_zero = self.rest.starts_with(b"-0");
        let n = self.integer()?;
        if negative_zero || matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        Some(Number::from(n))
    }

    /// Opens a nesting level: `None` when it would be too deep.
    fn descend(&mut self, open: &[u8]) -> Option<()> {
        self.expect(open)?;
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// The members of an object, handed to `add` in order.
    fn members(&mut self, mut add: impl FnMut(String, Value)) -> Option<()> {
        self.descend(b"{")?;
        if !self.eat(b"}") {
            loop {
                let key = self.string()?.to_owned();
                self.expect(b":")?;
                add(key, self.value()?);
                if self.eat(b"}") {
                    break;
                }
                self.expect(b",")?;
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// How many elements the array about to be read holds if there are two or more and all are
    /// numbers, `true`, `false` or `null` (counted up to its `]`); 0 otherwise. Arrays of
    /// numbers (bytes, ids) are common in session data, and knowing their length spares a
    /// vector's regrowing.
    fn flat_array_len(&self) -> usize {
        let mut commas = 0;
        for &b in self.rest {
            match b {
                b',' => commas += 1,
                b']' if commas > 0 => return commas + 1,
                b']' | b'[' | b'{' | b'"' => return 0,
                _ => {}
            }
        }
        0
    }

    /// The elements of an array.
    fn elements(&mut self) -> Option<Vec<Value>> {
        self.descend(b"[")?;
        let mut elements = Vec::with_capacity(self.flat_array_len());
        if !self.eat(b"]") {
            loop {
                elements.push(self.value()?);
                if self.eat(b"]") {
                    break;
                }
                self.expect(b",")?;
            }
        }
        self.depth -= 1;
        Some(elements)
    }
}

/// Whether JSON holds `text` as it is between quotes: no quote, backslash or control
/// character. The plain readers and writers keep to such strings.
pub(crate) fn needs_no_escapes(text: &[u8]) -> bool {
    !text.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Option<HashMap<String, Value>> {
        PlainJson::new(text.as_bytes()).entries(0)
    }

    #[test]
    fn plain_data_reads_as_serde_json_reads_it() {
        for text in [
            r#"{}"#,
            r#"{"counter":253,"axum-login.data":{"auth_hash":[98,101,110],"user_id":192}}"#,
            r#"{"a":[],"b":{},"c":[[1],[{"d":null}]],"e":true,"f":false,"g":"","h":-17}"#,
            r#"{"max":999999999999999999,"min":-999999999999999999,"zero":0,"one":[0]}"#,
            r#"{"mixed":[1,"a,b]",[2,3],{"c":[4,5]},true,null],"one":[7],"nested":[[1,2],[]]}"#,
            r#"{"twice":1,"twice":2}"#,
            r#"{"café":"naïve ☕"}"#,
        ] {
            let json: HashMap<String, Value> = serde_json::from_str(text).unwrap();
            assert_eq!(plain(text), Some(json), "{text}");
        }
    }

    #[test]
    fn anything_else_is_left_to_serde_json() {
        for text in [
            r#"{"float":1.5}"#,
            r#"{"exponent":1e3}"#,
            r#"{"negative zero":-0}"#,
            r#"{"long":1234567890123456789}"#,
            r#"{"escaped":"a\"b"}"#,
            "{\"raw tab\":\"a\tb\"}",
            r#"{ "spaced": 1 }"#,
            r#"{"leading zero":01}"#,
            r#"{"trailing comma":1,}"#,
            r#"{"after":1}x"#,
            r#"{"unclosed":[1}"#,
            r#"{"almost":tru}"#,
            r#"{"no value"}"#,
            r#"[1]"#,
            "",
        ] {
            assert_eq!(plain(text), None, "{text}");
        }
        assert_eq!(
            PlainJson::new(b"{\"bytes\":\"\xff\"}").entries(0),
            None,
            "not UTF-8"
        );
    }

    #[test]
    fn integers_of_every_length_read_as_rust_parses_them() {
        // Every length from 1 to 20 digits, every digit in every place, and what follows the
        // digits: the end, a comma, a fraction, or a byte just outside '0'..='9'.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for length in 1..=20 {
            for round in 0..200 {
                let mut text = String::new();
                if round % 3 == 0 {
                    text.push('-');
                }
                for place in 0..length {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let digit = if place == 0 && length > 1 && round % 5 != 0 {
                        1 + seed % 9
                    } else {
                        (seed + round) % 10
                    };
                    text.push(char::from(b'0' + digit as u8));
                }
                let tail = ["", ",", ".5", "/", ":", "]"][round as usize % 6];
                let input = format!("{text}{tail}");
                let mut reader = PlainJson::new(input.as_bytes());
                let digits = text.trim_start_matches('-');
                let expected = (length <= 18 && (length == 1 || !digits.starts_with('0')))
                    .then(|| text.parse::<i64>().unwrap());
                assert_eq!(reader.integer(), expected, "{input}");
                if expected.is_some() {
                    assert_eq!(reader.rest, tail.as_bytes(), "{input}");
                }
            }
        }
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_left_to_serde_json() {
        let nested =
            |levels: usize| format!("{{\"a\":{}1{}}}", "[".repeat(levels), "]".repeat(levels));
        let limit = MAX_DEPTH as usize;
        assert!(plain(&nested(limit - 1)).is_some());
        assert_eq!(plain(&nested(limit)), None);
    }
}
