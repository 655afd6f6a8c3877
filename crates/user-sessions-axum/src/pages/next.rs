//! Where to send a user after signing in: the `next` a login URL carries, checked so that it
//! can only lead back into the site.

/// The longest `next` accepted.
const MAX_NEXT: usize = 2048;

/// `next` when it is a path of this site to redirect to after signing in; `None` when it
/// could lead anywhere else — then redirect to a fixed page (the home page) instead.
///
/// Accepted: an absolute path (`/…`, with a query and fragment if any) of printable
/// characters. Refused: anything with a scheme or host (`https://…`, `//host`), backslashes
/// (browsers read `/\host` as `//host`), whitespace and control characters (browsers drop a
/// tab or newline inside a URL, so `/\t/host` becomes `//host`; a carriage return cannot go
/// into a `Location` header at all), and anything longer than 2 048 bytes.
///
/// The account pages and the admin pass only such paths as `?next=`; an application's
/// sign-in handler should check the `next` it receives with this function before following
/// it.
///
/// ```
/// use user_sessions_axum::pages::safe_next;
///
/// assert_eq!(safe_next("/account/sessions/?page=2"), Some("/account/sessions/?page=2"));
/// assert_eq!(safe_next("https://evil.example/"), None);
/// assert_eq!(safe_next("//evil.example/"), None);
/// assert_eq!(safe_next("/\\evil.example"), None);
/// assert_eq!(safe_next("/\t/evil.example"), None);
/// assert_eq!(safe_next("/a\r\nSet-Cookie: x=1"), None);
/// // After sign-in, fall back to a fixed page:
/// let target = safe_next("//evil.example").unwrap_or("/");
/// assert_eq!(target, "/");
/// ```
pub fn safe_next(next: &str) -> Option<&str> {
    let rest = next.strip_prefix('/')?;
    let acceptable = next.len() <= MAX_NEXT
        && !rest.starts_with('/')
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    acceptable.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_site_are_accepted() {
        for path in [
            "/",
            "/account/sessions/",
            "/a?b=c&d=%2F%2Fe#f",
            "/caf%C3%A9",
            "/café",
            "/a//b",
        ] {
            assert_eq!(safe_next(path), Some(path), "{path:?}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_is_refused() {
        for next in [
            "",
            "account",
            "https://evil.example/",
            "javascript:alert(1)",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "/\\\\evil.example",
            "\\/evil.example",
            "/a\\b",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r",
            "/a\rb",
            "/a\x0bb",
            "/a\x0cb",
            "/a\0b",
            "/a\x7fb",
            "/a\u{85}b",
            "/a\u{a0}b",
            "/a\u{2028}b",
            "/a b",
            " /a",
        ] {
            assert_eq!(safe_next(next), None, "{next:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_NEXT));
        assert_eq!(safe_next(&long), None);
    }
}
