//! How one session is stored under its key: a single string, read with one `GET`.
//!
//! ```text
//! [expires,activity,expiry score,deletion,user index until,"user"]   ← header (JSON array)
//! {"ip":…,"agent":…,"hints":…,"created":…,"authenticated":…}        ← columns (JSON object)
//! …the encoded session data, as given…
//! ```
//!
//! The three parts are separated by the first two newlines (compact JSON never contains a raw
//! newline). The header holds what the scripts need — expiry, last activity, user — and what the
//! indexes and TTLs hold for the session (see [`Header`]); the scripts decode only that line.
//! Times are Unix milliseconds, written as integers.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::record::{from_millis, to_millis};
use crate::{ClientHints, Error, PublicId, Result, SessionInfo};

/// How much a save may push a session's expiry past its expiry-index score before the index
/// entry is moved (the scripts use the same figure).
pub(super) const EXPIRY_SLACK_MS: i64 = 60_000;

/// The first line of a session's value.
///
/// Besides the session's expiry, last activity and user it records the session's place in the
/// indexes, as the last script that wrote it left them: its score in the expiry index (which may
/// lag `expires` by up to [`EXPIRY_SLACK_MS`]), when Redis deletes the key, and until when the
/// user's index is kept. A save that keeps all of these is a plain `SET` (see
/// [`carried_to`](Self::carried_to)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Header(
    /// Expiry.
    pub i64,
    /// Last activity: the score in the activity index and the user's index.
    pub i64,
    /// Score in the expiry index.
    pub i64,
    /// When Redis deletes the key (`PXAT`).
    pub i64,
    /// Until when the user's index is kept (0 when anonymous).
    pub i64,
    /// The user.
    pub Option<String>,
);

impl Header {
    pub(super) fn deletion(&self) -> i64 {
        self.3
    }

    /// The header of `info` saved over a session whose value had this header, when the save
    /// moves nothing in the indexes and no TTL must grow: the same user and last activity, an
    /// expiry at most [`EXPIRY_SLACK_MS`] past its index score, a deletion time (expiry +
    /// `retention_ms`) the key's and the user index's TTLs already cover. `None` otherwise:
    /// the save must go through the script.
    pub(super) fn carried_to(
        &self,
        info: &SessionInfo,
        retention_ms: i64,
        now_ms: i64,
    ) -> Option<Header> {
        let expires = to_millis(info.expires_at);
        let delete_at = expires.saturating_add(retention_ms);
        let same_place = info.user_id == self.5
            && to_millis(info.last_activity) == self.1
            && (self.2..=self.2.saturating_add(EXPIRY_SLACK_MS)).contains(&expires);
        let covered = delete_at > now_ms
            && delete_at <= self.3
            && (info.user_id.is_none() || delete_at <= self.4);
        (same_place && covered)
            .then(|| Header(expires, self.1, self.2, self.3, self.4, self.5.clone()))
    }
}

/// The columns other than id, expiry, last activity and user (those are in the header).
#[derive(Debug, Serialize, Deserialize)]
struct Columns<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ip: Option<IpAddr>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    agent: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hints: Option<ClientHints>,
    created: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authenticated: Option<i64>,
}

/// The client columns a touch writes (see [`touch_columns_opening`]).
#[derive(Serialize)]
struct ClientColumns<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<IpAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hints: Option<&'a ClientHints>,
}

/// The opening of the columns line a touch writes: `{` and the client's columns, each followed
/// by a comma; the touch script adds the creation and sign-in times it keeps, in the order
/// [`Columns`] has them.
pub(super) fn touch_columns_opening(touch: &crate::Touch) -> Result<Vec<u8>> {
    let client = ClientColumns {
        ip: touch.ip,
        agent: touch.user_agent.as_deref(),
        hints: touch.client_hints.as_ref().filter(|h| !h.is_empty()),
    };
    let mut out = serde_json::to_vec(&client).map_err(encode_error)?;
    out.pop(); // the closing brace
    if out.len() > 1 {
        out.push(b',');
    }
    Ok(out)
}

