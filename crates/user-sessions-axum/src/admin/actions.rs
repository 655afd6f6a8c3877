//! The admin's actions: end the selected sessions, every session of a user, one session, or
//! purge the expired ones — a form first asks to confirm (see `confirm`), scripts act at once.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use user_sessions::events::EndedBy;
use user_sessions::{PublicId, Store};

use super::confirm::Pending;
use super::{Admin, display_names, staff};
use crate::pages::{
    CSRF_FIELD, Ended, Failure, Fields, Flash, FormOrJson, Visit, csrf_token, safe_next,
};

/// The fields an action may send, as a form (`id` repeated) or JSON (`ids`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Submitted {
    #[serde(default, rename = "csrf_token")]
    token: Option<String>,
    #[serde(default)]
    ids: Vec<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    next: Option<String>,
    /// The form of the confirmation page says yes (scripts never need to).
    #[serde(skip)]
    confirmed: bool,
}

impl Fields for Submitted {
    /// A token and a page's worth of ids fit many times.
    const MAX_BODY: usize = 256 * 1024;

    /// A form names each selected session in an `id` field of its own; every other field
    /// comes once, as in JSON.
    fn from_form(bytes: &[u8]) -> Result<Self, serde_urlencoded::de::Error> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)?;
        let mut submitted = Submitted::default();
        let mut confirmed = None;
        for (name, value) in pairs {
            match name.as_str() {
                "csrf_token" => once(&mut submitted.token, &name, value)?,
                "id" | "ids" => submitted.ids.push(value),
                // "Select all": every id of the page in one field.
                "ids_on_page" => submitted
                    .ids
                    .extend(value.split_whitespace().map(str::to_owned)),
                "user" => once(&mut submitted.user, &name, value)?,
                "next" => once(&mut submitted.next, &name, value)?,
                "confirmed" => once(&mut confirmed, &name, value)?,
                _ => {}
            }
        }
        submitted.confirmed = confirmed.as_deref() == Some("yes");
        Ok(submitted)
    }
}

/// Fills `slot` with the value of field `name`, which may come only once.
fn once(
    slot: &mut Option<String>,
    name: &str,
    value: String,
) -> Result<(), serde_urlencoded::de::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::custom(format_args!(
            "duplicate field `{name}`"
        )));
    }
    *slot = Some(value);
    Ok(())
}

/// Parses a body as the admin's actions do (for the fuzz targets): whether it was accepted.
#[cfg(fuzzing)]
pub(crate) fn parse_body(content_type: &str, bytes: &[u8]) -> bool {
    crate::pages::parse_fields::<Submitted>(content_type, bytes).is_ok()
}

/// What an action does.
enum Action {
    EndSelected,
    EndUser,
    Purge,
    EndOne(String),
}

/// `POST {path}/end/`: ends the selected sessions.
pub(super) async fn end_selected(
    State(admin): State<Admin>,
    visit: Visit,
    FormOrJson(submitted): FormOrJson<Submitted>,
) -> Result<Response, Failure> {
    act(&admin, &visit, submitted, Action::EndSelected).await
}

/// `POST {path}/end-user/`: ends every session of a user.
pub(super) async fn end_user(
    State(admin): State<Admin>,
    visit: Visit,
    FormOrJson(submitted): FormOrJson<Submitted>,
) -> Result<Response, Failure> {
    act(&admin, &visit, submitted, Action::EndUser).await
}

/// `POST {path}/purge/`: deletes every expired session.
pub(super) async fn purge(
    State(admin): State<Admin>,
    visit: Visit,
    FormOrJson(submitted): FormOrJson<Submitted>,
) -> Result<Response, Failure> {
    act(&admin, &visit, submitted, Action::Purge).await
}

/// `POST`/`DELETE {path}/{public_id}/delete/`: ends one session.
pub(super) async fn end_one(
    State(admin): State<Admin>,
    visit: Visit,
    Path(public_id): Path<String>,
    FormOrJson(submitted): FormOrJson<Submitted>,
) -> Result<Response, Failure> {
    act(&admin, &visit, submitted, Action::EndOne(public_id)).await
}

