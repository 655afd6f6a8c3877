//! The services [`UserSessionsLayer`](crate::UserSessionsLayer) builds, and their futures.
//!
//! A request goes through them in one direction:
//!
//! 1. [`UserSessionsService`] (outermost) captures the client's headers and opens the
//!    request's state, which the [`UserSessionStore`](crate::UserSessionStore) reaches while
//!    tower-sessions loads and saves inside it.
//! 2. The session layer (tower-sessions' `SessionManagerLayer`, or axum-login's
//!    `AuthManagerLayer` around one) runs, then [`WithSessions`]: it notes the `Session` and
//!    the verified user, ends a session whose stored user the authentication layer no longer
//!    accepts, and notes the session where handlers' [`Sessions`](crate::Sessions) find it.
//!    It adds nothing to the request's path otherwise: the inner service's future is its own.
//! 3. After the response (and the session layer's save), [`UserSessionsService`] records the
//!    client and activity of a session that was not saved, when they are news — with one
//!    narrow [`Store::touch`](user_sessions::Store::touch), never a load — and answers `503`
//!    instead of `500` when the session backend was unreachable.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use axum::extract::ConnectInfo;
use futures_util::future::Either;
use http::{Request, Response, StatusCode};
use pin_project_lite::pin_project;
use time::OffsetDateTime;
use tokio::task::futures::TaskLocalFuture;
use tower_service::Service;
use tower_sessions::Session;
use user_sessions::Touch;
use user_sessions::events::Event;

use crate::activity::{Note, is_recent, records_client};
use crate::client::ClientHeaders;
use crate::error::SESSION_LIMIT_MESSAGE;
use crate::public_id;
use crate::request::{self, RequestState, Shared};
use crate::user::UserSource;

/// The boxed future of [`WithSessions`] when it ends a rejected session before the handler.
pub type BoxedResponseFuture<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

/// The outermost service of [`UserSessionsLayer`](crate::UserSessionsLayer).
#[derive(Debug, Clone)]
pub struct UserSessionsService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> UserSessionsService<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Self {
        UserSessionsService { inner, shared }
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for UserSessionsService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: From<&'static str> + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let headers = ClientHeaders::capture(
            peer_address(&request),
            request.headers(),
            &self.shared.settings.client,
        );
        let state = Arc::new(RequestState::new(self.shared.clone(), headers));
        let inner = state.clone().calling(|| self.inner.call(request));
        ResponseFuture {
            inner: state.clone().scope(inner),
            state,
            touching: None,
        }
    }
}

pin_project! {
    /// The response future of [`UserSessionsService`]: the inner service's response, after
    /// which — only when it is news — the session's client and activity are recorded.
    pub struct ResponseFuture<F, B> {
        #[pin]
        inner: TaskLocalFuture<Arc<RequestState>, F>,
        state: Arc<RequestState>,
        // The touch being written, then the response it held back.
        touching: Option<Pin<Box<dyn Future<Output = Response<B>> + Send>>>,
    }
}

impl<F, B> std::fmt::Debug for ResponseFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("touching", &self.touching.is_some())
            .finish_non_exhaustive()
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: From<&'static str> + Send + 'static,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let touching = match this.touching {
            Some(touching) => touching,
            None => {
                let mut response = ready!(this.inner.poll(cx))?;
                if response.status().is_server_error() {
                    // A failed request records nothing (its session was not saved either).
                    answer_failure(&mut response, this.state);
                    return Poll::Ready(Ok(response));
                }
                let Some(touch) = due_touch(this.state) else {
                    return Poll::Ready(Ok(response));
                };
                this.touching.insert(Box::pin(async move {
                    touch.await;
                    response
                }))
            }
        };
        touching.as_mut().poll(cx).map(Ok)
    }
}

/// A `500` becomes `503` when the session backend was unreachable, and `409` with a message
/// when the session limit refused a sign-in (nothing was written).
fn answer_failure<B: From<&'static str>>(response: &mut Response<B>, state: &RequestState) {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return;
    }
    let known = state.known();
    if known.unavailable {
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    } else if known.session_limit_reached.is_some() {
        *response.status_mut() = StatusCode::CONFLICT;
        let headers = response.headers_mut();
        headers.remove(http::header::CONTENT_LENGTH);
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        *response.body_mut() = B::from(SESSION_LIMIT_MESSAGE);
    }
}

/// The client's address as the server saw it (`into_make_service_with_connect_info`).
fn peer_address<B>(request: &Request<B>) -> Option<IpAddr> {
    let extensions = request.extensions();
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
        .or_else(|| {
            extensions
                .get::<ConnectInfo<IpAddr>>()
                .map(|ConnectInfo(ip)| *ip)
        })
}

