//! [`UserDirectory`]: how the pages and the admin learn about the application's users.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use super::BoxError;

/// The application's users, as the admin needs them: names to show for the user ids on a
/// page, and the ids of the users a search matches. The account pages, given one
/// ([`PagesBuilder::user_directory`](super::PagesBuilder::user_directory)), name the signed-in
/// user in their header with it.
///
/// Implement it over the application's user table. Both calls are async and may fail (the
/// admin's list then answers `503` when the error says the backend is unavailable, else `500`;
/// a failed name lookup only shows ids).
///
/// ```
/// use std::collections::HashMap;
/// use user_sessions_axum::pages::UserDirectory;
/// use user_sessions_axum::pages::BoxError;
///
/// struct Account { id: i64, username: String, name: String, email: String }
/// struct Accounts(Vec<Account>);
///
/// impl UserDirectory for Accounts {
///     async fn display_names(&self, ids: &[String]) -> Result<HashMap<String, String>, BoxError> {
///         // In SQL: SELECT id, name FROM users WHERE id IN (…)
///         Ok(self.0.iter()
///             .filter(|a| ids.contains(&a.id.to_string()))
///             .map(|a| (a.id.to_string(), format!("{} ({})", a.name, a.username)))
///             .collect())
///     }
///
///     async fn search(&self, text: &str) -> Result<Vec<String>, BoxError> {
///         // In SQL: … WHERE username = ? OR name LIKE ? OR email LIKE ?
///         let text = text.to_lowercase();
///         Ok(self.0.iter()
///             .filter(|a| a.username.to_lowercase() == text
///                 || a.name.to_lowercase().contains(&text)
///                 || a.email.to_lowercase().contains(&text))
///             .map(|a| a.id.to_string())
///             .collect())
///     }
/// }
/// ```
pub trait UserDirectory: Send + Sync + 'static {
    /// The names to show for these user ids (a page's worth, each id once). Ids left out of
    /// the map are shown as they are.
    fn display_names(
        &self,
        user_ids: &[String],
    ) -> impl Future<Output = Result<HashMap<String, String>, BoxError>> + Send;

    /// The ids of the users that `text` finds (by username, name, email — as the application
    /// sees fit). Only their sessions are listed; none when the result is empty.
    fn search(&self, text: &str) -> impl Future<Output = Result<Vec<String>, BoxError>> + Send;
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// [`UserDirectory`] behind a pointer.
pub(crate) trait Directory: Send + Sync {
    fn display_names<'a>(
        &'a self,
        user_ids: &'a [String],
    ) -> BoxFuture<'a, Result<HashMap<String, String>, BoxError>>;

    #[cfg_attr(not(feature = "admin"), allow(dead_code))]
    fn search<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<Vec<String>, BoxError>>;
}

impl<D: UserDirectory> Directory for D {
    fn display_names<'a>(
        &'a self,
        user_ids: &'a [String],
    ) -> BoxFuture<'a, Result<HashMap<String, String>, BoxError>> {
        Box::pin(UserDirectory::display_names(self, user_ids))
    }

    fn search<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<Vec<String>, BoxError>> {
        Box::pin(UserDirectory::search(self, text))
    }
}