fn encode_error(error: serde_json::Error) -> Error {
    Error::Encode(error)
}

fn undecodable(id: &PublicId, error: impl std::fmt::Display) -> Error {
    Error::Backend(format!("undecodable session {id} in Redis: {error}").into())
}

/// The columns line of `info`.
pub(super) fn encode_columns(info: &SessionInfo) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    write_columns(&mut out, info)?;
    Ok(out)
}

/// Writes the columns line of `info`.
fn write_columns(out: &mut Vec<u8>, info: &SessionInfo) -> Result<()> {
    let columns = Columns {
        ip: info.ip,
        agent: info.user_agent.as_deref().map(std::borrow::Cow::Borrowed),
        hints: info.client_hints.clone().filter(|h| !h.is_empty()),
        created: to_millis(info.created_at),
        authenticated: info.authenticated_at.map(to_millis),
    };
    serde_json::to_writer(out, &columns).map_err(encode_error)
}

/// The user as the scripts put it into a header: a JSON string, or `null`.
pub(super) fn user_json(user: Option<&str>) -> Result<Vec<u8>> {
    serde_json::to_vec(&user).map_err(encode_error)
}

/// A whole value: header, columns, data.
pub(super) fn encode(header: &Header, info: &SessionInfo, data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(192 + data.len());
    serde_json::to_writer(&mut out, header).map_err(encode_error)?;
    out.push(b'\n');
    write_columns(&mut out, info)?;
    out.push(b'\n');
    out.extend_from_slice(data);
    Ok(out)
}

/// Splits a value (or the header and columns lines the listing scripts return) at its first
/// two newlines.
fn split(value: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let (header, rest) = first_line(value);
    let (columns, data) = first_line(rest);
    (header, columns, data)
}

/// The text before the first newline and the text after it (all of it and nothing when there
/// is none). `memchr` looks at several bytes at a time: every load splits a value.
fn first_line(text: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b'\n', text) {
        Some(end) => (&text[..end], &text[end + 1..]),
        None => (text, &[]),
    }
}

/// Decodes a session's header and columns (a whole value, or the first two lines of one).
pub(super) fn decode_info(id: PublicId, value: &[u8]) -> Result<(Header, SessionInfo, &[u8])> {
    let (header, columns, data) = split(value);
    let header: Header = serde_json::from_slice(header).map_err(|e| undecodable(&id, e))?;
    let columns: Columns = serde_json::from_slice(columns).map_err(|e| undecodable(&id, e))?;
    let info = SessionInfo {
        id,
        user_id: header.5.clone(),
        ip: columns.ip,
        user_agent: columns.agent.map(std::borrow::Cow::into_owned),
        client_hints: columns.hints,
        created_at: from_millis(columns.created),
        last_activity: from_millis(header.1),
        expires_at: from_millis(header.0),
        authenticated_at: columns.authenticated.map(from_millis),
    };
    Ok((header, info, data))
}

#[cfg(test)]
mod tests {
    use time::{Duration, OffsetDateTime};

    use super::*;

    fn info(user: Option<&str>) -> SessionInfo {
        let now = crate::record::now();
        let mut info = SessionInfo::new(PublicId::from_secret(b"v"), now + Duration::hours(1));
        info.user_id = user.map(str::to_owned);
        info.ip = Some("192.0.2.7".parse().unwrap());
        info.user_agent = Some("Agent \"quoted\"\nwith a newline".into());
        info.created_at = now;
        info.last_activity = now;
        info
    }

