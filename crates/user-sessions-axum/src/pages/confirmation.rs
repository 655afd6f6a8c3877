//! [`Confirmation`]: what ending another session requires besides a valid form.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::BoxError;

type VerifyFuture = Pin<Box<dyn Future<Output = Result<bool, BoxError>> + Send>>;
pub(super) type VerifyFn = dyn Fn(String, String) -> VerifyFuture + Send + Sync;

/// What ending another session — one of the others, or all of them — requires besides a
/// valid form (re-authentication, as OWASP ASVS 3.3.4 asks). Ending the current session is
/// signing out and needs nothing.
///
/// The default is [`Confirmation::RecentAuthentication`] within
/// [`DEFAULT_WINDOW`](Confirmation::DEFAULT_WINDOW); an application that can check passwords
/// should prefer [`Confirmation::password`]. [`Confirmation::None`] is an explicit opt-out.
///
/// ```
/// use std::time::Duration;
/// use user_sessions_axum::pages::Confirmation;
///
/// // The application checks the password against its user store.
/// let by_password = Confirmation::password(|user_id: String, password: String| async move {
///     Ok::<_, std::convert::Infallible>(user_id == "42" && password == "correct horse")
/// });
/// // Or: only within 10 minutes of signing in.
/// let recent = Confirmation::recent_authentication(Duration::from_secs(600));
/// assert_eq!(Confirmation::default().name(), "recent_authentication");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Confirmation {
    /// Nothing besides the CSRF-checked form: whoever holds a stolen session can end all the
    /// owner's other sessions, the owner's own included. An opt-out, for applications that
    /// confirm in some other way.
    None,
    /// The user re-enters their password; the application's verifier checks it. A session
    /// may send 5 wrong passwords within 15 minutes; the fifth ends that session (signed out,
    /// `401` for JSON), so that a stolen session cannot be used to guess the password — and
    /// the owner, on their own sessions, is never locked out. The count is kept per app
    /// server.
    Password(Arc<VerifyFn>),
    /// The user must have signed in on this session within the window (its
    /// `authenticated_at`); otherwise they are asked to sign in again, at the login URL with
    /// `?next=` back to the list (see [`PagesBuilder::reauthenticate_url`](super::PagesBuilder::reauthenticate_url)).
    RecentAuthentication(Duration),
}

impl Default for Confirmation {
    /// A sign-in within [`DEFAULT_WINDOW`](Confirmation::DEFAULT_WINDOW).
    fn default() -> Self {
        Confirmation::RecentAuthentication(Confirmation::DEFAULT_WINDOW)
    }
}

impl Confirmation {
    /// The window of the default confirmation: 15 minutes.
    pub const DEFAULT_WINDOW: Duration = Duration::from_secs(15 * 60);

    /// Password re-entry, checked by `verify(user_id, password)` (with a limit on wrong
    /// passwords, see [`Confirmation::Password`]).
    pub fn password<F, Fut, E>(verify: F) -> Self
    where
        F: Fn(String, String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let verify = Arc::new(verify);
        Confirmation::Password(Arc::new(move |user, password| {
            let verify = verify.clone();
            Box::pin(async move { verify(user, password).await.map_err(Into::into) })
        }))
    }

    /// A recent sign-in, within `window`.
    pub fn recent_authentication(window: Duration) -> Self {
        Confirmation::RecentAuthentication(window)
    }

    /// The name JSON clients see: `none`, `password`, `recent_authentication`.
    pub fn name(&self) -> &'static str {
        match self {
            Confirmation::None => "none",
            Confirmation::Password(_) => "password",
            Confirmation::RecentAuthentication(_) => "recent_authentication",
        }
    }
}

impl fmt::Debug for Confirmation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Confirmation::None => f.write_str("None"),
            Confirmation::Password(_) => f.write_str("Password(..)"),
            Confirmation::RecentAuthentication(window) => {
                f.debug_tuple("RecentAuthentication").field(window).finish()
            }
        }
    }
}
