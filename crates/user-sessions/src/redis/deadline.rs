//! The timeout of Redis commands, kept by one periodic sweep instead of a timer per command.
//!
//! A timer per command (what the client's own command timeout does) puts an entry into the
//! runtime's timer wheel and takes it out again on every command, which costs about as much
//! as decoding a session. Here a command notes the tick it started at — a counter, no clock
//! read — and, while it waits, its waker; a task advances the counter every quarter of the
//! timeout and wakes the commands that have waited longer than a timeout, which then fail. A
//! command therefore fails between one and one and a quarter timeouts after it started.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use fred::prelude::Error as RedisError;

use crate::Error;

/// Ticks of the sweep per timeout.
const TICKS_PER_TIMEOUT: u64 = 4;

/// The timeout every command of one backend runs under.
#[derive(Debug)]
pub(super) struct Deadlines {
    timeout: Duration,
    /// `None` when commands have no timeout (a zero timeout).
    shared: Option<Arc<Shared>>,
}

#[derive(Debug, Default)]
struct Shared {
    /// Sweeps so far.
    tick: AtomicU64,
    waiting: Mutex<Waiting>,
}

/// The commands waiting for an answer, in slots that are reused.
#[derive(Debug, Default)]
struct Waiting {
    slots: Vec<Option<Waiter>>,
    free: Vec<usize>,
}

#[derive(Debug)]
struct Waiter {
    started: u64,
    waker: Waker,
    expired: bool,
}

impl Deadlines {
    /// Starts the sweep for `timeout` on the current Tokio runtime; a zero timeout sets none.
    /// The sweep ends when these deadlines are dropped.
    pub(super) fn start(timeout: Duration) -> Self {
        if timeout.is_zero() {
            return Deadlines {
                timeout,
                shared: None,
            };
        }
        let shared = Arc::new(Shared::default());
        let period = (timeout / TICKS_PER_TIMEOUT as u32).max(Duration::from_millis(1));
        tokio::spawn(sweep(Arc::downgrade(&shared), period));
        Deadlines {
            timeout,
            shared: Some(shared),
        }
    }

    /// A Redis command under the timeout, failing with this crate's errors. (A future of its
    /// own, not an `async fn`: the client's command futures are large, and an `async fn` would
    /// hold a second copy of each.)
    pub(super) fn run<T, F>(&self, command: F) -> Command<'_, F>
    where
        F: Future<Output = Result<T, RedisError>>,
    {
        Command {
            bounded: self.bound(command),
        }
    }

    /// `command`, failing with [`Error::Unavailable`] if it has not finished within the
    /// timeout; its own output as it is.
    pub(super) fn bound<F: Future>(&self, command: F) -> Bounded<'_, F> {
        let started = self
            .shared
            .as_ref()
            .map_or(0, |shared| shared.tick.load(Ordering::Relaxed));
        Bounded {
            command,
            deadlines: self,
            started,
            slot: None,
        }
    }
}

async fn sweep(shared: Weak<Shared>, period: Duration) {
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        shared.sweep();
    }
}

impl Shared {
    /// The waiting commands; a panic elsewhere while they were locked leaves them usable.
    fn waiting(&self) -> MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Advances the tick and wakes the commands that have now waited longer than a timeout.
    fn sweep(&self) {
        let now = self.tick.fetch_add(1, Ordering::Relaxed) + 1;
        for waiter in self.waiting().slots.iter_mut().flatten() {
            // More than a timeout's worth of ticks: a command noted the tick just before it
            // advanced, so four ticks may be only a little more than three periods.
            if !waiter.expired && now - waiter.started > TICKS_PER_TIMEOUT {
                waiter.expired = true;
                waiter.waker.wake_by_ref();
            }
        }
    }

    fn register(&self, started: u64, waker: &Waker) -> usize {
        let waiter = Waiter {
            started,
            waker: waker.clone(),
            expired: false,
        };
        let mut waiting = self.waiting();
        match waiting.free.pop() {
            Some(slot) => {
                waiting.slots[slot] = Some(waiter);
                slot
            }
            None => {
                waiting.slots.push(Some(waiter));
                waiting.slots.len() - 1
            }
        }
    }

    /// Whether the command in `slot` has expired; if not, notes the waker to wake.
    fn expired(&self, slot: usize, waker: &Waker) -> bool {
        let mut waiting = self.waiting();
        match waiting.slots.get_mut(slot).and_then(Option::as_mut) {
            Some(waiter) if waiter.expired => true,
            Some(waiter) => {
                if !waiter.waker.will_wake(waker) {
                    waiter.waker.clone_from(waker);
                }
                false
            }
            None => false,
        }
    }

