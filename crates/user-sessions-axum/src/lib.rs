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
//!     .layer(UserSessionsLayer::new(session_store).axum_login::<Backend>().around(auth));
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
//! ## How a request flows
//!
//! One direction, one place for what is known about the session:
//!
//! 1. [`UserSessionsLayer`] (outermost) notes the client — IP address under the trusted-proxy
//!    rules, `User-Agent`, client hints — in the request's state.
//! 2. The session layer runs; when anything reads the session, [`UserSessionStore`] loads it
//!    with one indexed read. The row's columns stay in the request's state; the tower-sessions
//!    record holds only the application's data.
//! 3. Inside the session layer, the layer learns who is signed in from the authentication
//!    layer ([`UserSessionsLayer::axum_login`]), ends a session whose user it no longer
//!    accepts, and hands the handler a [`Sessions`].
//! 4. A session the handler changed is saved by the session layer in one update, which records
//!    the client and writes nothing for a session ended meanwhile (a late save never revives
//!    one). A session nobody changed costs nothing while its last activity is fresh; when it is
//!    stale, or its client changed, one narrow [`Store::touch`](user_sessions::Store::touch)
//!    records them — never a load.
//! 5. An unreachable backend answers `503`, not `500`. Logging out (`session.flush()`,
//!    axum-login's `logout`) deletes the row.
//!
//! The secret id stays in the cookie; rows are keyed by its SHA-256 hash ([`public_id`]).
//! The creation time survives an id cycled at sign-in: a session is created once, however
//! often its id changes.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod activity;
#[cfg(feature = "admin")]
pub mod admin;
mod client;
mod error;
mod layer;
#[cfg(feature = "pages")]
pub mod pages;
mod request;
pub mod service;
mod sessions;
mod settings;
mod store;
mod user;

pub use client::{
    DEFAULT_MAX_USER_AGENT_LEN, ForwardedHeader, InvalidProxy, IpPrivacy, TrustedProxies,
};
pub use error::Error;
pub use layer::{UserSessionsLayer, WithoutSessionLayer};
pub use sessions::{ActiveSession, Sessions};
pub use settings::DEFAULT_ACTIVITY_INTERVAL;
pub use store::{UserSessionStore, public_id};
pub use user::{AXUM_LOGIN_KEY, USER_KEY, clear_user, render_user_id, set_user};

pub use ipnet::IpNet;
pub use user_sessions;