/// After the response: the write of this request's session's client and activity, when they
/// are news and no save wrote them — one narrow touch — or `None`. Needs no load: what the
/// request loaded, or the notes of earlier requests, say when the session was last recorded.
fn due_touch(state: &RequestState) -> Option<impl Future<Output = ()> + Send + 'static> {
    let shared = &state.shared;
    let now = OffsetDateTime::now_utc();
    let interval = shared.settings.activity_interval_ms;
    // What the request loaded, judged where it lies: when it was last active, and whether
    // that recent activity was from this client (no copy of the row).
    let (id, loaded, user_id) = {
        let known = state.known();
        if known.written {
            return None;
        }
        // No cookie, or the session was flushed: no session to record.
        let id = known.session.as_ref().and_then(Session::id)?;
        if known.ended.contains(&id) {
            return None;
        }
        let loaded = known
            .loaded
            .as_ref()
            .filter(|loaded| loaded.id == id)
            .map(|loaded| {
                let info = &loaded.info;
                let same_client = records_client(info, state.client());
                let fresh = same_client && is_recent(info.last_activity, now, interval);
                (info.last_activity, fresh, same_client)
            });
        // Its user, to name in a client change (copied only when the client changed).
        let user_id = match loaded {
            Some((_, _, false)) => known
                .loaded
                .as_ref()
                .and_then(|loaded| loaded.info.user_id.clone()),
            _ => None,
        };
        (id, loaded, user_id)
    };
    let key = shared.recent.key(&id);
    let fingerprint = shared.recent.fingerprint(state.headers());
    // Whether the session was last recorded with another client (as far as this process saw).
    let mut client_changed = false;
    let up_to_date = match loaded {
        Some((at, fresh, same_client)) => {
            client_changed = !same_client;
            if fresh {
                shared.recent.note(
                    key,
                    Note::Active {
                        at,
                        client: fingerprint,
                    },
                );
            }
            fresh
        }
        None => match shared.recent.get(key) {
            Some(Note::Gone) => true,
            Some(Note::Active { at, client }) => {
                client_changed = client != fingerprint;
                !client_changed && is_recent(at, now, interval)
            }
            None => false,
        },
    };
    if up_to_date {
        return None;
    }
    let client = state.client();
    let touch = Touch {
        ip: client.ip,
        user_agent: client.user_agent.clone(),
        client_hints: client.client_hints.clone(),
        last_activity: now,
    };
    let public = public_id(&id);
    let report = client_changed.then(|| Event::ClientChanged {
        id: public,
        user_id,
        ip: touch.ip,
        user_agent: touch.user_agent.clone(),
    });
    let shared = shared.clone();
    Some(async move {
        let store = &shared.store;
        match store.touch(&public, touch).await {
            Ok(true) => {
                shared.recent.note(
                    key,
                    Note::Active {
                        at: now,
                        client: fingerprint,
                    },
                );
                if let Some(event) = report {
                    store.events().publish(event);
                }
            }
            Ok(false) => shared.recent.note(key, Note::Gone),
            Err(error) => {
                tracing::warn!(%error, session = %public, "could not record the session's activity");
            }
        }
    })
}

/// The service inside the session layer: notes the request's `Session` (for handlers'
/// [`Sessions`](crate::Sessions)) and verified user. Built by
/// [`UserSessionsLayer`](crate::UserSessionsLayer).
#[derive(Debug, Clone)]
pub struct WithSessions<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> WithSessions<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Self {
        WithSessions { inner, shared }
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for WithSessions<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    /// The inner service's own future, boxed only to end a rejected session first.
    type Future = Either<S::Future, BoxedResponseFuture<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let session = request.extensions().get::<Session>().cloned();
        let state = request::current();
        let (Some(session), Some(state)) = (session, state) else {
            tracing::error!(
                "UserSessionsLayer is not wired around a session layer: add it with \
                 `.layer(UserSessionsLayer::new(store).around(session_layer))`, with no layer \
                 between them that moves the request to another task (such as a buffer)"
            );
            return Either::Left(self.inner.call(request));
        };
        let settings = &self.shared.settings;
        let end_rejected = {
            let mut known = state.known();
            let rejected = match &settings.user_source {
                UserSource::SetUser => false,
                UserSource::Request(verified) => {
                    known.verified_user = verified(request.extensions());
                    // The session names a user the authentication layer did not accept (a
                    // user deactivated or deleted since): it is anonymous, and ended.
                    known.verified_user.is_none()
                        && known
                            .loaded
                            .as_ref()
                            .is_some_and(|loaded| loaded.info.user_id.is_some())
                }
            };
            let end_rejected = rejected && settings.end_rejected;
            if end_rejected {
                known.ending_as = Some(user_sessions::events::EndedBy::UserNotAccepted);
            }
            // Handlers' `Sessions` find the session here.
            known.session = Some(session.clone());
            end_rejected
        };
        if !end_rejected {
            return Either::Left(self.inner.call(request));
        }
        // Use the service that was polled ready; leave a clone for the next call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Either::Right(Box::pin(async move {
            tracing::info!("ending a session whose user the application no longer accepts");
            if let Err(error) = session.flush().await {
                tracing::warn!(%error, "could not end a session of a user no longer accepted");
            }
            inner.call(request).await
        }))
    }
}