    fn release(&self, slot: usize) {
        let mut waiting = self.waiting();
        if let Some(entry) = waiting.slots.get_mut(slot) {
            *entry = None;
            waiting.free.push(slot);
        }
    }
}

pin_project_lite::pin_project! {
    /// A command under the timeout (see [`Deadlines::bound`]).
    pub(super) struct Bounded<'a, F> {
        #[pin]
        command: F,
        deadlines: &'a Deadlines,
        started: u64,
        // Where the command waits, once it has.
        slot: Option<usize>,
    }

    impl<F> PinnedDrop for Bounded<'_, F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if let (Some(shared), Some(slot)) = (&this.deadlines.shared, this.slot.take()) {
                shared.release(slot);
            }
        }
    }
}

impl<F: Future> Future for Bounded<'_, F> {
    type Output = Result<F::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let deadlines: &Deadlines = this.deadlines;
        if let Poll::Ready(output) = this.command.poll(cx) {
            if let (Some(shared), Some(slot)) = (&deadlines.shared, this.slot.take()) {
                shared.release(slot);
            }
            return Poll::Ready(Ok(output));
        }
        let Some(shared) = &deadlines.shared else {
            return Poll::Pending;
        };
        match *this.slot {
            None => *this.slot = Some(shared.register(*this.started, cx.waker())),
            Some(slot) => {
                if shared.expired(slot, cx.waker()) {
                    this.slot.take();
                    shared.release(slot);
                    return Poll::Ready(Err(Error::Unavailable(
                        format!("Redis did not answer within {:?}", deadlines.timeout).into(),
                    )));
                }
            }
        }
        Poll::Pending
    }
}

pin_project_lite::pin_project! {
    /// A Redis command under the timeout (see [`Deadlines::run`]).
    pub(super) struct Command<'a, F> {
        #[pin]
        bounded: Bounded<'a, F>,
    }
}

impl<T, F: Future<Output = Result<T, RedisError>>> Future for Command<'_, F> {
    type Output = crate::Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project()
            .bounded
            .poll(cx)
            .map(|result| result?.map_err(super::map_error))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[tokio::test]
    async fn a_command_that_answers_in_time_is_left_alone() {
        let deadlines = Deadlines::start(Duration::from_millis(200));
        let answer = deadlines.bound(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            7
        });
        assert!(matches!(answer.await, Ok(7)));
        let shared = deadlines.shared.as_ref().unwrap();
        let waiting = shared.waiting();
        assert!(waiting.slots.iter().all(Option::is_none));
        assert_eq!(waiting.free, vec![0]);
    }

    #[tokio::test]
    async fn a_command_that_does_not_answer_expires_after_the_timeout() {
        let timeout = Duration::from_millis(100);
        let deadlines = Deadlines::start(timeout);
        let started = Instant::now();
        let never = deadlines.bound(std::future::pending::<()>());
        assert!(matches!(never.await, Err(Error::Unavailable(_))));
        let waited = started.elapsed();
        assert!(waited >= timeout, "{waited:?}");
        // Its slot is free again.
        assert!(deadlines.shared.as_ref().unwrap().waiting().slots[0].is_none());
    }

    #[tokio::test]
    async fn dropping_a_waiting_command_frees_its_slot() {
        let deadlines = Deadlines::start(Duration::from_secs(60));
        let waiting = tokio::time::timeout(
            Duration::from_millis(10),
            deadlines.bound(std::future::pending::<()>()),
        );
        assert!(waiting.await.is_err());
        let shared = deadlines.shared.as_ref().unwrap();
        assert!(shared.waiting().slots.iter().all(Option::is_none));
    }

    #[tokio::test]
    async fn a_zero_timeout_sets_none() {
        let deadlines = Deadlines::start(Duration::ZERO);
        let answer = tokio::time::timeout(
            Duration::from_millis(50),
            deadlines.bound(std::future::pending::<()>()),
        );
        assert!(
            answer.await.is_err(),
            "no timeout, so only the outer one ends it"
        );
    }

    #[tokio::test]
    async fn the_sweep_ends_with_its_deadlines() {
        let deadlines = Deadlines::start(Duration::from_millis(4));
        let shared = Arc::downgrade(deadlines.shared.as_ref().unwrap());
        drop(deadlines);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(shared.upgrade().is_none());
    }
}