    #[test]
    fn a_value_round_trips_and_splits_at_its_first_two_newlines() {
        let info = info(Some("line\nbreak \"user\""));
        let expires = to_millis(info.expires_at);
        let header = Header(
            expires,
            5,
            expires,
            expires + 9,
            expires + 9,
            info.user_id.clone(),
        );
        let data = b"{\"a\":\"x\\ny\"}\n\nraw newlines too";
        let value = encode(&header, &info, data).unwrap();
        assert_eq!(value.iter().filter(|&&b| b == b'\n').count(), 4);
        let (back_header, back_info, back_data) = decode_info(info.id, &value).unwrap();
        assert_eq!(back_header, header);
        assert_eq!(back_data, data);
        assert_eq!(back_info.user_agent, info.user_agent);
        assert_eq!(back_info.user_id, info.user_id);
        assert_eq!(back_info.expires_at, info.expires_at);
        assert_eq!(back_info.ip, info.ip);
        assert!(decode_info(info.id, b"not a header\n{}\n").is_err());
    }

    #[test]
    fn columns_round_trip_whatever_their_shape() {
        let mut base = info(None);
        base.user_agent = Some("Firefox".into());
        let variant = |change: &dyn Fn(&mut SessionInfo)| {
            let mut info = base.clone();
            change(&mut info);
            info
        };
        let infos = [
            variant(&|_| {}),
            variant(&|i| {
                i.user_agent = Some("Mozilla/5.0 (X11; Linux x86_64) Firefox/145.0".into())
            }),
            variant(&|i| i.user_agent = Some("Café 🍵 \u{7f} / ok".into())),
            variant(&|i| i.user_agent = Some("back\\slash".into())),
            variant(&|i| i.user_agent = Some("tab\there".into())),
            variant(&|i| i.user_agent = Some(String::new())),
            variant(&|i| i.user_agent = None),
            variant(&|i| i.ip = None),
            variant(&|i| i.ip = Some("0.0.0.0".parse().unwrap())),
            variant(&|i| i.ip = Some("255.10.0.199".parse().unwrap())),
            variant(&|i| i.ip = Some("2001:db8::1".parse().unwrap())),
            variant(&|i| i.ip = Some("::ffff:192.0.2.1".parse().unwrap())),
            variant(&|i| i.authenticated_at = Some(i.created_at)),
            variant(&|i| i.created_at = OffsetDateTime::UNIX_EPOCH - Duration::milliseconds(5)),
            variant(&|i| {
                i.client_hints = Some(ClientHints {
                    mobile: Some(true),
                    ..ClientHints::default()
                })
            }),
            variant(&|i| i.client_hints = Some(ClientHints::default())),
        ];
        for info in &infos {
            let line = encode_columns(info).unwrap();
            assert!(!line.contains(&b'\n'), "{info:?}");
            let columns: Columns = serde_json::from_slice(&line).unwrap();
            assert_eq!(columns.ip, info.ip);
            assert_eq!(columns.agent.as_deref(), info.user_agent.as_deref());
            assert_eq!(
                columns.hints,
                info.client_hints.clone().filter(|h| !h.is_empty())
            );
            assert_eq!(columns.created, to_millis(info.created_at));
            assert_eq!(columns.authenticated, info.authenticated_at.map(to_millis));
        }
    }

