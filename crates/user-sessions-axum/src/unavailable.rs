//! A session database that is down answers `503 Service Unavailable`, not `500`.
//!
//! tower-sessions and axum-login turn every store error into an empty `500`. The store notes
//! in a task-local flag that the failure was [`Error::Unavailable`](user_sessions::Error), and
//! [`MapUnavailable`], which runs around the whole session stack, turns that request's `500`
//! into a `503`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::{Request, Response, StatusCode};
use tokio::task::futures::TaskLocalFuture;
use tower_service::Service;
use tower_sessions::Session;

use crate::request::{self, RequestNotes, note_unavailable};

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
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = MapUnavailableFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // A session already in the request: the session layer runs around this one, and saves
        // after this future is done.
        let saves_in_scope = request.extensions().get::<Session>().is_none();
        MapUnavailableFuture {
            inner: request::scope(saves_in_scope, || self.inner.call(request)),
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`MapUnavailable`].
    pub struct MapUnavailableFuture<F: Future> {
        #[pin]
        inner: TaskLocalFuture<RequestNotes, F>,
    }
}

impl<F, ResBody, E> Future for MapUnavailableFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.project().inner;
        let mut response = ready!(inner.as_mut().poll(cx))?;
        let unavailable = inner.take_value().is_some_and(|notes| notes.unavailable());
        if unavailable && response.status() == StatusCode::INTERNAL_SERVER_ERROR {
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        }
        Poll::Ready(Ok(response))
    }
}
