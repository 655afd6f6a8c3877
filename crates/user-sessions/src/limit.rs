//! The per-user session limit: how many live sessions one user may have at once, and what a
//! sign-in beyond that does. Set it with [`Store::with_session_limit`](crate::Store::with_session_limit).
//!
//! The limit is applied where a session gains a user (a sign-in), in the same atomic step that
//! writes the session, on every backend: two sign-ins racing never leave more live sessions
//! than the limit allows.

use crate::PublicId;

/// How many live sessions one user may have at once. Off unless set on the
/// [`Store`](crate::Store).
///
/// The default policy ends the user's least recently active sessions to make room for a new
/// sign-in (each reported as ended by [`EndedBy::Limit`](crate::events::EndedBy::Limit));
/// [`refusing`](Self::refusing) refuses the sign-in instead, with
/// [`Error::SessionLimitReached`](crate::Error::SessionLimitReached).
///
/// ```
/// use user_sessions::{SessionLimit, WhenFull};
///
/// let limit = SessionLimit::new(10);
/// assert_eq!((limit.max(), limit.policy()), (10, WhenFull::EndLeastRecentlyActive));
/// let strict = SessionLimit::new(3).refusing();
/// assert_eq!(strict.policy(), WhenFull::RefuseSignIn);
/// assert_eq!(SessionLimit::new(3).when_full(WhenFull::RefuseSignIn), strict);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimit {
    max: u32,
    when_full: WhenFull,
}

/// What a sign-in does when its user already has as many live sessions as the
/// [`SessionLimit`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WhenFull {
    /// End the user's least recently active sessions, so that the new one fits (the default).
    #[default]
    EndLeastRecentlyActive,
    /// Refuse the sign-in, writing nothing: the user must sign out elsewhere first.
    RefuseSignIn,
}

impl SessionLimit {
    /// At most `max` live sessions per user (at least 1), ending the least recently active
    /// when a sign-in needs room.
    pub fn new(max: u32) -> Self {
        SessionLimit {
            max: max.max(1),
            when_full: WhenFull::default(),
        }
    }

    /// The same limit, refusing a sign-in beyond it instead of ending older sessions.
    pub fn refusing(self) -> Self {
        self.when_full(WhenFull::RefuseSignIn)
    }

    /// The same limit with policy `when_full`.
    pub fn when_full(self, when_full: WhenFull) -> Self {
        SessionLimit { when_full, ..self }
    }

    /// How many live sessions one user may have.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// What a sign-in beyond the limit does.
    pub fn policy(&self) -> WhenFull {
        self.when_full
    }

    /// Which of the user's other live sessions — `others`, most recently active first — a
    /// sign-in ends so that it fits; `None` when the sign-in is refused. Every backend decides
    /// with this (the Redis script follows the same rule).
    ///
    /// ```
    /// use user_sessions::{PublicId, SessionLimit};
    ///
    /// let others: Vec<PublicId> = (0..3u8).map(|n| PublicId::from_secret(&[n])).collect();
    /// // Room for the new session and one other: the two least recently active end.
    /// assert_eq!(SessionLimit::new(2).to_end(&others), Some(&others[1..]));
    /// assert_eq!(SessionLimit::new(4).to_end(&others), Some(&[][..]));
    /// assert_eq!(SessionLimit::new(3).refusing().to_end(&others), None);
    /// ```
    pub fn to_end<'a>(&self, others: &'a [PublicId]) -> Option<&'a [PublicId]> {
        let keep = self.max as usize - 1;
        if others.len() <= keep {
            return Some(&[]);
        }
        match self.when_full {
            WhenFull::EndLeastRecentlyActive => Some(&others[keep..]),
            WhenFull::RefuseSignIn => None,
        }
    }
}

/// How a sign-in writes its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInWrite {
    /// As [`Backend::create`](crate::Backend::create): nothing is written when a live session
    /// has its id.
    Create,
    /// As [`Backend::update`](crate::Backend::update): nothing is written when no session has
    /// its id.
    Update,
}

/// What [`Backend::sign_in`](crate::Backend::sign_in) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// The session was written; these of the user's sessions were ended to make room.
    Written {
        /// The sessions ended, least recently active last.
        ended: Vec<PublicId>,
    },
    /// Nothing was written: a create found a live session with the id, or an update found none.
    NotWritten,
    /// The user has as many live sessions as the limit allows and the policy refuses: nothing
    /// was written.
    Refused,
}
