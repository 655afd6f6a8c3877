//! Protection against cross-site request forgery for every state-changing request: a token
//! bound to the session (compared in constant time) and a check that the request comes from
//! the site itself (`Sec-Fetch-Site`, else `Origin`).
//!
//! The token lives in the session data under [`CSRF_SESSION_KEY`]; pages put it into a hidden
//! form field named [`CSRF_FIELD`], scripts send it in the [`CSRF_HEADER`] header (the JSON
//! list of sessions carries it as `csrf_token`). Any form of the application can use the same
//! token: [`csrf_token`] to render it, [`CsrfPolicy::verify`] to check it.

use http::{HeaderMap, HeaderName, Uri, header};
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// The session key the token is kept under.
pub const CSRF_SESSION_KEY: &str = "user_sessions.csrf";

/// The name of the form field (and JSON body field) that carries the token.
pub const CSRF_FIELD: &str = "csrf_token";

/// The request header that carries the token for scripts: `X-CSRF-Token`.
pub const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");

/// Why a state-changing request was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CsrfError {
    /// The browser says the request comes from another site (`Sec-Fetch-Site`), or its
    /// `Origin` is neither this host nor an allowed origin.
    #[error("cross-origin request refused")]
    CrossOrigin,
    /// No token was sent, or the session has none.
    #[error("CSRF token missing")]
    MissingToken,
    /// The token does not match the session's.
    #[error("CSRF token does not match")]
    InvalidToken,
    /// The session could not be read or written.
    #[error(transparent)]
    Session(#[from] tower_sessions::session::Error),
    /// The operating system's random number generator failed.
    #[error("no randomness for a CSRF token: {0}")]
    Random(getrandom::Error),
}

impl CsrfError {
    /// Whether the request was refused as forged (answer `403`), rather than failing on the
    /// session store.
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            CsrfError::CrossOrigin | CsrfError::MissingToken | CsrfError::InvalidToken
        )
    }
}

/// The session's CSRF token, created (and stored in the session) when it has none yet.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # use std::sync::Arc;
/// # let store = user_sessions_axum::UserSessionStore::new(user_sessions::Store::open("sqlite::memory:").await?);
/// use tower_sessions::Session;
/// use user_sessions_axum::pages::csrf_token;
///
/// let session = Session::new(None, Arc::new(store), None);
/// let token = csrf_token(&session).await?;
/// assert_eq!(token.len(), 64);
/// assert_eq!(csrf_token(&session).await?, token);
/// # Ok(()) }
/// ```
pub async fn csrf_token(session: &Session) -> Result<String, CsrfError> {
    if let Some(token) = session.get::<String>(CSRF_SESSION_KEY).await? {
        if !token.is_empty() {
            return Ok(token);
        }
    }
    rotate_csrf_token(session).await
}

/// Replaces the session's CSRF token with a new one (call it when a user signs in).
pub async fn rotate_csrf_token(session: &Session) -> Result<String, CsrfError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(CsrfError::Random)?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    session.insert(CSRF_SESSION_KEY, &token).await?;
    Ok(token)
}

/// Which requests may change state: same-origin ones, plus those from origins the
/// application allows.
///
/// A request passes the origin check when the browser marks it `Sec-Fetch-Site: same-origin`
/// (or `none`: typed by the user); otherwise its `Origin` must be this site — the same scheme,
/// host and port — or an allowed origin. This site is the request's host (the `Host` header)
/// over `https` (the request's own scheme when its URI names one, as HTTP/2 requests do);
/// a site served over plain `http` says so with [`CsrfPolicy::plain_http`]. A request with
/// neither header (not a browser) passes to the token check alone.
///
/// ```
/// use http::HeaderMap;
/// use user_sessions_axum::pages::CsrfPolicy;
///
/// let policy = CsrfPolicy::new().allow_origin("https://app.example.com");
/// let uri = "/account/sessions/other/delete/".parse().unwrap();
/// let mut headers = HeaderMap::new();
/// headers.insert("host", "example.com".parse().unwrap());
/// headers.insert("origin", "https://example.com".parse().unwrap());
/// assert!(policy.check_origin(&headers, &uri).is_ok());
/// headers.insert("origin", "https://app.example.com".parse().unwrap());
/// assert!(policy.check_origin(&headers, &uri).is_ok());
/// headers.insert("origin", "https://evil.example".parse().unwrap());
/// assert!(policy.check_origin(&headers, &uri).is_err());
/// // The same host over another scheme or port is another origin.
/// headers.insert("origin", "http://example.com".parse().unwrap());
/// assert!(policy.check_origin(&headers, &uri).is_err());
/// headers.insert("origin", "https://example.com:8443".parse().unwrap());
/// assert!(policy.check_origin(&headers, &uri).is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CsrfPolicy {
    allowed_origins: Vec<String>,
    plain_http: bool,
}

