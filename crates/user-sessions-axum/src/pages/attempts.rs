//! A limit on wrong passwords: per session for the confirmation of the account pages (see
//! [`Confirmation::password`](super::Confirmation::password)), per account for an
//! application's sign-in form.
//!
//! An attempt is counted *before* its password is checked, so that requests sent at once
//! cannot all slip under the limit; a right password clears the count. The count is kept in
//! the memory of one app server: with several, each counts on its own.
//!
//! The table is bounded and never refuses anyone for want of room: when it is full, entries
//! whose window has passed go first, then the oldest. A flood of new keys can therefore make
//! the limiter forget an old count — it never turns into a denial of service for keys that
//! have no failures.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Counts wrong passwords per key (a session, an account) within a window.
///
/// ```
/// use std::time::Duration;
/// use user_sessions_axum::pages::WrongPasswords;
///
/// let limiter = WrongPasswords::new(3, Duration::from_secs(15 * 60));
/// // Before checking a password for "bob": how many tries are left after this one.
/// assert_eq!(limiter.attempt("bob"), Ok(2));
/// assert_eq!(limiter.attempt("bob"), Ok(1));
/// assert_eq!(limiter.attempt("bob"), Ok(0));
/// // A fourth within the window is refused, with how long to wait.
/// let wait = limiter.attempt("bob").unwrap_err();
/// assert!(wait <= Duration::from_secs(15 * 60));
/// // Others are not affected; a right password clears the count.
/// assert_eq!(limiter.attempt("alice"), Ok(2));
/// limiter.succeeded("bob");
/// assert_eq!(limiter.attempt("bob"), Ok(2));
/// ```
#[derive(Debug)]
pub struct WrongPasswords {
    limit: u32,
    window: Duration,
    capacity: usize,
    keys: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    /// Attempts counted in this window (checks still running included).
    attempts: u32,
}

impl WrongPasswords {
    /// Keys tracked at once unless [`WrongPasswords::capacity`] says otherwise.
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// At most `limit` attempts per key within `window` of its first (a `limit` of 0 counts
    /// as 1), for up to [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY) keys
    /// at once.
    pub fn new(limit: u32, window: Duration) -> Self {
        WrongPasswords {
            limit: limit.max(1),
            window,
            capacity: Self::DEFAULT_CAPACITY,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Tracks up to `capacity` keys at once (at least 1); when full, the oldest make room.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// Counts an attempt for `key` before its password is checked: `Ok(left)` when it may be
    /// checked, with the attempts left after this one; `Err(wait)` when the key has used up
    /// its attempts, for `wait` more.
    pub fn attempt(&self, key: &str) -> Result<u32, Duration> {
        self.attempt_at(key, Instant::now())
    }

    /// The password for `key` was right: its count starts afresh.
    pub fn succeeded(&self, key: &str) {
        self.keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }

    fn attempt_at(&self, key: &str, now: Instant) -> Result<u32, Duration> {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let current = keys
            .get_mut(key)
            .filter(|window| now.duration_since(window.started) < self.window);
        if let Some(window) = current {
            if window.attempts >= self.limit {
                return Err(self
                    .window
                    .saturating_sub(now.duration_since(window.started)));
            }
            window.attempts += 1;
            return Ok(self.limit - window.attempts);
        }
        if keys.len() >= self.capacity && !keys.contains_key(key) {
            keys.retain(|_, window| now.duration_since(window.started) < self.window);
            while keys.len() >= self.capacity {
                let oldest = keys
                    .iter()
                    .min_by_key(|(_, window)| window.started)
                    .map(|(key, _)| key.clone());
                match oldest {
                    Some(oldest) => keys.remove(&oldest),
                    None => break,
                };
            }
        }
        keys.insert(
            key.to_owned(),
            Window {
                started: now,
                attempts: 1,
            },
        );
        Ok(self.limit - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(15 * 60);

    #[test]
    fn a_key_gets_a_limited_number_of_tries_per_window() {
        let limiter = WrongPasswords::new(5, WINDOW);
        let start = Instant::now();
        for left in (0..5).rev() {
            assert_eq!(limiter.attempt_at("bob", start), Ok(left));
        }
        let later = start + Duration::from_secs(60);
        assert_eq!(
            limiter.attempt_at("bob", later),
            Err(WINDOW - Duration::from_secs(60))
        );
        // Others are not affected.
        assert_eq!(limiter.attempt_at("alice", later), Ok(4));
        // Once the window has passed, bob may try again.
        assert_eq!(limiter.attempt_at("bob", start + WINDOW), Ok(4));
    }

    #[test]
    fn a_right_password_clears_the_count() {
        let limiter = WrongPasswords::new(5, WINDOW);
        let now = Instant::now();
        for _ in 0..5 {
            assert!(limiter.attempt_at("bob", now).is_ok());
        }
        limiter.succeeded("bob");
        assert_eq!(limiter.attempt_at("bob", now), Ok(4));
    }

    /// 10 000 keys that each tried once fill the table; a new key still gets checked, and the
    /// oldest entry made room for it.
    #[test]
    fn a_full_table_evicts_the_oldest_rather_than_refuse_anyone() {
        let limiter = WrongPasswords::new(5, WINDOW);
        let start = Instant::now();
        for user in 0..WrongPasswords::DEFAULT_CAPACITY {
            let at = start + Duration::from_millis(user as u64);
            assert_eq!(limiter.attempt_at(&user.to_string(), at), Ok(4));
        }
        let now = start + Duration::from_secs(20);
        assert_eq!(limiter.attempt_at("fresh", now), Ok(4));
        let keys = limiter.keys.lock().unwrap();
        assert_eq!(keys.len(), WrongPasswords::DEFAULT_CAPACITY);
        assert!(!keys.contains_key("0"), "the oldest made room");
        assert!(keys.contains_key("1"));
        drop(keys);
        // A key over its limit keeps its count while the table churns.
        for _ in 0..5 {
            assert!(limiter.attempt_at("bob", now).is_ok());
        }
        assert!(limiter.attempt_at("bob", now).is_err());
        for user in 0..10 {
            assert!(limiter.attempt_at(&format!("new {user}"), now).is_ok());
        }
        assert!(limiter.attempt_at("bob", now).is_err());
    }
}
