//! What the store and the layers note about the request being served, in a task-local that
//! [`MapUnavailable`](crate::MapUnavailable) — the outermost service — keeps for the request.
//!
//! Outside such a request (a store used without the layer, a session touched from another task)
//! there is nowhere to note anything; every reader then falls back to what it would do without
//! the note.

use std::cell::Cell;
use std::future::Future;

use tokio::task::futures::TaskLocalFuture;
use tower_sessions::session::Id;

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

/// Calls `call` with fresh notes in place, and returns its future running with the notes it
/// left.
pub(crate) fn scope<F: Future>(call: impl FnOnce() -> F) -> TaskLocalFuture<RequestNotes, F> {
    let (future, notes) = REQUEST.sync_scope(RequestNotes::default(), || {
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
