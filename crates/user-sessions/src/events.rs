//! Session events: what happened to which session, for applications to react to (a "new
//! sign-in" e-mail, an audit log) — through a subscription, and as `tracing` events.
//!
//! Every [`Store`](crate::Store) handle, and every clone of it, publishes to the same
//! [`Events`]. A subscriber gets its own bounded queue: publishing never waits for it and
//! never fails because of it. When its queue is full the event is dropped for that subscriber
//! alone, counted ([`Subscription::dropped`]) and logged.
//!
//! Every event is also a `tracing` event at `INFO` on the target `user_sessions::events` (the
//! `ended` events of expired sessions a purge deleted at `DEBUG`, since one purge may delete
//! millions: the batch's `purged` event stays at `INFO`), with these field names (stable):
//! `event` (`created`, `signed_in`, `reauthenticated`, `client_changed`, `ended`, `purged`),
//! `session` (the public id — never the secret id), `user`, `ip`, `new_device`, `ended_by`
//! (`user`, `other_session`, `admin`, `password_change`, `limit`, `user_not_accepted`,
//! `expired`), `by_session`, `staff`, `count`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
//! use time::{Duration, OffsetDateTime};
//! use user_sessions::events::{EndedBy, Event};
//! use user_sessions::{PublicId, SessionRecord, Store};
//!
//! let store = Store::open("sqlite::memory:").await?;
//! store.migrate().await?;
//! let mut events = store.events().subscribe(1024);
//!
//! let mut record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
//! record.info.user_id = Some("42".into());
//! store.create(&record).await?;
//! store.end_user_session("42", &record.id).await?;
//!
//! assert!(matches!(events.try_recv(), Some(Event::Created { .. })));
//! assert!(matches!(
//!     events.try_recv(),
//!     Some(Event::Ended { by: EndedBy::User, .. })
//! ));
//! # Ok(()) }
//! ```

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::mpsc;

use crate::PublicId;

/// Something that happened to a session. Names sessions by their public id, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A session was stored for the first time.
    Created {
        /// The new session.
        id: PublicId,
        /// Its user, when it was created signed in.
        user_id: Option<String>,
        /// The client's IP address.
        ip: Option<IpAddr>,
    },
    /// A user signed in on a session.
    SignedIn {
        /// The session.
        id: PublicId,
        /// The user.
        user_id: String,
        /// The client's IP address.
        ip: Option<IpAddr>,
        /// The client's `User-Agent`.
        user_agent: Option<String>,
        /// Whether neither this device (browser and platform) on this network (`/16` of an
        /// IPv4 address, `/32` of an IPv6 address) is one the user's other sessions used
        /// within the window (see [`Store::signed_in`](crate::Store::signed_in)).
        new_device: bool,
    },
    /// The user confirmed who they are again (re-entered their password) on a session:
    /// its sign-in time was refreshed ([`Store::mark_authenticated`](crate::Store::mark_authenticated)).
    Reauthenticated {
        /// The session.
        id: PublicId,
        /// Its user.
        user_id: Option<String>,
    },
    /// A session was used from another client (IP address or browser) than before.
    ClientChanged {
        /// The session.
        id: PublicId,
        /// Its user, when known.
        user_id: Option<String>,
        /// The new IP address.
        ip: Option<IpAddr>,
        /// The new `User-Agent`.
        user_agent: Option<String>,
    },
    /// A session was ended.
    Ended {
        /// The session.
        id: PublicId,
        /// Its user, when known ([`Store::delete`](crate::Store::delete) reads the row for it
        /// only when something observes the events).
        user_id: Option<String>,
        /// Who ended it.
        by: EndedBy,
    },
    /// A batch of expired sessions was deleted
    /// ([`Store::purge_expired`](crate::Store::purge_expired)), after an [`Event::Ended`] for
    /// each of them it read ([`EndedBy::Expired`]).
    Purged {
        /// How many.
        count: u64,
    },
}

