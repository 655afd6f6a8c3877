//! CSRF protection for forms shown to visitors who are not signed in (a sign-in form), with
//! nothing stored: a signed double-submit cookie.
//!
//! The session's token ([`csrf_token`](super::csrf_token)) needs a session row; storing one
//! for every anonymous page view would let anyone grow the table by one write per request.
//! Instead the browser gets a random nonce in a cookie, and the form carries the nonce's
//! HMAC under a server key. A forged request from another site has neither (it cannot read
//! the cookie), and a cookie planted by a sibling subdomain comes without the matching HMAC.

use std::sync::Arc;

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue, Uri, header};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use tower_sessions::cookie::{Cookie, SameSite};

use super::csrf::{CSRF_HEADER, CsrfError, CsrfPolicy};

/// The cookie's name over https: the `__Host-` prefix makes browsers refuse it unless it is
/// `Secure`, for this host only, on path `/` — a sibling subdomain cannot set it.
pub const ANONYMOUS_CSRF_COOKIE_SECURE: &str = "__Host-user-sessions-csrf";
/// The cookie's name when it is not `Secure` (plain http: the prefix is not allowed there).
pub const ANONYMOUS_CSRF_COOKIE: &str = "user-sessions-csrf";

/// Bytes of the nonce in the cookie.
const NONCE: usize = 32;
/// What the HMAC covers besides the nonce, so that the key signs nothing else by accident.
const PURPOSE: &[u8] = b"user-sessions anonymous form\0";

/// Hands out and checks the tokens of anonymous forms; cheap to clone. See the module
/// documentation of [`pages`](super) for where it fits.
///
/// ```
/// use http::{HeaderMap, header};
/// use user_sessions_axum::pages::{AnonymousCsrf, CsrfPolicy};
///
/// let forms = AnonymousCsrf::new()?;
/// // GET of the sign-in form: a token for the form, and a cookie to set.
/// let issued = forms.issue(&HeaderMap::new())?;
/// let set_cookie = issued.set_cookie.expect("a new cookie");
/// assert!(set_cookie.to_str()?.contains("HttpOnly"));
///
/// // POST of the form: the browser sends the cookie back, the form the token.
/// let mut headers = HeaderMap::new();
/// let pair = set_cookie.to_str()?.split(';').next().unwrap().to_owned();
/// headers.insert(header::COOKIE, pair.parse()?);
/// let uri = "/login".parse()?;
/// assert!(forms.verify(&CsrfPolicy::new(), &headers, &uri, Some(&issued.token)).is_ok());
/// assert!(forms.verify(&CsrfPolicy::new(), &headers, &uri, Some("forged")).is_err());
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AnonymousCsrf {
    key: Arc<[u8; 32]>,
    secure: bool,
}

impl std::fmt::Debug for AnonymousCsrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnonymousCsrf")
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

/// A form's token, and the cookie to set with the page when the browser had none (or one
/// that was not valid).
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The value of the form's [`CSRF_FIELD`](super::CSRF_FIELD).
    pub token: String,
    /// A `Set-Cookie` header value for the response, `None` when the browser's cookie stays.
    pub set_cookie: Option<HeaderValue>,
}

