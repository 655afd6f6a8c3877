//! A limit on wrong passwords for "end all other sessions" (see
//! [`Confirmation::password`](super::Confirmation::password)).
//!
//! Whoever holds a stolen session could otherwise use the confirmation to guess the user's
//! password, as fast as the server answers. Each user may send [`MAX_WRONG`] wrong passwords
//! within [`WINDOW`] of the first; after that the pages refuse to check any more (`429`) until
//! the window has passed. A right password clears the count. An attempt is counted *before*
//! the password is checked, so that requests sent at once cannot all slip under the limit.
//!
//! The count is kept in the memory of one app server: with several, a user may send that
//! many wrong passwords to each of them. It is counted per user, not per session: a thief
//! with several of the user's sessions gets no more tries. The price is that a thief can use
//! up the user's tries; meanwhile the user can still end sessions one by one, which needs no
//! password.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Wrong passwords a user may send within [`WINDOW`].
pub(crate) const MAX_WRONG: u32 = 5;
/// How long wrong passwords count, from the first of them.
pub(crate) const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Users tracked at once; when full, the ones whose window has passed make room, and if none
/// has, the new user is refused like one over the limit (a flood of users cannot reset
/// anyone's count).
const CAPACITY: usize = 10_000;

/// The wrong passwords of each user, in their current window.
#[derive(Debug, Default)]
pub(crate) struct PasswordAttempts {
    users: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    /// Attempts counted in this window (checks still running included).
    attempts: u32,
}

impl PasswordAttempts {
    /// Counts an attempt of `user`'s before its password is checked: `Ok` when it may be
    /// checked, `Err(wait)` when the user is over the limit for `wait` more.
    pub(crate) fn begin(&self, user: &str, now: Instant) -> Result<(), Duration> {
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        let current = users
            .get_mut(user)
            .filter(|window| now.duration_since(window.started) < WINDOW);
        if let Some(window) = current {
            if window.attempts >= MAX_WRONG {
                return Err(WINDOW.saturating_sub(now.duration_since(window.started)));
            }
            window.attempts += 1;
            return Ok(());
        }
        if users.len() >= CAPACITY && !users.contains_key(user) {
            users.retain(|_, window| now.duration_since(window.started) < WINDOW);
            if users.len() >= CAPACITY {
                return Err(WINDOW);
            }
        }
        users.insert(
            user.to_owned(),
            Window {
                started: now,
                attempts: 1,
            },
        );
        Ok(())
    }

    /// The password of `user` was right: their count starts afresh.
    pub(crate) fn succeeded(&self, user: &str) {
        self.users
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_a_limited_number_of_tries_per_window() {
        let attempts = PasswordAttempts::default();
        let start = Instant::now();
        for _ in 0..MAX_WRONG {
            assert_eq!(attempts.begin("bob", start), Ok(()));
        }
        let later = start + Duration::from_secs(60);
        assert_eq!(
            attempts.begin("bob", later),
            Err(WINDOW - Duration::from_secs(60))
        );
        // Others are not affected.
        assert_eq!(attempts.begin("alice", later), Ok(()));
        // Once the window has passed, bob may try again.
        assert_eq!(attempts.begin("bob", start + WINDOW), Ok(()));
    }

    #[test]
    fn a_right_password_clears_the_count() {
        let attempts = PasswordAttempts::default();
        let now = Instant::now();
        for _ in 0..MAX_WRONG {
            assert_eq!(attempts.begin("bob", now), Ok(()));
        }
        attempts.succeeded("bob");
        assert_eq!(attempts.begin("bob", now), Ok(()));
    }

    #[test]
    fn a_full_table_refuses_newcomers_rather_than_forget_anyone() {
        let attempts = PasswordAttempts::default();
        let now = Instant::now();
        for user in 0..CAPACITY {
            assert_eq!(attempts.begin(&user.to_string(), now), Ok(()));
        }
        assert_eq!(attempts.begin("bob", now), Err(WINDOW));
        // Known users keep their count.
        assert_eq!(attempts.begin("0", now), Ok(()));
        // Once the windows have passed, there is room again.
        assert_eq!(attempts.begin("bob", now + WINDOW), Ok(()));
    }
}
