//! What the store and the layers note about the request being served, in a task-local that
//! [`MapUnavailable`](crate::MapUnavailable) — the outermost service — keeps for the request.
//!
//! Outside such a request (a store used without the layer, a session touched from another task)
//! there is nowhere to note anything; every reader then falls back to what it would do without
//! the note.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::sync::Arc;

use tokio::task::futures::TaskLocalFuture;
use tower_sessions::session::Id;

use crate::client::Client;

tokio::task_local! {
    static REQUEST: RequestNotes;
}

/// The notes of one request.
#[derive(Debug, Default, Clone)]
pub(crate) struct RequestNotes {
    /// The session backend was unreachable.
    unavailable: Cell<bool>,
    /// The session the store last loaded for this request, as it was stored.
    loaded: Cell<Option<LoadedSession>>,
    /// The session layer saves its session inside these notes' scope: a save can read
    /// [`client`](Self::client). (Not when the session layer runs around the notes.)
    saves_in_scope: Cell<bool>,
    /// The client for the store to record when it saves this request's session. (Behind a
    /// pointer: the notes move in and out of the task-local on every poll of the request's
    /// future, and every save of the request reads it.)
    client: RefCell<Option<Arc<ClientToRecord>>>,
}

impl RequestNotes {
    pub(crate) fn unavailable(&self) -> bool {
        self.unavailable.get()
    }
}

/// What the layer needs to know about a loaded session to see that it has nothing to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoadedSession {
    pub id: Id,
    /// [`client_fingerprint`](crate::metadata::client_fingerprint) of the stored client.
    pub client: u64,
    /// Stored last activity, Unix milliseconds.
    pub last_activity: i64,
}

/// A request's client, for a save to record on its session when it is news (see
/// [`Metadata::record`](crate::metadata::Metadata::record)).
#[derive(Debug)]
pub(crate) struct ClientToRecord {
    pub client: Client,
    /// The layer's activity interval, milliseconds.
    pub activity_interval_ms: i64,
}

/// Calls `call` with fresh notes in place, and returns its future running with the notes it
/// left.
///
/// `saves_in_scope`: whether the session layer's saves run inside `call`'s future (the session
/// layer is inside, not around, the caller).
pub(crate) fn scope<F: Future>(
    saves_in_scope: bool,
    call: impl FnOnce() -> F,
) -> TaskLocalFuture<RequestNotes, F> {
    let notes = RequestNotes {
        saves_in_scope: Cell::new(saves_in_scope),
        ..RequestNotes::default()
    };
    let (future, notes) = REQUEST.sync_scope(notes, || {
        let future = call();
        (future, REQUEST.with(RequestNotes::clone))
    });
    REQUEST.scope(notes, future)
}

/// Notes that the session backend was unreachable.
pub(crate) fn note_unavailable() {
    let _ = REQUEST.try_with(|notes| notes.unavailable.set(true));
}

/// Notes the session the store loaded (`session` is only called when there is a request to
/// note it for).
pub(crate) fn note_loaded(session: impl FnOnce() -> LoadedSession) {
    let _ = REQUEST.try_with(|notes| notes.loaded.set(Some(session())));
}

/// The session the store loaded during this request, if it noted one.
pub(crate) fn loaded() -> Option<LoadedSession> {
    REQUEST.try_with(|notes| notes.loaded.get()).ok().flatten()
}

/// Whether a save of this request's session will see a client noted with [`note_client`].
pub(crate) fn saves_see_client() -> bool {
    REQUEST
        .try_with(|notes| notes.saves_in_scope.get())
        .unwrap_or(false)
}

/// Notes the client for the save of this request's session to record.
pub(crate) fn note_client(client: ClientToRecord) {
    let _ = REQUEST.try_with(|notes| *notes.client.borrow_mut() = Some(Arc::new(client)));
}

/// The client noted for this request's save, if any.
pub(crate) fn client_to_record() -> Option<Arc<ClientToRecord>> {
    REQUEST
        .try_with(|notes| notes.client.borrow().clone())
        .ok()
        .flatten()
}
