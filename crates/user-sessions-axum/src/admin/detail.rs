//! The admin's page of one session: every column, its data keys (and the values the
//! application reveals).

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::context;
use user_sessions::PublicId;

use super::views::{AdminDetail, DataEntry, session_view};
use super::{Admin, display_names, staff};
use crate::pages::{CSRF_FIELD, Failure, Visit, csrf_token};

/// `GET {path}/{public_id}/`.
pub(super) async fn detail(
    State(admin): State<Admin>,
    visit: Visit,
    Path(public_id): Path<String>,
) -> Result<Response, Failure> {
    let (sessions, me) = staff(&visit).await?;
    let inner = &admin.inner;
    let id: PublicId = public_id.parse().map_err(|_| Failure::NotFound)?;
    let record = sessions.store().get(&id).await?.ok_or(Failure::NotFound)?;
    let names = display_names(&admin, record.info.user_id.iter().cloned().collect()).await;
    let view = session_view(
        record.info,
        &inner.path,
        inner.pages.geoip(),
        sessions.current_public_id(),
        &names,
    );
    let mut data: Vec<DataEntry> = record
        .data
        .into_iter()
        .map(|(key, value)| {
            let revealed = inner.reveal.as_ref().is_some_and(|reveal| reveal(&key));
            DataEntry {
                value: revealed.then_some(value),
                revealed,
                key,
            }
        })
        .collect();
    data.sort_by(|a, b| a.key.cmp(&b.key));
    let token = csrf_token(sessions.session()).await?;
    let end_user_url = format!("{}/end-user/", inner.path);
    if visit.json {
        let body = AdminDetail {
            session: view,
            data,
            csrf_token: token,
            end_user_url,
        };
        return Ok(visit.json_ok(&body));
    }
    let data: Vec<_> = data
        .into_iter()
        .map(|entry| {
            let value = entry
                .value
                .as_ref()
                .map(|v| serde_json::to_string_pretty(v).unwrap_or_default());
            context! { key => entry.key, revealed => entry.revealed, value }
        })
        .collect();
    Ok(visit
        .page(
            &me,
            "user_sessions/admin_detail.html",
            context! {
                s => view,
                data,
                list_url => admin.list_url(),
                csrf_token => token,
                csrf_field => CSRF_FIELD,
                end_user_url,
                locations => inner.pages.geoip().is_some(),
            },
        )
        .await)
}
