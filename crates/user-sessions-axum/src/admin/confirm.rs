//! The second step of the admin's bulk actions: a page that says what will happen, with
//! counts, and asks again ("End 3 selected sessions?"). Forms come here first; the page's
//! own form sends `confirmed=yes` with the same fields. Scripts (JSON) act at once.

use minijinja::{Value, context};

/// What is about to happen, for the confirmation page.
pub(super) struct Pending<'a> {
    /// The message key of the question (`admin-confirm-end-selected`, …).
    pub question: &'static str,
    /// The message key of the button.
    pub button: &'static str,
    /// How many sessions it touches.
    pub count: u64,
    /// Whose sessions, for ending all of a user's (the display name).
    pub user_name: Option<String>,
    /// Where the confirmed form goes.
    pub action_url: String,
    /// The fields the confirmed form sends again (the selected ids, the user, `next`).
    pub fields: Vec<(&'a str, String)>,
    /// Where "Cancel" leads: the list as it was.
    pub back_url: String,
}

impl Pending<'_> {
    /// The template context of `user_sessions/admin_confirm.html`.
    pub(super) fn context(&self, csrf_field: &str, csrf_token: &str) -> Value {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|(name, value)| context! { name, value })
            .collect();
        context! {
            question => self.question,
            button => self.button,
            count => self.count,
            user_name => self.user_name,
            action_url => self.action_url,
            fields,
            back_url => self.back_url,
            csrf_field,
            csrf_token,
        }
    }
}
