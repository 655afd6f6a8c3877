//! What the store and the layers note about the request being served, in a task-local that
//! [`MapUnavailable`](crate::MapUnavailable) — the outermost service — keeps for the request.
//!
//! Outside such a request (a store used without the layer, a session touched from another task)
//! there is nowhere to note anything; every reader then falls back to what it would do without
//! the note.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::task::futures::TaskLocalFuture;
use tower_sessions::session::Id;

use user_sessions::PublicId;

use crate::client::Client;
use crate::metadata::Metadata;

tokio::task_local! {
    static REQUEST: RequestNotes;
}

/// The notes of one request.
#[derive(Debug, Default, Clone)]
pub(crate) struct RequestNotes {
    /// The session backend was unreachable.
    unavailable: Cell<bool>,
    /// The session the store last loaded for this request, as it was stored. (Boxed like
    /// `client`: the notes stay small to move.)
    loaded: RefCell<Option<Box<LoadedSession>>>,
    /// The session layer saves its session inside these notes' scope: a save can read
    /// [`client`](Self::client) and [`loaded`](Self::loaded). (Not when the session layer runs
    /// around the notes.)
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

/// A session the store loaded, as it was stored.
#[derive(Debug, Clone)]
pub(crate) struct LoadedSession {
    pub id: Id,
    /// Its public id (a hash of `id`, kept so that its save need not compute it again).
    pub public_id: PublicId,
    /// The load the session's data names with a [marker](crate::metadata::marker) instead of
    /// carrying its metadata (`None` when it carries the metadata).
    pub marker: Option<u64>,
    /// The row's columns as loaded.
    pub metadata: Metadata,
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

/// Whether there are notes for the current request, and if so whether the session layer's
/// saves run inside them (`Some(true)`: they can read what a load noted).
pub(crate) fn saves_in_scope() -> Option<bool> {
    REQUEST.try_with(|notes| notes.saves_in_scope.get()).ok()
}

/// A number for one load, unique in this process: what a [marker](crate::metadata::marker)
/// names.
pub(crate) fn next_load() -> u64 {
    static LOADS: AtomicU64 = AtomicU64::new(1);
    LOADS.fetch_add(1, Ordering::Relaxed)
}

/// Notes the session the store loaded (nothing happens outside a request's notes).
pub(crate) fn note_loaded(session: LoadedSession) {
    let _ = REQUEST.try_with(|notes| *notes.loaded.borrow_mut() = Some(Box::new(session)));
}

/// Calls `read` with the session the store loaded during this request, if it noted one.
pub(crate) fn with_loaded<R>(read: impl FnOnce(&LoadedSession) -> R) -> Option<R> {
    REQUEST
        .try_with(|notes| notes.loaded.borrow().as_deref().map(read))
        .ok()
        .flatten()
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