impl AnonymousCsrf {
    /// With a random key of this process: forms shown before a restart fail once (the
    /// visitor sends the form again). Several app servers behind one name need one key:
    /// [`AnonymousCsrf::with_key`].
    pub fn new() -> Result<Self, CsrfError> {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).map_err(CsrfError::Random)?;
        Ok(AnonymousCsrf::with_key(key))
    }

    /// With `key`, a secret shared by the app servers (32 random bytes, kept like a
    /// password).
    pub fn with_key(key: [u8; 32]) -> Self {
        AnonymousCsrf {
            key: Arc::new(key),
            secure: true,
        }
    }

    /// Whether the cookie is `Secure`, named [`ANONYMOUS_CSRF_COOKIE_SECURE`] (default), or
    /// not, named [`ANONYMOUS_CSRF_COOKIE`] — for a site on plain http only.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            ANONYMOUS_CSRF_COOKIE_SECURE
        } else {
            ANONYMOUS_CSRF_COOKIE
        }
    }

    /// The token for a form on the page answering a request with `headers`: from the
    /// browser's cookie when it has a valid one, else from a new one to set.
    pub fn issue(&self, headers: &HeaderMap) -> Result<IssuedToken, CsrfError> {
        if let Some(nonce) = self.nonce(headers) {
            return Ok(IssuedToken {
                token: self.sign(&nonce),
                set_cookie: None,
            });
        }
        let mut nonce = [0u8; NONCE];
        getrandom::getrandom(&mut nonce).map_err(CsrfError::Random)?;
        let nonce = hex(&nonce);
        let cookie = Cookie::build((self.cookie_name(), nonce.clone()))
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .build();
        // Hex digits and fixed attributes: always a valid header value.
        let set_cookie = HeaderValue::from_str(&cookie.to_string()).ok();
        Ok(IssuedToken {
            token: self.sign(&nonce),
            set_cookie,
        })
    }

    /// Checks a state-changing request of an anonymous form: the origin (`policy`), then the
    /// token — `submitted`, else the [`CSRF_HEADER`] header — against the cookie's.
    pub fn verify(
        &self,
        policy: &CsrfPolicy,
        headers: &HeaderMap,
        uri: &Uri,
        submitted: Option<&str>,
    ) -> Result<(), CsrfError> {
        policy.check_origin(headers, uri)?;
        let sent = submitted
            .or_else(|| headers.get(&CSRF_HEADER).and_then(|v| v.to_str().ok()))
            .filter(|t| !t.is_empty())
            .ok_or(CsrfError::MissingToken)?;
        let nonce = self.nonce(headers).ok_or(CsrfError::MissingToken)?;
        let expected = self.sign(&nonce);
        if bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(())
        } else {
            Err(CsrfError::InvalidToken)
        }
    }

    /// The nonce of the browser's cookie, when it has one of the right shape.
    fn nonce(&self, headers: &HeaderMap) -> Option<String> {
        let name = self.cookie_name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| Cookie::split_parse(value).filter_map(Result::ok))
            .find(|cookie| cookie.name() == name)
            .map(|cookie| cookie.value().to_owned())
            .filter(|nonce| {
                nonce.len() == 2 * NONCE && nonce.bytes().all(|b| b.is_ascii_hexdigit())
            })
    }

    fn sign(&self, nonce: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key[..])
            .expect("HMAC takes a key of any length");
        mac.update(PURPOSE);
        mac.update(nonce.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(pair: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, pair.parse().unwrap());
        headers
    }

    #[test]
    fn a_token_matches_its_cookie_and_key_only() {
        let forms = AnonymousCsrf::with_key([7; 32]).secure(false);
        let policy = CsrfPolicy::new();
        let uri: Uri = "/login".parse().unwrap();
        let issued = forms.issue(&HeaderMap::new()).unwrap();
        let set_cookie = issued.set_cookie.unwrap();
        let set_cookie = set_cookie.to_str().unwrap();
        assert!(
            set_cookie.starts_with("user-sessions-csrf="),
            "{set_cookie}"
        );
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
        assert!(!set_cookie.contains("Secure"));
        let pair = set_cookie.split(';').next().unwrap();
        let headers = with_cookie(&format!("theme=dark; {pair}"));
        assert!(
            forms
                .verify(&policy, &headers, &uri, Some(&issued.token))
                .is_ok()
        );
        // The same cookie gives the same token, and no new cookie.
        let again = forms.issue(&headers).unwrap();
        assert_eq!(again.token, issued.token);
        assert!(again.set_cookie.is_none());

        // Another key, another cookie, no cookie, no token: refused.
        let other = AnonymousCsrf::with_key([8; 32]).secure(false);
        assert!(
            other
                .verify(&policy, &headers, &uri, Some(&issued.token))
                .is_err()
        );
        let planted = with_cookie(&format!("user-sessions-csrf={}", "a".repeat(64)));
        assert!(matches!(
            forms.verify(&policy, &planted, &uri, Some(&issued.token)),
            Err(CsrfError::InvalidToken)
        ));
        assert!(matches!(
            forms.verify(&policy, &HeaderMap::new(), &uri, Some(&issued.token)),
            Err(CsrfError::MissingToken)
        ));
        assert!(matches!(
            forms.verify(&policy, &headers, &uri, None),
            Err(CsrfError::MissingToken)
        ));
        // A malformed cookie is replaced.
        let malformed = with_cookie("user-sessions-csrf=not-hex");
        assert!(forms.issue(&malformed).unwrap().set_cookie.is_some());
    }

    #[test]
    fn the_secure_cookie_uses_the_host_prefix() {
        let forms = AnonymousCsrf::with_key([1; 32]);
        let issued = forms.issue(&HeaderMap::new()).unwrap();
        let set_cookie = issued.set_cookie.unwrap();
        let set_cookie = set_cookie.to_str().unwrap();
        assert!(set_cookie.starts_with("__Host-user-sessions-csrf="));
        assert!(set_cookie.contains("Secure") && set_cookie.contains("Path=/"));
        assert!(!set_cookie.contains("Domain"));
    }
}
