//! A session database that is down answers `503 Service Unavailable`, not `500`.
//!
//! tower-sessions and axum-login turn every store error into an empty `500`. The store notes
//! in a task-local flag that the failure was [`Error::Unavailable`](user_sessions::Error), and
//! [`MapUnavailable`], which runs around the whole session stack, turns that request's `500`
//! into a `503`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use http::{Request, Response, StatusCode};
use tower_service::Service;

tokio::task_local! {
    static UNAVAILABLE: Arc<AtomicBool>;
}

/// Notes that the session backend was unreachable while serving the current request.
pub(crate) fn note_unavailable() {
    // Outside a request served through `MapUnavailable` there is nobody to tell.
    let _ = UNAVAILABLE.try_with(|flag| flag.store(true, Ordering::Relaxed));
}

/// Converts a core error into the error type tower-sessions stores use, noting unavailability.
pub(crate) fn to_store_error(error: user_sessions::Error) -> tower_sessions::session_store::Error {
    use tower_sessions::session_store::Error as StoreError;
    if error.is_unavailable() {
        note_unavailable();
    }
    match error {
        user_sessions::Error::Encode(message) => StoreError::Encode(message),
        other => StoreError::Backend(other.to_string()),
    }
}

/// A service that turns a `500` into a `503` when the session backend was unavailable
/// during the request. Built by [`UserSessionsLayer`](crate::UserSessionsLayer).
#[derive(Debug, Clone)]
pub struct MapUnavailable<S> {
    inner: S,
}

impl<S> MapUnavailable<S> {
    pub(crate) fn new(inner: S) -> Self {
        MapUnavailable { inner }
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for MapUnavailable<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let flag = Arc::new(AtomicBool::new(false));
        let future = UNAVAILABLE.sync_scope(flag.clone(), || self.inner.call(request));
        Box::pin(async move {
            let mut response = UNAVAILABLE.scope(flag.clone(), future).await?;
            if flag.load(Ordering::Relaxed)
                && response.status() == StatusCode::INTERNAL_SERVER_ERROR
            {
                *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            }
            Ok(response)
        })
    }
}
