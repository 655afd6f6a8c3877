//! The one body extractor of the account pages' and the admin's actions: a form
//! (`application/x-www-form-urlencoded`) or JSON (`application/json`), read up to a limit.
//!
//! An empty body, or one of another type, reads as no fields (a script's `DELETE` sends its
//! token in a header). A body that does not parse, or is larger than the limit, is refused with
//! `400` ([`Failure::MalformedBody`]) before anything else is checked.

use axum::body::{Bytes, to_bytes};
use axum::extract::{FromRequest, Request};
use http::header;
use serde::de::DeserializeOwned;

use super::failure::Failure;

/// The fields an action reads from its body.
pub(crate) trait Fields: Default + DeserializeOwned {
    /// The largest body read.
    const MAX_BODY: usize;

    /// The fields of a form; by default as serde reads them (each name once).
    fn from_form(bytes: &[u8]) -> Result<Self, serde_urlencoded::de::Error> {
        serde_urlencoded::from_bytes(bytes)
    }
}

/// A form or JSON body, as `T`.
pub(crate) struct FormOrJson<T>(pub T);

impl<T: Fields + Send, S: Send + Sync> FromRequest<S> for FormOrJson<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, _: &S) -> Result<Self, Failure> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes: Bytes = to_bytes(request.into_body(), T::MAX_BODY)
            .await
            .map_err(|_| Failure::MalformedBody(format!("a body over {} bytes", T::MAX_BODY)))?;
        parse(&content_type, &bytes).map(FormOrJson)
    }
}

/// The fields of a body of `content_type`.
pub(crate) fn parse<T: Fields>(content_type: &str, bytes: &[u8]) -> Result<T, Failure> {
    if bytes.is_empty() {
        return Ok(T::default());
    }
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/x-www-form-urlencoded" => {
            T::from_form(bytes).map_err(|error| Failure::MalformedBody(format!("form: {error}")))
        }
        // An object: serde would also read a struct from an array of its fields in order.
        "application/json" if !bytes.trim_ascii_start().starts_with(b"{") => {
            Err(Failure::MalformedBody("JSON body: not an object".into()))
        }
        "application/json" => serde_json::from_slice(bytes)
            .map_err(|error| Failure::MalformedBody(format!("JSON body: {error}"))),
        _ => Ok(T::default()),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    struct Token {
        csrf_token: Option<String>,
    }

    impl Fields for Token {
        const MAX_BODY: usize = 64;
    }

    fn token(content_type: &str, body: &str) -> Result<Option<String>, String> {
        parse::<Token>(content_type, body.as_bytes())
            .map(|t| t.csrf_token)
            .map_err(|failure| failure.message())
    }

    #[test]
    fn forms_and_json_read_alike() {
        let form = "application/x-www-form-urlencoded";
        assert_eq!(token(form, "csrf_token=a%20b"), Ok(Some("a b".into())));
        assert_eq!(
            token("Application/JSON; charset=utf-8", r#"{"csrf_token":"x"}"#),
            Ok(Some("x".into()))
        );
        // Nothing sent, or something that is neither: no fields.
        assert_eq!(token("application/json", ""), Ok(None));
        assert_eq!(token("text/plain", "csrf_token=x"), Ok(None));
        assert_eq!(token("", "{}"), Ok(None));
    }

    #[test]
    fn a_malformed_body_is_a_bad_request() {
        for (content_type, body) in [
            ("application/json", "{\"csrf_token\":"),
            ("application/json", "[1, 2]"),
            ("application/json", "[\"token\"]"),
            ("application/json", "null"),
            ("application/json", "{\"csrf_token\": 5}"),
            (
                "application/x-www-form-urlencoded",
                "csrf_token=a&csrf_token=b",
            ),
        ] {
            let message = token(content_type, body).expect_err(body);
            assert!(
                message.starts_with("The body could not be read"),
                "{message}"
            );
        }
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_a_bad_request() {
        let request = Request::builder()
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!(
                "csrf_token={}",
                "x".repeat(64)
            )))
            .expect("request");
        let refused = FormOrJson::<Token>::from_request(request, &()).await;
        assert!(matches!(refused, Err(Failure::MalformedBody(_))));
    }
}