    #[test]
    fn headers_are_the_json_arrays_the_scripts_read() {
        let info = info(Some("ann"));
        let header = Header(1, 2, 3, 4, 5, Some("ann".into()));
        let value = encode(&header, &info, b"{}").unwrap();
        assert!(value.starts_with(b"[1,2,3,4,5,\"ann\"]\n"));
        let anonymous = Header(1764331200000, -2, 3, 4, 0, None);
        let value = encode(&anonymous, &info, b"{}").unwrap();
        assert!(value.starts_with(b"[1764331200000,-2,3,4,0,null]\n"));
        for line in [
            r#"[1,2,3,4,5,null]"#,
            r#"[1,2,3,4,5,"with \"quotes\" and \/ escapes"]"#,
            r#"[1, 2, 3, 4, 5, "spaced"]"#,
            r#"[999999999999999999,-999999999999999999,1234567890123456789,0,0,null]"#,
        ] {
            assert!(serde_json::from_str::<Header>(line).is_ok(), "{line}");
        }
        for garbage in [
            &b"[1,2,3,4,null]"[..],
            b"[1,2,3,4,5,6,null]",
            b"[1,2,3,4,5,\"open]",
            b"[x,2,3,4,5,null]",
            b"[1.5,2,3,4,5,null]",
            b"[01,2,3,4,5,null]",
            b"1,2,3,4,5,null",
            b"",
        ] {
            assert!(
                decode_info(info.id, &[garbage, b"\n{\"created\":1}\n"].concat()).is_err(),
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn columns_lines_decode_whatever_their_order_and_spacing() {
        let header = b"[1,2,3,4,5,null]\n";
        let decoded = |line: &str| {
            decode_info(
                PublicId::from_secret(b"c"),
                &[&header[..], line.as_bytes()].concat(),
            )
            .ok()
            .map(|(_, info, _)| (info.ip, info.user_agent, info.client_hints.is_some()))
        };
        for line in [
            r#"{"created":1}"#,
            r#"{"ip":"192.0.2.7","agent":"Mozilla/5.0 (X11)","created":-5,"authenticated":7}"#,
            r#"{"ip":"2001:db8::1","created":1764331200000}"#,
            r#"{"agent":"with \"quotes\"","created":1}"#,
            r#"{"ip":"192.0.2.7","hints":{"mobile":true},"created":1}"#,
            r#"{"created":1,"ip":"192.0.2.7"}"#,
            r#"{ "created": 1 }"#,
        ] {
            assert!(decoded(line).is_some(), "{line}");
        }
        assert_eq!(
            decoded(r#"{"agent":"with \"quotes\"","created":1}"#),
            Some((None, Some("with \"quotes\"".into()), false))
        );
        for garbage in [
            r#"{}"#,
            r#"{"ip":"not an ip","created":1}"#,
            r#"{"created":01}"#,
            r#"{"created":1,}"#,
            r#"{"created":1}x"#,
            r#"{"ip":"192.0.2.7","created":"#,
            "",
        ] {
            assert!(decoded(garbage).is_none(), "{garbage}");
        }
    }

    #[test]
    fn a_save_that_moves_nothing_indexed_is_carried_over() {
        let info = info(Some("7"));
        let expires = to_millis(info.expires_at);
        let activity = to_millis(info.last_activity);
        let now = activity;
        let retention = 3_600_000;
        let deletion = expires + retention + 3_600_000;
        let stored = Header(
            expires,
            activity,
            expires,
            deletion,
            deletion,
            Some("7".into()),
        );

        let mut later = info.clone();
        later.expires_at += Duration::seconds(30);
        let carried = stored.carried_to(&later, retention, now).unwrap();
        assert_eq!(carried.0, expires + 30_000);
        assert_eq!(
            (carried.1, carried.2, carried.3, carried.4, &carried.5),
            (stored.1, stored.2, stored.3, stored.4, &stored.5)
        );

        // Anything that moves an index entry or needs a longer TTL goes through the script.
        let mut other_user = later.clone();
        other_user.user_id = Some("8".into());
        let mut signed_out = later.clone();
        signed_out.user_id = None;
        let mut active = later.clone();
        active.last_activity += Duration::minutes(1);
        let mut much_later = info.clone();
        much_later.expires_at += Duration::seconds(61);
        let mut earlier = info.clone();
        earlier.expires_at -= Duration::seconds(1);
        for changed in [other_user, signed_out, active, much_later, earlier] {
            assert_eq!(stored.carried_to(&changed, retention, now), None);
        }
        let short_ttl = Header(
            expires,
            activity,
            expires,
            expires + retention,
            deletion,
            Some("7".into()),
        );
        assert_eq!(short_ttl.carried_to(&later, retention, now), None);
        let short_index = Header(
            expires,
            activity,
            expires,
            deletion,
            expires,
            Some("7".into()),
        );
        assert_eq!(short_index.carried_to(&later, retention, now), None);
        // Past its retention already: the script deletes it.
        assert_eq!(stored.carried_to(&later, retention, deletion), None);
    }
}
