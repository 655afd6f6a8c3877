//! What is known about the session of the request being served, in one place.
//!
//! [`UserSessionsService`](crate::service::UserSessionsService), the outermost service, makes
//! one [`RequestState`] per request and shares it one way: a task-local that covers the inner
//! service's call and its whole future, saves included. Through it the inner service (which
//! adds the tower-sessions [`Session`] and the verified user), the
//! [`Sessions`](crate::Sessions) extractor and the [`UserSessionStore`](crate::UserSessionStore)
//! — which tower-sessions calls without the request — reach the same state.
//!
//! The tower-sessions record carries only the application's data: the row's columns (client,
//! times, user) stay here while the request runs.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use tower_sessions::Session;
use tower_sessions::session::Id;
use user_sessions::{SessionInfo, Store};

use crate::activity::RecentActivity;
use crate::client::{Client, ClientHeaders};
use crate::settings::Settings;

tokio::task_local! {
    static CURRENT: Arc<RequestState>;
}

/// What every request through one layer shares: its settings, the store and the activity
/// notes.
#[derive(Debug)]
pub(crate) struct Shared {
    pub settings: Settings,
    pub store: Store,
    /// Shared by every service the layer builds (axum layers each route on its own).
    pub recent: Arc<RecentActivity>,
}

/// One request's view of its session.
#[derive(Debug)]
pub(crate) struct RequestState {
    pub(crate) shared: Arc<Shared>,
    headers: ClientHeaders,
    /// The client, resolved from `headers` when first needed.
    client: OnceLock<Client>,
    known: Mutex<Known>,
}

/// What the request learned about its session as it ran.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// The tower-sessions session (set by the inner service).
    pub session: Option<Session>,
    /// The user the authentication layer verified, when the layer reads it from the request.
    pub verified_user: Option<String>,
    /// The session the store loaded, with its row's columns as stored.
    pub loaded: Option<Loaded>,
    /// Sessions the store deleted during this request (a flush, an id cycled at sign-in, an
    /// "end" by the user).
    pub ended: Vec<Id>,
    /// The store wrote this request's session (created or saved it): client and activity are
    /// recorded.
    pub written: bool,
    /// The session backend was unreachable.
    pub unavailable: bool,
    /// The browser's cookie named a session that no longer exists (ended, or expired).
    pub gone: bool,
    /// Why this request ends its session, when it is not the user's own doing (reported with
    /// the store's delete).
    pub ending_as: Option<user_sessions::events::EndedBy>,
    /// A sign-in was refused by the store's session limit (this many sessions at most).
    pub session_limit_reached: Option<u32>,
}

/// A session the store loaded during the request.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub id: Id,
    /// The row's columns as loaded (the data stays in the tower-sessions record).
    pub info: SessionInfo,
}

impl RequestState {
    pub(crate) fn new(shared: Arc<Shared>, headers: ClientHeaders) -> Self {
        RequestState {
            shared,
            headers,
            client: OnceLock::new(),
            known: Mutex::new(Known::default()),
        }
    }

    /// The client's headers as they came.
    pub(crate) fn headers(&self) -> &ClientHeaders {
        &self.headers
    }

    /// What this request's client is recorded as.
    pub(crate) fn client(&self) -> &Client {
        self.client
            .get_or_init(|| self.headers.resolve(&self.shared.settings.client))
    }

    /// What is known so far. (A poisoned lock only means a panic elsewhere mid-update: the
    /// notes are plain values and stay usable.)
    pub(crate) fn known(&self) -> MutexGuard<'_, Known> {
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The id of the session this request loaded, if any.
    pub(crate) fn loaded_any(&self) -> Option<Id> {
        self.known().loaded.as_ref().map(|loaded| loaded.id)
    }

    /// The row's columns of session `id`, if this request loaded it.
    pub(crate) fn loaded(&self, id: &Id) -> Option<SessionInfo> {
        let known = self.known();
        known
            .loaded
            .as_ref()
            .filter(|loaded| loaded.id == *id)
            .map(|loaded| loaded.info.clone())
    }

    /// Runs `call` (the inner service's, which may look at the state at once) with this state
    /// as the current request's.
    pub(crate) fn calling<R>(self: Arc<Self>, call: impl FnOnce() -> R) -> R {
        CURRENT.sync_scope(self, call)
    }

    /// Runs `future` with this state as the current request's.
    pub(crate) fn scope<F: Future>(
        self: Arc<Self>,
        future: F,
    ) -> tokio::task::futures::TaskLocalFuture<Arc<RequestState>, F> {
        CURRENT.scope(self, future)
    }
}

/// The state of the request being served, when called from inside one (a store used by a
/// task of its own, or without the layer, has none).
pub(crate) fn current() -> Option<Arc<RequestState>> {
    CURRENT.try_with(Arc::clone).ok()
}