impl CsrfPolicy {
    /// Same-origin requests only, the site served over `https`.
    pub fn new() -> Self {
        CsrfPolicy::default()
    }

    /// The site is served over plain `http` (local development without TLS): same-origin
    /// requests then carry `Origin: http://…`, and an `https` origin is another site.
    ///
    /// ```
    /// use http::HeaderMap;
    /// use user_sessions_axum::pages::CsrfPolicy;
    ///
    /// let uri = "/logout".parse().unwrap();
    /// let mut headers = HeaderMap::new();
    /// headers.insert("host", "127.0.0.1:3000".parse().unwrap());
    /// headers.insert("origin", "http://127.0.0.1:3000".parse().unwrap());
    /// assert!(CsrfPolicy::new().check_origin(&headers, &uri).is_err());
    /// assert!(CsrfPolicy::new().plain_http().check_origin(&headers, &uri).is_ok());
    /// ```
    pub fn plain_http(mut self) -> Self {
        self.plain_http = true;
        self
    }

    /// Also accepts requests from `origin` (`scheme://host[:port]`), e.g. the public origin
    /// when a proxy rewrites the `Host` header, or a separate front-end.
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        if let Some(origin) = normalize_origin(&origin.into()) {
            self.allowed_origins.push(origin);
        }
        self
    }

    /// Checks `Sec-Fetch-Site` and `Origin` (see the type's documentation).
    pub fn check_origin(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), CsrfError> {
        let fetch_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        if matches!(fetch_site.as_deref(), Some("same-origin" | "none")) {
            return Ok(());
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        match origin {
            Some(origin) => {
                let origin = normalize_origin(origin).ok_or(CsrfError::CrossOrigin)?;
                if self.allowed_origins.contains(&origin) {
                    return Ok(());
                }
                let host = request_host(headers, uri).ok_or(CsrfError::CrossOrigin)?;
                let site = normalize_origin(&format!("{}://{host}", self.scheme(uri)));
                if site.as_deref() == Some(origin.as_str()) {
                    Ok(())
                } else {
                    Err(CsrfError::CrossOrigin)
                }
            }
            // A browser that says "cross-site" or "same-site" without an Origin: refuse.
            None if fetch_site.is_some() => Err(CsrfError::CrossOrigin),
            // Not a browser (no Fetch metadata, no Origin): the token decides.
            None => Ok(()),
        }
    }

    /// The scheme this site is reached over: the request's own when its URI names one,
    /// else `https` (or `http` with [`CsrfPolicy::plain_http`]).
    fn scheme<'a>(&self, uri: &'a Uri) -> &'a str {
        match uri.scheme_str() {
            Some(scheme) => scheme,
            None if self.plain_http => "http",
            None => "https",
        }
    }

    /// Checks the origin, then the token: `submitted` (a form or JSON field), else the
    /// [`CSRF_HEADER`] header, against the session's.
    pub async fn verify(
        &self,
        session: &Session,
        headers: &HeaderMap,
        uri: &Uri,
        submitted: Option<&str>,
    ) -> Result<(), CsrfError> {
        self.check_origin(headers, uri)?;
        let sent = submitted
            .or_else(|| headers.get(&CSRF_HEADER).and_then(|v| v.to_str().ok()))
            .filter(|t| !t.is_empty())
            .ok_or(CsrfError::MissingToken)?;
        let expected = session
            .get::<String>(CSRF_SESSION_KEY)
            .await?
            .filter(|t| !t.is_empty())
            .ok_or(CsrfError::MissingToken)?;
        if bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(())
        } else {
            Err(CsrfError::InvalidToken)
        }
    }
}