async fn act(
    admin: &Admin,
    visit: &Visit,
    submitted: Submitted,
    action: Action,
) -> Result<Response, Failure> {
    let pages = visit.pages();
    visit.check_csrf(submitted.token.as_deref()).await?;
    let session = visit.session()?;
    let (sessions, me) = staff(visit).await?;
    // Every session ended here is reported as ended by this staff member.
    let store = &sessions
        .store()
        .ending_as(EndedBy::Admin { staff: me.clone() });
    let list_url = admin.list_url();
    // Back to the list as it was (its filters), never anywhere else.
    let back = submitted
        .next
        .clone()
        .filter(|next| next.starts_with(&list_url) && safe_next(next).is_some())
        .unwrap_or(list_url);
    if !visit.json && !submitted.confirmed {
        if let Some(pending) = pending(admin, store, &submitted, &action, &back).await? {
            let token = csrf_token(session).await?;
            return Ok(visit
                .page(
                    &me,
                    "user_sessions/admin_confirm.html",
                    pending.context(CSRF_FIELD, &token),
                )
                .await);
        }
    }
    let current = sessions.current_public_id();
    let (ended, logged_out, what) = match action {
        Action::EndSelected => {
            let mut ids = submitted
                .ids
                .iter()
                .map(|id| id.trim().parse::<PublicId>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| Failure::BadRequest("a selected id is not a public id".into()))?;
            // "Select all" and a row's own box may name a session twice.
            ids.sort_unstable();
            ids.dedup();
            let ended = store.delete_many(&ids).await?;
            let mine = current.is_some_and(|c| ids.contains(&c));
            let what = if ids.is_empty() {
                "admin-nothing-selected"
            } else {
                "admin-ended"
            };
            (ended, mine, what)
        }
        Action::EndUser => {
            let user = submitted
                .user
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .ok_or_else(|| Failure::BadRequest("no user".into()))?;
            let ended = store.end_all_user_sessions(user).await?;
            (ended, user == me && current.is_some(), "admin-ended")
        }
        Action::Purge => (store.purge_expired().await?, false, "admin-ended"),
        Action::EndOne(public_id) => {
            let id: PublicId = public_id.parse().map_err(|_| Failure::NotFound)?;
            if !store.delete(&id).await? {
                return Err(Failure::NotFound);
            }
            (1, current == Some(id), "admin-ended")
        }
    };
    tracing::info!(ended, staff = %me, "session admin: sessions ended");
    if logged_out {
        // The staff member's own session was among them: sign out for good (otherwise the
        // next save would write it again).
        session.flush().await?;
    }
    if visit.json {
        return Ok(visit.json_ok(&Ended {
            ended,
            logged_out,
            redirect: logged_out.then(|| pages.logout_url().to_owned()),
        }));
    }
    if logged_out {
        return Ok(visit.redirect(pages.logout_url()));
    }
    visit
        .set_flash(&Flash {
            count: Some(ended),
            ..Flash::new(what)
        })
        .await;
    Ok(visit.redirect(&back))
}

/// What a bulk action from a form is about to do, to be confirmed first; `None` for what
/// needs no second step (one session, nothing selected).
async fn pending<'a>(
    admin: &Admin,
    store: &Store,
    submitted: &'a Submitted,
    action: &Action,
    back: &str,
) -> Result<Option<Pending<'a>>, Failure> {
    let path = &admin.inner.path;
    let mut fields: Vec<(&str, String)> = vec![("next", back.to_owned())];
    let pending = match action {
        Action::EndSelected if !submitted.ids.is_empty() => {
            fields.extend(submitted.ids.iter().map(|id| ("id", id.clone())));
            let distinct: HashSet<&str> = submitted.ids.iter().map(|id| id.trim()).collect();
            Pending {
                question: "admin-confirm-end-selected",
                button: "admin-confirm-button-end",
                count: distinct.len() as u64,
                user_name: None,
                action_url: format!("{path}/end/"),
                fields,
                back_url: back.to_owned(),
            }
        }
        Action::EndUser => {
            let Some(user) = submitted
                .user
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
            else {
                return Ok(None);
            };
            let count = store.user_sessions(user).await?.len() as u64;
            let names = display_names(admin, vec![user.to_owned()]).await;
            fields.push(("user", user.to_owned()));
            Pending {
                question: "admin-confirm-end-user",
                button: "admin-confirm-button-end",
                count,
                user_name: Some(names.get(user).cloned().unwrap_or_else(|| user.to_owned())),
                action_url: format!("{path}/end-user/"),
                fields,
                back_url: back.to_owned(),
            }
        }
        Action::Purge => Pending {
            question: "admin-confirm-purge",
            button: "admin-confirm-button-purge",
            count: store.stats().await?.expired,
            user_name: None,
            action_url: format!("{path}/purge/"),
            fields,
            back_url: back.to_owned(),
        },
        Action::EndSelected | Action::EndOne(_) => return Ok(None),
    };
    Ok(Some(pending))
}
