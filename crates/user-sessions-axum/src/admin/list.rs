//! The admin's list: every session, filtered, searched and paged.

use std::collections::HashSet;
use std::net::IpAddr;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use minijinja::context;
use user_sessions::{Cursor, Filter, PageRequest, SessionInfo, Status, Store};

use super::search::{ListQuery, Owner, Search};
use super::views::{AdminList, AppliedFilters, session_view};
use super::{Admin, display_names, staff};
use crate::pages::{CSRF_FIELD, Failure, Visit, csrf_token};

/// How many pages of an address's prefix are read at most to fill one page of sessions from
/// exactly that address (`10.0.0.1` also starts `10.0.0.10`…); the rest follows on the next.
const EXACT_IP_ROUNDS: usize = 8;

/// Narrows `users` to those also in `with` (the first restriction sets it).
fn restrict(users: &mut Option<Vec<String>>, with: Vec<String>) {
    *users = Some(match users.take() {
        None => with,
        Some(current) => {
            let with: HashSet<String> = with.into_iter().collect();
            current.into_iter().filter(|u| with.contains(u)).collect()
        }
    });
}

/// The query for a list request: its filter, the exact address when searching one, what the
/// search found, and the users the list is limited to.
struct Plan {
    filter: Filter,
    exact_ip: Option<IpAddr>,
    applied: AppliedFilters,
    users: Option<Vec<String>>,
}

async fn plan(admin: &Admin, query: &ListQuery, me: &str) -> Result<Plan, Failure> {
    let inner = &admin.inner;
    let mut applied = AppliedFilters {
        active: match query.status {
            Status::Active => Some(true),
            Status::Expired => Some(false),
            Status::All => None,
        },
        owner: (query.owner == Owner::Mine).then(|| "my".to_owned()),
        user: query.user.clone(),
        q: query.search.as_ref().map(Search::text),
        search: query.search.as_ref().map(|s| s.kind().to_owned()),
        ..AppliedFilters::default()
    };
    let mut users = None;
    if query.owner == Owner::Mine {
        restrict(&mut users, vec![me.to_owned()]);
    }
    if let Some(user) = &query.user {
        restrict(&mut users, vec![user.clone()]);
    }
    let mut filter = Filter::default().status(query.status);
    let mut exact_ip = None;
    match &query.search {
        Some(Search::User(text)) => {
            let mut found = admin
                .directory()
                .search(text)
                .await
                .map_err(|e| Failure::callback("user directory search", e))?;
            found.sort_unstable();
            found.dedup();
            applied.matched_users = Some(found.len());
            if found.len() > inner.max_search_users {
                found.truncate(inner.max_search_users);
                applied.truncated = true;
            }
            restrict(&mut users, found);
        }
        Some(Search::Ip(ip)) => {
            filter = filter.ip_prefix(ip.to_string());
            exact_ip = Some(*ip);
        }
        Some(Search::IpPrefix(prefix)) => filter = filter.ip_prefix(prefix.clone()),
        None => {}
    }
    if let Some(users) = &users {
        filter = filter.users(users.iter().cloned());
    }
    Ok(Plan {
        filter,
        exact_ip,
        applied,
        users,
    })
}

/// One page of sessions matching `filter` (and, when set, from exactly `exact_ip`), and the
/// cursor of the next page.
async fn fetch_page(
    store: &Store,
    filter: &Filter,
    exact_ip: Option<IpAddr>,
    after: Option<Cursor>,
    limit: u32,
) -> Result<(Vec<SessionInfo>, Option<Cursor>), Failure> {
    let wanted = limit as usize;
    let mut request = PageRequest { after, limit };
    let mut found = Vec::with_capacity(wanted);
    for _ in 0..EXACT_IP_ROUNDS {
        let page = store.list(filter, &request).await?;
        found.extend(
            page.sessions
                .into_iter()
                .filter(|s| exact_ip.is_none_or(|ip| s.ip == Some(ip))),
        );
        if found.len() > wanted {
            found.truncate(wanted);
            let next = found.last().map(Cursor::after);
            return Ok((found, next));
        }
        match page.next {
            None => return Ok((found, None)),
            Some(next) if found.len() == wanted => return Ok((found, Some(next))),
            Some(next) => request.after = Some(next),
        }
    }
    // A page only partly filled: the rest follows after the sessions read so far.
    Ok((found, request.after))
}