/// `scheme://host[:port]` in lower case without a default port; `None` for anything else
/// (including the opaque origin `null`).
fn normalize_origin(origin: &str) -> Option<String> {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, authority) = origin.split_once("://")?;
    if !matches!(scheme, "http" | "https")
        || authority.is_empty()
        || authority.contains(['/', '@', '?', '#'])
    {
        return None;
    }
    Some(format!(
        "{scheme}://{}",
        strip_default_port(scheme, authority)
    ))
}

fn strip_default_port(scheme: &str, authority: &str) -> String {
    let default = if scheme == "https" { ":443" } else { ":80" };
    authority
        .strip_suffix(default)
        .unwrap_or(authority)
        .to_owned()
}

/// The host the request was sent to: the `Host` header (HTTP/1), else the URI's authority
/// (HTTP/2).
fn request_host(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.as_str().to_owned()))
        .map(|host| host.trim().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn origin_rules() {
        let policy = CsrfPolicy::new().plain_http();
        let uri: Uri = "/x".parse().unwrap();
        let ok = |h: &[(&'static str, &str)]| policy.check_origin(&headers(h), &uri).is_ok();
        assert!(ok(&[("sec-fetch-site", "same-origin")]));
        assert!(ok(&[("sec-fetch-site", "none")]));
        assert!(!ok(&[("sec-fetch-site", "cross-site")]));
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        assert!(ok(&[]));
        assert!(ok(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ]));
        assert!(ok(&[
            ("host", "Example.COM"),
            ("origin", "http://example.com:80")
        ]));
        assert!(!ok(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3001")
        ]));
        assert!(!ok(&[("host", "example.com"), ("origin", "null")]));
        assert!(!ok(&[("origin", "http://example.com")]));
        assert!(!ok(&[
            ("sec-fetch-site", "cross-site"),
            ("host", "example.com"),
            ("origin", "http://evil.example")
        ]));
    }

    /// The scheme and port count, not the host alone.
    #[test]
    fn scheme_host_and_port_all_count() {
        let https = CsrfPolicy::new();
        let http = CsrfPolicy::new().plain_http();
        let relative: Uri = "/x".parse().unwrap();
        let check = |policy: &CsrfPolicy, uri: &Uri, host: &str, origin: &str| {
            let h = headers(&[("host", host), ("origin", origin)]);
            policy.check_origin(&h, uri).is_ok()
        };
        assert!(check(
            &https,
            &relative,
            "example.com",
            "https://example.com"
        ));
        assert!(check(
            &https,
            &relative,
            "example.com:443",
            "https://example.com"
        ));
        assert!(check(
            &https,
            &relative,
            "example.com",
            "https://example.com:443"
        ));
        assert!(check(
            &https,
            &relative,
            "example.com:8443",
            "https://example.com:8443"
        ));
        // Plain http on the same host (a network attacker's page) is another origin.
        assert!(!check(
            &https,
            &relative,
            "example.com",
            "http://example.com"
        ));
        assert!(!check(
            &https,
            &relative,
            "example.com:443",
            "http://example.com:443"
        ));
        assert!(!check(
            &https,
            &relative,
            "example.com",
            "https://example.com:8443"
        ));
        assert!(!check(
            &https,
            &relative,
            "example.com:8443",
            "https://example.com"
        ));
        assert!(check(&http, &relative, "example.com", "http://example.com"));
        assert!(!check(
            &http,
            &relative,
            "example.com",
            "https://example.com"
        ));
        assert!(!check(
            &http,
            &relative,
            "example.com:80",
            "http://example.com:8080"
        ));
        // A URI that names its scheme (HTTP/2) is believed over the policy's default.
        let absolute: Uri = "http://example.com/x".parse().unwrap();
        assert!(check(
            &https,
            &absolute,
            "example.com",
            "http://example.com"
        ));
        assert!(!check(
            &https,
            &absolute,
            "example.com",
            "https://example.com"
        ));
    }

    #[test]
    fn allowed_origins_are_normalized() {
        let policy = CsrfPolicy::new().allow_origin("HTTPS://Front.example:443/");
        let uri: Uri = "/x".parse().unwrap();
        let h = headers(&[
            ("sec-fetch-site", "same-site"),
            ("host", "api.example"),
            ("origin", "https://front.example"),
        ]);
        assert!(policy.check_origin(&h, &uri).is_ok());
        assert_eq!(normalize_origin("ftp://x"), None);
        assert_eq!(normalize_origin("http://user@x"), None);
    }
}