impl Event {
    /// The event's name, as in the `event` field of its `tracing` event.
    ///
    /// ```
    /// use user_sessions::events::Event;
    /// assert_eq!(Event::Purged { count: 3 }.name(), "purged");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::SignedIn { .. } => "signed_in",
            Event::Reauthenticated { .. } => "reauthenticated",
            Event::ClientChanged { .. } => "client_changed",
            Event::Ended { .. } => "ended",
            Event::Purged { .. } => "purged",
        }
    }

    /// Writes the event to `tracing`, with the field names listed in the [module](self)
    /// documentation.
    fn trace(&self) {
        const TARGET: &str = "user_sessions::events";
        let event = self.name();
        match self {
            Event::Created { id, user_id, ip } => tracing::info!(
                target: TARGET, event, session = %id, user = user_id.as_deref(),
                ip = ip.map(tracing::field::display), "session created"
            ),
            Event::SignedIn {
                id,
                user_id,
                ip,
                new_device,
                ..
            } => tracing::info!(
                target: TARGET, event, session = %id, user = user_id.as_str(),
                ip = ip.map(tracing::field::display), new_device, "user signed in"
            ),
            Event::Reauthenticated { id, user_id } => tracing::info!(
                target: TARGET, event, session = %id, user = user_id.as_deref(),
                "user confirmed their identity again"
            ),
            Event::ClientChanged {
                id, user_id, ip, ..
            } => tracing::info!(
                target: TARGET, event, session = %id, user = user_id.as_deref(),
                ip = ip.map(tracing::field::display), "session used from another client"
            ),
            Event::Ended { id, user_id, by } => {
                let staff = match by {
                    EndedBy::Admin { staff } => Some(staff.as_str()),
                    _ => None,
                };
                let by_session = match by {
                    EndedBy::OtherSession { session } => Some(tracing::field::display(session)),
                    _ => None,
                };
                if *by == EndedBy::Expired {
                    tracing::debug!(
                        target: TARGET, event, session = %id, user = user_id.as_deref(),
                        ended_by = by.name(), "expired session purged"
                    )
                } else {
                    tracing::info!(
                        target: TARGET, event, session = %id, user = user_id.as_deref(),
                        ended_by = by.name(), by_session, staff, "session ended"
                    )
                }
            }
            Event::Purged { count } => tracing::info!(
                target: TARGET, event, count, "expired sessions purged"
            ),
        }
    }
}

/// Who ended a session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndedBy {
    /// Its user, from the session itself (signing out) or by naming it.
    User,
    /// Its user, from another of their sessions ("sign out all other sessions").
    OtherSession {
        /// The session they acted from.
        session: PublicId,
    },
    /// A staff member, in the admin.
    Admin {
        /// The staff member's user id (the verified user of the admin's request).
        staff: String,
    },
    /// The user changed their password on another session.
    PasswordChange,
    /// The per-user [session limit](crate::SessionLimit): the user signed in elsewhere and
    /// this was their least recently active session.
    Limit,
    /// The session expired and [`Store::purge_expired`](crate::Store::purge_expired) deleted
    /// it.
    Expired,
    /// The application no longer accepts the session's user (deactivated or deleted): the
    /// authentication layer did not verify the user the session names, and the web layer
    /// ended the session on its next request.
    UserNotAccepted,
}

impl EndedBy {
    /// The reason's name, as in the `ended_by` field of the `tracing` event.
    ///
    /// ```
    /// use user_sessions::events::EndedBy;
    /// assert_eq!(EndedBy::PasswordChange.name(), "password_change");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            EndedBy::User => "user",
            EndedBy::OtherSession { .. } => "other_session",
            EndedBy::Admin { .. } => "admin",
            EndedBy::PasswordChange => "password_change",
            EndedBy::Limit => "limit",
            EndedBy::UserNotAccepted => "user_not_accepted",
            EndedBy::Expired => "expired",
        }
    }
}

/// Where a store's events go: every subscriber's queue, and `tracing`.
///
/// Shared by every clone of a [`Store`](crate::Store) (`store.events()`); a web layer
/// publishes the events it observes ([`Event::SignedIn`], [`Event::ClientChanged`]) here too.
#[derive(Debug, Default)]
pub struct Events {
    subscribers: RwLock<Vec<Subscriber>>,
    /// Whether there is any subscriber: publishing without one takes no lock.
    any: AtomicBool,
}

#[derive(Debug)]
struct Subscriber {
    sender: mpsc::Sender<Event>,
    dropped: Arc<AtomicU64>,
}

