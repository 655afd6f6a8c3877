//! # user-sessions-axum
//!
//! A drop-in for axum applications that use tower-sessions (and, very often, axum-login):
//! replace the session store with [`UserSessionStore`], add [`UserSessionsLayer`], and every
//! session becomes a row with its user, IP address, browser and times — which the application
//! can list and end ([`Sessions`]) without changing its handlers or its authentication.
//!
//! ## Quick start
//!
//! ```no_run
//! # use axum_login::{AuthUser, AuthnBackend, UserId};
//! # #[derive(Clone, Debug)] struct User { id: i64, hash: Vec<u8> }
//! # impl AuthUser for User { type Id = i64; fn id(&self) -> i64 { self.id } fn session_auth_hash(&self) -> &[u8] { &self.hash } }
//! # #[derive(Clone)] struct Backend;
//! # impl AuthnBackend for Backend {
//! #     type User = User; type Credentials = (); type Error = std::convert::Infallible;
//! #     async fn authenticate(&self, _: ()) -> Result<Option<User>, Self::Error> { Ok(None) }
//! #     async fn get_user(&self, _: &UserId<Self>) -> Result<Option<User>, Self::Error> { Ok(None) }
//! # }
//! use axum::{Json, Router, routing::get};
//! use axum_login::AuthManagerLayerBuilder;
//! use tower_sessions::SessionManagerLayer;
//! use user_sessions_axum::{Error, Sessions, UserSessionStore, UserSessionsLayer};
//!
//! # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = user_sessions::Store::open("sqlite://sessions.db").await?;
//! store.migrate().await?;
//! let session_store = UserSessionStore::new(store);
//! let auth = AuthManagerLayerBuilder::new(Backend, SessionManagerLayer::new(session_store.clone())).build();
//!
//! let app = Router::new()
//!     .route("/account/sessions", get(|s: Sessions| async move { Ok::<_, Error>(Json(s.list().await?)) }))
//!     .layer(UserSessionsLayer::new(session_store).around(auth));
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await?;
//! # Ok(()) }
//! ```
//!
//! Serve with `into_make_service_with_connect_info::<SocketAddr>()` so that the client's
//! address is known; behind a reverse proxy, declare it with
//! [`UserSessionsLayer::trusted_proxies`].
//!
//! ## How it fits together
//!
//! - [`UserSessionStore`] implements `tower_sessions::SessionStore`. The secret session id
//!   stays in the cookie; rows are keyed by its SHA-256 hash ([`public_id`]). Loading is one
//!   indexed read; saving a loaded session one update, which writes nothing when the session was
//!   ended meanwhile (a late save never brings an ended session back). The user id is read from the session data: axum-login's
//!   state by default, [`set_user`] for applications without axum-login, or any source given to
//!   [`UserSessionStore::with_user_id`]. The sign-in time is set when the user id first appears
//!   or changes.
//! - The row's columns travel inside the tower-sessions record under the reserved key
//!   [`METADATA_KEY`]: the store puts them there when loading and takes them out when saving.
//!   (With [`around`](UserSessionsLayer::around) they stay in the request notes, and the entry
//!   only names the load.) The creation time is kept when the id is cycled at login: a session is created once,
//!   however often its id changes (call `session.clear()` to start afresh).
//! - [`UserSessionsLayer`] records the client and refreshes last activity at most once per
//!   interval, hands out [`Sessions`], and maps an unreachable backend to `503`. The store and
//!   the layer share notes about the request in a task-local: a request that loads its session,
//!   leaves it untouched and comes from the client it records costs the load and nothing else;
//!   a request that changes its session hands its client to that session's save through the
//!   notes (with [`around`](UserSessionsLayer::around): the save then runs inside the layer).
//! - Logging out (`session.flush()`, axum-login's `logout`) deletes the row.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(feature = "admin")]
pub mod admin;
mod client;
mod error;
mod layer;
mod metadata;
#[cfg(feature = "pages")]
pub mod pages;
mod request;
mod sessions;
mod store;
mod unavailable;
mod user;

pub use client::{
    DEFAULT_MAX_USER_AGENT_LEN, ForwardedHeader, InvalidProxy, IpPrivacy, TrustedProxies,
    truncate_on_char_boundary,
};
pub use error::Error;
pub use layer::{DEFAULT_ACTIVITY_INTERVAL, RecordClient, RecordClientFuture, UserSessionsLayer};
pub use metadata::METADATA_KEY;
pub use sessions::{ActiveSession, Sessions};
pub use store::{ACTIVITY_RESOLUTION, UserSessionStore, public_id};
pub use unavailable::{MapUnavailable, MapUnavailableFuture};
pub use user::{
    AXUM_LOGIN_KEY, ReadUserId, USER_KEY, axum_login_user_id, clear_user, render_user_id, set_user,
    user_id,
};

pub use ipnet::IpNet;
pub use user_sessions;