/// `GET {path}/`.
pub(super) async fn list(
    State(admin): State<Admin>,
    visit: Visit,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let (sessions, me) = staff(&visit).await?;
    let inner = &admin.inner;
    let query = ListQuery::parse(query.as_deref())
        .map_err(|error| Failure::BadRequest(error.to_string()))?;
    let plan = plan(&admin, &query, &me).await?;
    let limit = query.limit.unwrap_or(inner.page_size);
    let (infos, next) = fetch_page(
        sessions.store(),
        &plan.filter,
        plan.exact_ip,
        query.after,
        limit,
    )
    .await?;

    // The one user the list is about, if it is one user's: their sessions can all be ended.
    let single_user = match plan.users.as_deref() {
        Some([user]) => Some(user.clone()),
        _ => None,
    };
    let mut ids: Vec<String> = infos.iter().filter_map(|s| s.user_id.clone()).collect();
    ids.extend(single_user.clone());
    ids.sort_unstable();
    ids.dedup();
    let names = display_names(&admin, ids).await;

    let path = &inner.path;
    let current = sessions.current_public_id();
    let geoip = inner.pages.geoip();
    let views: Vec<_> = infos
        .into_iter()
        .map(|info| session_view(info, path, geoip, current, &names))
        .collect();
    let token = csrf_token(sessions.session()).await?;
    let list_url = admin.list_url();
    let next_url = next.map(|cursor| {
        ListQuery {
            after: Some(cursor),
            ..query.clone()
        }
        .url(&list_url)
    });
    let end_selected_url = format!("{path}/end/");
    let end_user_url = format!("{path}/end-user/");
    let purge_url = format!("{path}/purge/");
    if visit.json {
        let body = AdminList {
            sessions: views,
            next: next.map(|c| c.to_string()),
            next_url,
            filters: plan.applied,
            csrf_token: token,
            end_selected_url,
            end_user_url,
            purge_url,
        };
        return Ok(visit.json_ok(&body));
    }

    let pages = &inner.pages;
    let flash = visit.take_flash().await?.map(|flash| {
        let args = flash.count.map(|count| ("count", count.into()));
        context! {
            text => pages
                .translations()
                .message(&visit.locale, &flash.key, args.as_slice()),
            // Nothing happened: a notice, not a success.
            neutral => flash.key == "admin-nothing-selected",
        }
    });
    let first = query.first_page();
    let status_links: Vec<_> = [
        ("admin-filter-all", Status::All),
        ("admin-filter-active", Status::Active),
        ("admin-filter-expired", Status::Expired),
    ]
    .into_iter()
    .map(|(label, status)| {
        context! {
            label,
            selected => status == query.status,
            url => ListQuery { status, ..first.clone() }.url(&list_url),
        }
    })
    .collect();
    let owner_links: Vec<_> = [
        ("admin-filter-everyone", Owner::Anyone),
        ("admin-filter-mine", Owner::Mine),
    ]
    .into_iter()
    .map(|(label, owner)| {
        context! {
            label,
            selected => owner == query.owner,
            url => ListQuery { owner, ..first.clone() }.url(&list_url),
        }
    })
    .collect();
    let end_user = single_user.map(|id| {
        let name = names.get(&id).cloned().unwrap_or_else(|| id.clone());
        context! { id, name }
    });
    let user_filter = query.user.as_ref().map(|id| {
        let name = names.get(id).cloned().unwrap_or_else(|| id.clone());
        context! {
            name,
            clear_url => ListQuery { user: None, ..first.clone() }.url(&list_url),
        }
    });
    Ok(visit
        .page(
            &me,
            "user_sessions/admin_list.html",
            context! {
                sessions => views,
                filters => plan.applied,
                status_links,
                owner_links,
                user_filter,
                search_text => query.search.as_ref().map(Search::text),
                clear_search_url => query
                    .search
                    .is_some()
                    .then(|| ListQuery { search: None, ..first.clone() }.url(&list_url)),
                locations => pages.geoip().is_some(),
                hidden_fields => hidden_fields(&first),
                list_url,
                current_url => query.url(&admin.list_url()),
                first_page_url => query.after.is_some().then(|| first.url(&admin.list_url())),
                next_url,
                max_search_users => inner.max_search_users,
                csrf_token => token,
                csrf_field => CSRF_FIELD,
                end_selected_url,
                end_user_url,
                purge_url,
                end_user,
                flash,
            },
        )
        .await)
}

/// The filters the search form keeps when it is submitted (everything but the search and
/// the page).
fn hidden_fields(query: &ListQuery) -> Vec<minijinja::Value> {
    let kept = ListQuery {
        search: None,
        after: None,
        ..query.clone()
    };
    serde_urlencoded::from_str::<Vec<(String, String)>>(&kept.to_query_string())
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| context! { name, value })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restrictions_intersect() {
        let mut users = None;
        restrict(&mut users, vec!["a".into(), "b".into()]);
        assert_eq!(
            users.as_deref(),
            Some(&["a".to_string(), "b".to_string()][..])
        );
        restrict(&mut users, vec!["b".into(), "c".into()]);
        assert_eq!(users.as_deref(), Some(&["b".to_string()][..]));
        restrict(&mut users, vec!["c".into()]);
        assert_eq!(users.as_deref(), Some(&[][..]));
    }
}