impl Events {
    /// Subscribes to every event published from now on, with a queue of `capacity` events
    /// (at least 1). Events that find the queue full are dropped for this subscriber and
    /// counted; the store never waits. Dropping the [`Subscription`] unsubscribes.
    pub fn subscribe(&self, capacity: usize) -> Subscription {
        let (sender, receiver) = mpsc::channel(capacity.max(1));
        let dropped = Arc::new(AtomicU64::new(0));
        let mut subscribers = self
            .subscribers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        subscribers.push(Subscriber {
            sender,
            dropped: Arc::clone(&dropped),
        });
        self.any.store(true, Ordering::Release);
        Subscription { receiver, dropped }
    }

    /// Whether anything would see an event published now: a subscriber, or a `tracing`
    /// subscriber that records target `user_sessions::events` at level `INFO`. Lets a caller
    /// skip the work of building an event nobody receives.
    ///
    /// ```
    /// let events = user_sessions::events::Events::default();
    /// let _subscription = events.subscribe(1);
    /// assert!(events.is_observed());
    /// ```
    pub fn is_observed(&self) -> bool {
        self.any.load(Ordering::Acquire)
            || tracing::enabled!(target: "user_sessions::events", tracing::Level::INFO)
    }

    /// Publishes an event: to `tracing`, and to every subscriber's queue that has room.
    /// Never waits and never fails.
    pub fn publish(&self, event: Event) {
        event.trace();
        if !self.any.load(Ordering::Acquire) {
            return;
        }
        let mut closed = false;
        {
            let subscribers = self
                .subscribers
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for subscriber in subscribers.iter() {
                match subscriber.sender.try_send(event.clone()) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(event)) => {
                        let dropped = subscriber.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                        // Logged at 1, 2, 4, 8, …: a stuck subscriber cannot flood the log.
                        if dropped.is_power_of_two() {
                            tracing::warn!(
                                target: "user_sessions::events",
                                dropped,
                                event = event.name(),
                                "a session event subscriber is not keeping up: events dropped"
                            );
                        }
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => closed = true,
                }
            }
        }
        if closed {
            let mut subscribers = self
                .subscribers
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            subscribers.retain(|subscriber| !subscriber.sender.is_closed());
            self.any.store(!subscribers.is_empty(), Ordering::Release);
        }
    }
}

/// One subscriber's queue of events ([`Events::subscribe`]).
///
/// Read it from a task of its own; a subscriber that falls behind loses events (counted in
/// [`dropped`](Self::dropped)), never slows the requests that published them.
#[derive(Debug)]
pub struct Subscription {
    receiver: mpsc::Receiver<Event>,
    dropped: Arc<AtomicU64>,
}

impl Subscription {
    /// The next event; `None` once the store and all its clones are gone.
    pub async fn recv(&mut self) -> Option<Event> {
        self.receiver.recv().await
    }

    /// The next event if one is queued, without waiting.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.receiver.try_recv().ok()
    }

    /// How many events this subscriber lost because its queue was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ended(n: u8) -> Event {
        Event::Ended {
            id: PublicId::from_secret(&[n]),
            user_id: None,
            by: EndedBy::User,
        }
    }

    #[test]
    fn a_full_queue_drops_and_counts_without_waiting() {
        let events = Events::default();
        let mut slow = events.subscribe(2);
        let mut fast = events.subscribe(16);
        for n in 0..5 {
            events.publish(ended(n));
        }
        assert_eq!(slow.dropped(), 3);
        assert_eq!(fast.dropped(), 0);
        assert_eq!(slow.try_recv(), Some(ended(0)));
        assert_eq!(slow.try_recv(), Some(ended(1)));
        assert_eq!(slow.try_recv(), None);
        for n in 0..5 {
            assert_eq!(fast.try_recv(), Some(ended(n)));
        }
    }

    #[test]
    fn a_dropped_subscription_unsubscribes() {
        let events = Events::default();
        let gone = events.subscribe(1);
        drop(gone);
        events.publish(ended(0));
        assert!(!events.any.load(Ordering::Acquire));
        let mut kept = events.subscribe(1);
        events.publish(ended(1));
        assert_eq!(kept.try_recv(), Some(ended(1)));
    }
}
