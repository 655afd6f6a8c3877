//! The conformance suite: the behaviour every backend must show, written once.
//!
//! Long because it is a flat list of cases, one per guarantee; a backend runs all of them with one
//! macro call.
//!
//! A backend's integration test runs all of it with one macro call, giving one test per case:
//!
//! ```no_run
//! // tests/conformance_sqlite.rs (needs tokio with "macros" and "rt-multi-thread")
//! user_sessions::conformance_tests!(async {
//!     let dir = tempfile::tempdir().unwrap();
//!     let url = format!("sqlite://{}", dir.path().join("s.db").display());
//!     let store = user_sessions::Store::open(&url).await.unwrap();
//!     store.migrate().await.unwrap();
//!     Some((store, dir)) // the second value lives as long as the test; `None` skips it
//! });
//! ```
//!
//! Each case receives a freshly migrated, empty store.

use std::net::IpAddr;

use serde_json::json;
use time::Duration;

use crate::backend::StoredSession;
use crate::events::{EndedBy, Event};
use crate::record::now;
use crate::{
    ClientHints, Cursor, Filter, KnownDevice, MAX_KNOWN_DEVICES, PageRequest, PublicId,
    SessionInfo, SessionRecord, Status, Store, Touch,
};

/// Generates one `#[tokio::test]` per conformance case; `$make` is an async expression
/// evaluating to `Option<(Store, guard)>` where `guard` lives as long as the test. `None` skips
/// the case: print why before returning it.
///
/// One attribute may come first; it is put on every case. A suite that needs a test server
/// marks its cases ignored when the server is not configured, so that cargo counts them as
/// ignored rather than passed:
///
/// ```ignore
/// user_sessions::conformance_tests!(
///     #[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
///     async { /* … */ }
/// );
/// ```
#[macro_export]
macro_rules! conformance_tests {
    (#[$attr:meta] $make:expr) => {
        $crate::conformance_tests!(@cases [$attr] $make;
            create_then_load_round_trips_every_field,
            create_never_overwrites_a_live_session,
            create_may_reuse_the_id_of_an_expired_session,
            create_many_skips_live_sessions,
            load_of_unknown_id_is_none,
            expiry_edges,
            absolute_lifetime_counts_from_creation,
            save_inserts_then_updates_in_place,
            update_never_brings_back_an_ended_session,
            update_data_writes_the_data_and_the_expiry,
            touch_writes_client_and_activity_only,
            touch_never_brings_back_an_ended_session,
            delete_reports_whether_it_existed,
            delete_many_counts_what_existed,
            user_sessions_are_active_and_newest_first,
            end_user_session_only_ends_own_sessions,
            end_all_user_sessions_leaves_other_users_alone,
            end_other_user_sessions_keeps_the_current_one,
            count_applies_filters,
            stats_counts_sessions_and_users,
            purge_expired_works_in_batches,
            purge_announces_each_expired_session_with_its_user,
            a_slightly_moved_expiry_counts_exactly,
            list_filters_by_status_users_and_ip_prefix,
            list_pages_have_no_gaps_or_repeats,
            list_paging_is_stable_while_sessions_are_added,
            concurrent_saves_of_different_sessions,
            corrupted_data_reads_as_absent,
            text_is_stored_exactly,
            migrate_is_idempotent,
            changing_the_user_moves_the_session,
            large_data_and_selections_round_trip,
            anonymous_sessions_belong_to_nobody,
            mark_authenticated_changes_the_sign_in_time_only,
            password_change_ends_every_other_session_of_the_user,
            session_limit_ends_the_least_recently_active,
            session_limit_refusal_writes_nothing,
            racing_sign_ins_leave_exactly_the_limit,
            device_history_survives_the_end_of_the_session,
            device_history_keeps_the_newest_time_within_the_window,
            device_history_is_per_user,
            device_history_forgets_old_entries_and_keeps_the_newest,
            device_history_of_one_user_can_be_erased,
        );
    };
    (@cases [$attr:meta] $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[$attr]
            async fn $case() {
                let Some((store, _guard)) = $make.await else {
                    return;
                };
                $crate::conformance::$case(&store).await;
            }
        )*
    };
    ($make:expr) => {
        $crate::conformance_tests!(#[allow(unused)] $make);
    };
}

fn secret(n: u64) -> PublicId {
    PublicId::from_secret(format!("conformance-secret-{n}").as_bytes())
}

/// A record expiring `ttl` from now, with the given user and last activity offset (seconds ago).
fn record(n: u64, user: Option<&str>, ttl: Duration, idle: Duration) -> SessionRecord {
    let mut r = SessionRecord::new(secret(n), now() + ttl);
    r.info.user_id = user.map(str::to_owned);
    r.info.last_activity -= idle;
    r.info.created_at -= idle;
    r
}

fn live(n: u64, user: Option<&str>) -> SessionRecord {
    record(n, user, Duration::hours(1), Duration::ZERO)
}

fn ids(sessions: &[SessionInfo]) -> Vec<PublicId> {
    sessions.iter().map(|s| s.id).collect()
}

/// Every column survives a create/load round trip.
pub async fn create_then_load_round_trips_every_field(store: &Store) {
    let mut r = live(1, Some("user-1"));
    r.info.ip = Some("2001:db8::1".parse::<IpAddr>().unwrap());
    r.info.user_agent = Some("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)".into());
    r.info.client_hints = Some(ClientHints {
        brands: Some("\"Chromium\";v=\"130\"".into()),
        mobile: Some(true),
        platform: Some("\"Android\"".into()),
        platform_version: Some("\"14.0.0\"".into()),
    });
    r.info.authenticated_at = Some(now() - Duration::minutes(5));
    r.data
        .insert("cart".into(), json!({"items": [1, 2, 3], "total": 9.5}));
    r.data.insert("flag".into(), json!(true));

    assert!(store.create(&r).await.unwrap());
    let loaded = store
        .load(&r.id)
        .await
        .unwrap()
        .expect("created session loads");
    assert_eq!(loaded, r);

    let mut v4 = live(2, None);
    v4.info.ip = Some("192.0.2.7".parse().unwrap());
    assert!(store.create(&v4).await.unwrap());
    assert_eq!(store.load(&v4.id).await.unwrap().unwrap(), v4);
}

/// Creating with the id of a live session writes nothing and reports the collision.
pub async fn create_never_overwrites_a_live_session(store: &Store) {
    let original = live(1, Some("alice"));
    assert!(store.create(&original).await.unwrap());
    let mut intruder = live(1, Some("mallory"));
    intruder.data.insert("evil".into(), json!(1));
    assert!(!store.create(&intruder).await.unwrap());
    assert_eq!(store.load(&original.id).await.unwrap().unwrap(), original);
}

/// An expired row does not block a new session with the same id.
pub async fn create_may_reuse_the_id_of_an_expired_session(store: &Store) {
    let old = record(1, Some("alice"), -Duration::seconds(1), Duration::hours(2));
    store.save(&old).await.unwrap();
    let new = live(1, Some("bob"));
    assert!(store.create(&new).await.unwrap());
    assert_eq!(store.load(&new.id).await.unwrap().unwrap(), new);
}

/// A bulk create writes what is new, skips live ids, and replaces expired ones.
pub async fn create_many_skips_live_sessions(store: &Store) {
    let existing = live(1, Some("alice"));
    store.save(&existing).await.unwrap();
    let expired = record(2, Some("old"), -Duration::seconds(1), Duration::ZERO);
    store.save(&expired).await.unwrap();
    let batch = vec![
        live(1, Some("mallory")),
        live(2, Some("bob")),
        live(3, Some("carol")),
    ];
    assert_eq!(store.create_many(&batch).await.unwrap(), 2);
    assert_eq!(store.load(&existing.id).await.unwrap().unwrap(), existing);
    assert_eq!(
        store
            .load(&secret(2))
            .await
            .unwrap()
            .unwrap()
            .user_id
            .as_deref(),
        Some("bob")
    );
    assert_eq!(store.create_many(&batch).await.unwrap(), 0);
    assert_eq!(store.create_many(&[]).await.unwrap(), 0);
}

/// Unknown ids load as `None`, and deleting them is harmless.
pub async fn load_of_unknown_id_is_none(store: &Store) {
    assert!(store.load(&secret(404)).await.unwrap().is_none());
    assert!(store.get(&secret(404)).await.unwrap().is_none());
    assert!(!store.delete(&secret(404)).await.unwrap());
}

/// Expired at or before now: absent. A moment in the future: present. `get` sees both.
pub async fn expiry_edges(store: &Store) {
    let past = record(1, None, -Duration::milliseconds(1), Duration::ZERO);
    let future = record(2, None, Duration::seconds(30), Duration::ZERO);
    store.save(&past).await.unwrap();
    store.save(&future).await.unwrap();
    assert!(store.load(&past.id).await.unwrap().is_none());
    assert!(
        store.get(&past.id).await.unwrap().is_some(),
        "get ignores expiry"
    );
    assert!(store.load(&future.id).await.unwrap().is_some());

    let mut exactly_now = live(3, None);
    exactly_now.info.expires_at = now();
    store.save(&exactly_now).await.unwrap();
    assert!(
        store.load(&exactly_now.id).await.unwrap().is_none(),
        "expiring now means expired"
    );
}

/// With an absolute lifetime, an old but busy session has ended.
pub async fn absolute_lifetime_counts_from_creation(store: &Store) {
    let store = store
        .clone()
        .with_absolute_lifetime(std::time::Duration::from_secs(3600));
    let mut old = live(1, Some("u"));
    old.info.created_at = now() - Duration::hours(2);
    let young = live(2, Some("u"));
    store.save(&old).await.unwrap();
    store.save(&young).await.unwrap();
    assert!(store.load(&old.id).await.unwrap().is_none());
    assert!(store.load(&young.id).await.unwrap().is_some());
    assert_eq!(
        ids(&store.user_sessions("u").await.unwrap()),
        vec![young.id]
    );
}

/// `save` creates a missing row, then replaces it: one row per id.
pub async fn save_inserts_then_updates_in_place(store: &Store) {
    let mut r = live(1, None);
    store.save(&r).await.unwrap();
    r.info.user_id = Some("42".into());
    r.info.ip = Some("198.51.100.4".parse().unwrap());
    r.info.user_agent = Some("curl/8".into());
    r.info.last_activity = now();
    r.data.insert("n".into(), json!(2));
    store.save(&r).await.unwrap();
    assert_eq!(store.load(&r.id).await.unwrap().unwrap(), r);
    assert_eq!(
        store
            .count(&Filter::default().status(Status::All))
            .await
            .unwrap(),
        1
    );
    // Removing the user (logout without flush) clears the column.
    r.info.user_id = None;
    store.save(&r).await.unwrap();
    assert_eq!(store.load(&r.id).await.unwrap().unwrap().user_id, None);
    assert!(store.user_sessions("42").await.unwrap().is_empty());
}

/// `update` writes only sessions that exist: a late save cannot revive an ended session.
pub async fn update_never_brings_back_an_ended_session(store: &Store) {
    let mut r = live(1, Some("alice"));
    assert!(!store.update(&r).await.unwrap(), "nothing to update");
    assert!(store.load(&r.id).await.unwrap().is_none());
    assert!(store.create(&r).await.unwrap());
    r.info.ip = Some("198.51.100.77".parse().unwrap());
    r.data.insert("step".into(), json!(2));
    assert!(store.update(&r).await.unwrap());
    assert!(
        store.update(&r).await.unwrap(),
        "an unchanged row still counts as updated"
    );
    assert_eq!(store.load(&r.id).await.unwrap().unwrap(), r);
    assert_eq!(store.end_all_user_sessions("alice").await.unwrap(), 1);
    r.data.insert("step".into(), json!(3));
    assert!(!store.update(&r).await.unwrap());
    assert!(store.load(&r.id).await.unwrap().is_none());
    assert!(store.user_sessions("alice").await.unwrap().is_empty());
}

/// `update_data_entries` writes the data and the expiry of a session that exists (its other
/// columns as the caller read them stay), and like `update` never revives an ended one.
pub async fn update_data_writes_the_data_and_the_expiry(store: &Store) {
    let mut r = live(1, Some("alice"));
    r.info.ip = Some("192.0.2.1".parse().unwrap());
    r.data.insert("step".into(), json!(1));
    assert!(
        !store
            .update_data_entries(r.info.clone(), r.data.iter())
            .await
            .unwrap(),
        "nothing to update"
    );
    assert!(store.load(&r.id).await.unwrap().is_none());
    assert!(store.create(&r).await.unwrap());

    r.data.insert("step".into(), json!(2));
    r.data.insert("cart".into(), json!([1, 2]));
    r.info.expires_at += Duration::minutes(10);
    assert!(
        store
            .update_data_entries(r.info.clone(), r.data.iter())
            .await
            .unwrap()
    );
    assert_eq!(store.load(&r.id).await.unwrap().unwrap(), r);
    assert_eq!(store.end_all_user_sessions("alice").await.unwrap(), 1);
    r.data.insert("step".into(), json!(3));
    assert!(
        !store
            .update_data_entries(r.info.clone(), r.data.iter())
            .await
            .unwrap()
    );
    assert!(store.load(&r.id).await.unwrap().is_none());
}

/// A touch writes the client columns and last activity, and nothing else: the data, expiry,
/// user and times of creation and sign-in stay; the user's sessions reorder by the new activity.
pub async fn touch_writes_client_and_activity_only(store: &Store) {
    let mut older = record(1, Some("alice"), Duration::hours(1), Duration::minutes(30));
    older.info.ip = Some("192.0.2.1".parse().unwrap());
    older.info.user_agent = Some("Old/1.0".into());
    older.info.authenticated_at = Some(now() - Duration::minutes(40));
    older.data.insert("cart".into(), json!([1, 2]));
    let newer = record(2, Some("alice"), Duration::hours(1), Duration::minutes(5));
    assert!(store.create(&older).await.unwrap());
    assert!(store.create(&newer).await.unwrap());
    assert_eq!(
        ids(&store.user_sessions("alice").await.unwrap()),
        vec![newer.id, older.id]
    );

    let hints = ClientHints {
        brands: Some("\"Chromium\";v=\"131\"".into()),
        mobile: Some(false),
        platform: Some("\"Windows\"".into()),
        platform_version: None,
    };
    for (ip, agent, hints) in [
        (
            Some("2001:db8::9"),
            Some("Mozilla/5.0 \"quoted\" ünïcode"),
            Some(hints),
        ),
        (None, None, None),
    ] {
        let touch = Touch {
            ip: ip.map(|ip| ip.parse().unwrap()),
            user_agent: agent.map(str::to_owned),
            client_hints: hints,
            last_activity: now(),
        };
        assert!(store.touch(&older.id, touch.clone()).await.unwrap());
        let mut expected = older.clone();
        expected.info.ip = touch.ip;
        expected.info.user_agent = touch.user_agent.clone();
        expected.info.client_hints = touch.client_hints.clone();
        expected.info.last_activity = touch.last_activity;
        assert_eq!(store.load(&older.id).await.unwrap().unwrap(), expected);
    }
    assert_eq!(
        ids(&store.user_sessions("alice").await.unwrap()),
        vec![older.id, newer.id],
        "the touched session is now the most recently active"
    );
    assert_eq!(store.load(&newer.id).await.unwrap().unwrap(), newer);
}

/// A touch of an unknown, ended or expired session writes nothing and says so.
pub async fn touch_never_brings_back_an_ended_session(store: &Store) {
    let touch = Touch {
        ip: Some("198.51.100.1".parse().unwrap()),
        user_agent: None,
        client_hints: None,
        last_activity: now(),
    };
    let r = live(1, Some("alice"));
    assert!(
        !store.touch(&r.id, touch.clone()).await.unwrap(),
        "never created"
    );
    assert!(store.create(&r).await.unwrap());
    assert!(store.touch(&r.id, touch.clone()).await.unwrap());
    assert!(store.delete(&r.id).await.unwrap());
    assert!(!store.touch(&r.id, touch.clone()).await.unwrap(), "ended");
    assert!(store.load(&r.id).await.unwrap().is_none());
    assert!(store.user_sessions("alice").await.unwrap().is_empty());

    let expired = record(2, Some("bob"), -Duration::minutes(1), Duration::ZERO);
    store.save(&expired).await.unwrap();
    assert!(!store.touch(&expired.id, touch).await.unwrap(), "expired");
    let stored = store.get(&expired.id).await.unwrap().unwrap();
    assert_eq!(
        stored.ip, expired.ip,
        "an expired session keeps its columns"
    );
}

/// Delete says whether there was something to delete.
pub async fn delete_reports_whether_it_existed(store: &Store) {
    let r = live(1, Some("u"));
    store.save(&r).await.unwrap();
    assert!(store.delete(&r.id).await.unwrap());
    assert!(!store.delete(&r.id).await.unwrap());
    assert!(store.load(&r.id).await.unwrap().is_none());
}

/// Deleting a selection counts only the sessions that existed.
pub async fn delete_many_counts_what_existed(store: &Store) {
    for n in 0..5 {
        store.save(&live(n, Some("u"))).await.unwrap();
    }
    let selection = [secret(0), secret(2), secret(99)];
    assert_eq!(store.delete_many(&selection).await.unwrap(), 2);
    assert_eq!(store.delete_many(&[]).await.unwrap(), 0);
    let mut left = ids(&store.user_sessions("u").await.unwrap());
    left.sort();
    let mut expected = vec![secret(1), secret(3), secret(4)];
    expected.sort();
    assert_eq!(left, expected);
}

/// A user's sessions: theirs only, unexpired, most recent activity first.
pub async fn user_sessions_are_active_and_newest_first(store: &Store) {
    let a = record(1, Some("u1"), Duration::hours(1), Duration::minutes(30));
    let b = record(2, Some("u1"), Duration::hours(1), Duration::minutes(1));
    let c = record(3, Some("u1"), Duration::hours(1), Duration::minutes(10));
    let expired = record(4, Some("u1"), -Duration::minutes(1), Duration::ZERO);
    let other = live(5, Some("u2"));
    let anonymous = live(6, None);
    for r in [&a, &b, &c, &expired, &other, &anonymous] {
        store.save(r).await.unwrap();
    }
    assert_eq!(
        ids(&store.user_sessions("u1").await.unwrap()),
        vec![b.id, c.id, a.id]
    );
    assert_eq!(
        ids(&store.user_sessions("u2").await.unwrap()),
        vec![other.id]
    );
    assert!(store.user_sessions("nobody").await.unwrap().is_empty());
    assert!(store.user_sessions("").await.unwrap().is_empty());
}

/// The public id of someone else's session must not end it.
pub async fn end_user_session_only_ends_own_sessions(store: &Store) {
    let mine = live(1, Some("alice"));
    let theirs = live(2, Some("bob"));
    store.save(&mine).await.unwrap();
    store.save(&theirs).await.unwrap();
    assert!(!store.end_user_session("alice", &theirs.id).await.unwrap());
    assert!(store.load(&theirs.id).await.unwrap().is_some());
    assert!(!store.end_user_session("alice", &secret(77)).await.unwrap());
    assert!(store.end_user_session("alice", &mine.id).await.unwrap());
    assert!(store.load(&mine.id).await.unwrap().is_none());
    assert!(!store.end_user_session("alice", &mine.id).await.unwrap());
}

/// "Log out everywhere" ends every session of that user and nobody else's.
pub async fn end_all_user_sessions_leaves_other_users_alone(store: &Store) {
    for n in 0..4 {
        store.save(&live(n, Some("alice"))).await.unwrap();
    }
    store.save(&live(10, Some("bob"))).await.unwrap();
    store.save(&live(11, None)).await.unwrap();
    assert_eq!(store.end_all_user_sessions("alice").await.unwrap(), 4);
    assert_eq!(store.end_all_user_sessions("alice").await.unwrap(), 0);
    assert!(store.user_sessions("alice").await.unwrap().is_empty());
    assert_eq!(store.user_sessions("bob").await.unwrap().len(), 1);
    assert!(store.load(&secret(11)).await.unwrap().is_some());
}

/// "End all other sessions" keeps exactly the current one.
pub async fn end_other_user_sessions_keeps_the_current_one(store: &Store) {
    for n in 0..3 {
        store.save(&live(n, Some("alice"))).await.unwrap();
    }
    store.save(&live(10, Some("bob"))).await.unwrap();
    assert_eq!(
        store
            .end_other_user_sessions("alice", &secret(1))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        ids(&store.user_sessions("alice").await.unwrap()),
        vec![secret(1)]
    );
    assert_eq!(store.user_sessions("bob").await.unwrap().len(), 1);
    // Someone else's id as "current" protects nothing of theirs and ends all of mine.
    assert_eq!(
        store
            .end_other_user_sessions("alice", &secret(10))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.user_sessions("bob").await.unwrap().len(), 1);
}

/// Counting honours status, users and IP prefix.
pub async fn count_applies_filters(store: &Store) {
    let mut a = live(1, Some("alice"));
    a.info.ip = Some("10.0.0.1".parse().unwrap());
    let mut b = live(2, Some("bob"));
    b.info.ip = Some("10.0.1.9".parse().unwrap());
    let expired = record(3, Some("alice"), -Duration::seconds(5), Duration::ZERO);
    for r in [&a, &b, &expired] {
        store.save(r).await.unwrap();
    }
    let all = Filter::default().status(Status::All);
    assert_eq!(store.count(&Filter::default()).await.unwrap(), 2);
    assert_eq!(
        store
            .count(&Filter::default().status(Status::Expired))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.count(&all).await.unwrap(), 3);
    assert_eq!(store.count(&all.clone().user("alice")).await.unwrap(), 2);
    assert_eq!(
        store
            .count(&Filter::default().ip_prefix("10.0.0."))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .count(&Filter::default().ip_prefix("10.0."))
            .await
            .unwrap(),
        2
    );
}

/// Stats: active and expired sessions, distinct users, oldest creation, newest activity.
pub async fn stats_counts_sessions_and_users(store: &Store) {
    assert_eq!(store.stats().await.unwrap(), crate::Stats::default());
    let a = record(1, Some("alice"), Duration::hours(1), Duration::minutes(10));
    let b = record(2, Some("alice"), Duration::hours(1), Duration::minutes(1));
    let c = record(3, Some("bob"), Duration::hours(1), Duration::minutes(5));
    let anonymous = record(4, None, Duration::hours(1), Duration::minutes(2));
    let expired = record(5, Some("carol"), -Duration::minutes(1), Duration::hours(3));
    for r in [&a, &b, &c, &anonymous, &expired] {
        store.save(r).await.unwrap();
    }
    let stats = store.stats().await.unwrap();
    assert_eq!((stats.active, stats.expired, stats.users), (4, 1, 2));
    assert_eq!(stats.oldest, Some(a.created_at));
    assert_eq!(stats.newest, Some(b.last_activity));
}

/// Purging deletes every expired session, in bounded batches, and nothing else.
pub async fn purge_expired_works_in_batches(store: &Store) {
    for n in 0..25 {
        store
            .save(&record(
                n,
                Some("u"),
                -Duration::seconds(1 + n as i64),
                Duration::ZERO,
            ))
            .await
            .unwrap();
    }
    for n in 100..105 {
        store.save(&live(n, Some("u"))).await.unwrap();
    }
    assert_eq!(store.purge_expired_batch(10).await.unwrap(), 10);
    let batched = store.clone().with_purge_batch_size(7);
    assert_eq!(batched.purge_expired().await.unwrap(), 15);
    assert_eq!(batched.purge_expired().await.unwrap(), 0);
    assert_eq!(
        store
            .count(&Filter::default().status(Status::All))
            .await
            .unwrap(),
        5
    );
}

/// A purge announces every expired session it deletes as ended by expiry, naming its user
/// (none for an anonymous one), then the batch; live sessions are neither deleted nor named.
pub async fn purge_announces_each_expired_session_with_its_user(store: &Store) {
    let alices = record(1, Some("alice"), -Duration::minutes(1), Duration::ZERO);
    let anonymous = record(2, None, -Duration::minutes(2), Duration::ZERO);
    let live_one = live(3, Some("alice"));
    for r in [&alices, &anonymous, &live_one] {
        store.save(r).await.unwrap();
    }
    let mut events = store.events().subscribe(64);
    assert_eq!(store.purge_expired().await.unwrap(), 2);

    let mut ended = Vec::new();
    let mut purged = 0;
    while let Some(event) = events.try_recv() {
        match event {
            Event::Ended { id, user_id, by } => {
                assert_eq!(purged, 0, "each session before its batch");
                assert_eq!(by, EndedBy::Expired);
                ended.push((id, user_id));
            }
            Event::Purged { count } => purged += count,
            other => panic!("unexpected {other:?}"),
        }
    }
    ended.sort();
    let mut expected = vec![(alices.id, Some("alice".to_owned())), (anonymous.id, None)];
    expected.sort();
    assert_eq!(ended, expected);
    assert_eq!(purged, 2);
    assert!(store.load(&live_one.id).await.unwrap().is_some());
}

/// A save that moves the expiry by less than a minute (a rolling expiry, saved on every
/// request) may leave a backend's expiry index where it was: counts, listings and purges still
/// follow the session's real expiry.
pub async fn a_slightly_moved_expiry_counts_exactly(store: &Store) {
    let active = Filter::default().status(Status::Active);
    let expired = Filter::default().status(Status::Expired);
    // Expired 40 s ago, then extended to 15 s from now.
    let mut extended = record(1, Some("u"), -Duration::seconds(40), Duration::ZERO);
    store.create(&extended).await.unwrap();
    extended.info.expires_at = now() + Duration::seconds(15);
    assert!(store.update(&extended).await.unwrap());
    // Live for 30 s, then cut to 10 s ago.
    let mut shortened = record(2, Some("u"), Duration::seconds(30), Duration::ZERO);
    store.create(&shortened).await.unwrap();
    shortened.info.expires_at = now() - Duration::seconds(10);
    assert!(store.update(&shortened).await.unwrap());

    assert_eq!(store.count(&active).await.unwrap(), 1);
    assert_eq!(store.count(&expired).await.unwrap(), 1);
    let listed = |filter: Filter| async move {
        ids(&store
            .list(&filter, &PageRequest::default())
            .await
            .unwrap()
            .sessions)
    };
    assert_eq!(listed(active.clone()).await, vec![extended.id]);
    assert_eq!(listed(expired.clone()).await, vec![shortened.id]);
    assert_eq!(
        ids(&store.user_sessions("u").await.unwrap()),
        vec![extended.id]
    );
    assert!(store.load(&extended.id).await.unwrap().is_some());
    assert!(store.load(&shortened.id).await.unwrap().is_none());

    assert_eq!(store.purge_expired().await.unwrap(), 1);
    assert!(store.get(&shortened.id).await.unwrap().is_none());
    assert!(store.load(&extended.id).await.unwrap().is_some());
    assert_eq!(store.count(&active).await.unwrap(), 1);
}

/// Admin listing: status, a set of users, IP prefix, and their combinations.
pub async fn list_filters_by_status_users_and_ip_prefix(store: &Store) {
    let mut a = record(1, Some("alice"), Duration::hours(1), Duration::minutes(1));
    a.info.ip = Some("192.168.1.10".parse().unwrap());
    let mut b = record(2, Some("bob"), Duration::hours(1), Duration::minutes(2));
    b.info.ip = Some("192.168.2.20".parse().unwrap());
    let mut c = record(3, Some("carol"), Duration::hours(1), Duration::minutes(3));
    c.info.ip = Some("2001:db8::5".parse().unwrap());
    let mut old = record(
        4,
        Some("alice"),
        -Duration::minutes(1),
        Duration::minutes(4),
    );
    old.info.ip = Some("192.168.1.11".parse().unwrap());
    for r in [&a, &b, &c, &old] {
        store.save(r).await.unwrap();
    }
    let page = PageRequest::default();
    let list =
        |filter: Filter| async move { ids(&store.list(&filter, &page).await.unwrap().sessions) };

    assert_eq!(list(Filter::default()).await, vec![a.id, b.id, c.id]);
    assert_eq!(
        list(Filter::default().status(Status::Expired)).await,
        vec![old.id]
    );
    assert_eq!(
        list(Filter::default().status(Status::All)).await,
        vec![a.id, b.id, c.id, old.id]
    );
    assert_eq!(
        list(Filter::default().users(["alice", "carol"])).await,
        vec![a.id, c.id]
    );
    assert_eq!(
        list(Filter::default().users(Vec::<String>::new())).await,
        vec![]
    );
    assert_eq!(
        list(Filter::default().ip_prefix("192.168.")).await,
        vec![a.id, b.id]
    );
    assert_eq!(
        list(Filter::default().ip_prefix("192.168.1.10")).await,
        vec![a.id]
    );
    assert_eq!(
        list(Filter::default().ip_prefix("2001:db8:")).await,
        vec![c.id]
    );
    assert_eq!(
        list(
            Filter::default()
                .status(Status::All)
                .user("alice")
                .ip_prefix("192.168.1.")
        )
        .await,
        vec![a.id, old.id]
    );
    let page = store.list(&Filter::default(), &page).await.unwrap();
    assert_eq!(page.next, None);
    assert_eq!(page.sessions[0], a.info);
}

async fn walk(store: &Store, filter: &Filter, limit: u32) -> Vec<PublicId> {
    let mut request = PageRequest { after: None, limit };
    let mut seen = Vec::new();
    loop {
        let page = store.list(filter, &request).await.unwrap();
        assert!(page.sessions.len() <= limit as usize);
        seen.extend(ids(&page.sessions));
        match page.next {
            Some(next) => request.after = Some(next),
            None => return seen,
        }
    }
}

/// Walking all pages visits every session once, in order, including ties in activity time.
pub async fn list_pages_have_no_gaps_or_repeats(store: &Store) {
    let base = now() - Duration::hours(1);
    let mut expected = Vec::new();
    for n in 0..23u64 {
        let mut r = live(n, Some("u"));
        // Groups of three share an activity time, to exercise the id tie-break.
        r.info.last_activity = base + Duration::seconds((n / 3) as i64);
        store.save(&r).await.unwrap();
        expected.push((r.info.last_activity, r.id));
    }
    expected.sort_by(|a, b| b.cmp(a));
    let expected: Vec<PublicId> = expected.into_iter().map(|(_, id)| id).collect();
    for limit in [1, 5, 7, 23, 50] {
        assert_eq!(
            walk(store, &Filter::default(), limit).await,
            expected,
            "page size {limit}"
        );
    }
}

/// Sessions that become active while someone pages do not shift later pages.
pub async fn list_paging_is_stable_while_sessions_are_added(store: &Store) {
    let base = now() - Duration::hours(1);
    for n in 0..10u64 {
        let mut r = live(n, Some("u"));
        r.info.last_activity = base + Duration::seconds(n as i64);
        store.save(&r).await.unwrap();
    }
    let filter = Filter::default();
    let first = store
        .list(
            &filter,
            &PageRequest {
                after: None,
                limit: 4,
            },
        )
        .await
        .unwrap();
    for n in 100..105 {
        store.save(&live(n, Some("new"))).await.unwrap();
    }
    let mut seen = ids(&first.sessions);
    let mut request = PageRequest {
        after: first.next,
        limit: 4,
    };
    loop {
        let page = store.list(&filter, &request).await.unwrap();
        seen.extend(ids(&page.sessions));
        match page.next {
            Some(next) => request.after = Some(next),
            None => break,
        }
    }
    let expected: Vec<PublicId> = (0..10u64).rev().map(secret).collect();
    assert_eq!(seen, expected);
    let cursor: Cursor = first.next.unwrap().to_string().parse().unwrap();
    assert_eq!(Some(cursor), first.next);
}

/// Many tasks saving different sessions at once lose nothing.
pub async fn concurrent_saves_of_different_sessions(store: &Store) {
    let mut tasks = Vec::new();
    for task in 0..8u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25u64 {
                let mut r = live(task * 1000 + i, Some(&format!("user-{task}")));
                r.data.insert("i".into(), json!(i));
                store.save(&r).await.unwrap();
                r.data.insert("again".into(), json!(true));
                store.save(&r).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.count(&Filter::default()).await.unwrap(), 200);
    for task in 0..8u64 {
        assert_eq!(
            store
                .user_sessions(&format!("user-{task}"))
                .await
                .unwrap()
                .len(),
            25
        );
        let r = store
            .load(&secret(task * 1000 + 24))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.data.get("again"), Some(&json!(true)));
    }
}

/// Undecodable data: the session reads as absent (with a warning), never a panic or an error.
pub async fn corrupted_data_reads_as_absent(store: &Store) {
    let r = live(1, Some("u"));
    for garbage in [
        &b"\xff\xfe not json"[..],
        b"",
        b"[1,2,3]",
        b"{\"unterminated",
    ] {
        store
            .backend()
            .save(&StoredSession {
                info: r.info.clone(),
                data: garbage.to_vec(),
            })
            .await
            .unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none());
        assert!(store.get(&r.id).await.unwrap().is_none());
    }
    // The row is still listed (its columns are fine) and can be ended.
    assert_eq!(store.user_sessions("u").await.unwrap().len(), 1);
    assert!(store.end_user_session("u", &r.id).await.unwrap());
}

/// Unicode, long strings and odd user ids come back byte for byte.
pub async fn text_is_stored_exactly(store: &Store) {
    let mut r = live(1, Some("ユーザー 42 ✓ 'quoted' \"double\" %_"));
    r.info.user_agent = Some(format!("Mozilla/5.0 {} Ωμέγα 🚀", "x".repeat(400)));
    r.data.insert("ключ".into(), json!("значение \u{0}"));
    store.save(&r).await.unwrap();
    assert_eq!(store.load(&r.id).await.unwrap().unwrap(), r);
    let user = r.user_id.clone().unwrap();
    assert_eq!(store.user_sessions(&user).await.unwrap().len(), 1);
    // LIKE-style wildcards in a user id or IP prefix are literal.
    assert!(store.user_sessions("%").await.unwrap().is_empty());
    assert_eq!(
        store
            .count(&Filter::default().ip_prefix("%"))
            .await
            .unwrap(),
        0
    );
}

/// Running migrations again changes nothing and leaves nothing pending.
pub async fn migrate_is_idempotent(store: &Store) {
    let r = live(1, Some("u"));
    store.save(&r).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
    assert!(store.load(&r.id).await.unwrap().is_some());
}

/// A session that changes hands (sign-out then sign-in as someone else) leaves the first user's
/// list and joins the second's; ending it through the first user does nothing.
pub async fn changing_the_user_moves_the_session(store: &Store) {
    let mut r = live(1, Some("alice"));
    store.save(&r).await.unwrap();
    r.info.user_id = Some("bob".into());
    store.save(&r).await.unwrap();
    assert!(store.user_sessions("alice").await.unwrap().is_empty());
    assert_eq!(ids(&store.user_sessions("bob").await.unwrap()), vec![r.id]);
    assert!(!store.end_user_session("alice", &r.id).await.unwrap());
    assert_eq!(store.end_all_user_sessions("alice").await.unwrap(), 0);
    assert!(store.load(&r.id).await.unwrap().is_some());
    assert_eq!(
        store.count(&Filter::default().user("alice")).await.unwrap(),
        0
    );
    assert_eq!(store.end_all_user_sessions("bob").await.unwrap(), 1);
    assert!(store.load(&r.id).await.unwrap().is_none());
}

/// Data of a few hundred kilobytes survives, and selections larger than any batch a backend
/// uses internally are deleted completely.
pub async fn large_data_and_selections_round_trip(store: &Store) {
    let mut big = live(1, Some("u"));
    big.data.insert("blob".into(), json!("x".repeat(300_000)));
    store.save(&big).await.unwrap();
    assert_eq!(store.load(&big.id).await.unwrap().unwrap(), big);

    let many: Vec<SessionRecord> = (100..1_300).map(|n| live(n, Some("many"))).collect();
    assert_eq!(store.create_many(&many).await.unwrap(), 1_200);
    assert_eq!(store.user_sessions("many").await.unwrap().len(), 1_200);
    let selection: Vec<PublicId> = many.iter().map(|r| r.id).collect();
    assert_eq!(store.delete_many(&selection).await.unwrap(), 1_200);
    assert!(store.user_sessions("many").await.unwrap().is_empty());
    assert_eq!(
        store
            .count(&Filter::default().status(Status::All))
            .await
            .unwrap(),
        1
    );
}

/// Anonymous sessions are listed by the admin but belong to no user, not even the empty one.
pub async fn anonymous_sessions_belong_to_nobody(store: &Store) {
    let anonymous = live(1, None);
    store.save(&anonymous).await.unwrap();
    assert!(store.user_sessions("").await.unwrap().is_empty());
    assert_eq!(store.end_all_user_sessions("").await.unwrap(), 0);
    assert!(!store.end_user_session("", &anonymous.id).await.unwrap());
    let page = store
        .list(&Filter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(ids(&page.sessions), vec![anonymous.id]);
    assert!(store.load(&anonymous.id).await.unwrap().is_some());
}

/// Marking a session authenticated sets its sign-in time and nothing else; an ended or expired
/// session stays as it is.
pub async fn mark_authenticated_changes_the_sign_in_time_only(store: &Store) {
    let mut r = live(1, Some("alice"));
    r.info.ip = Some("192.0.2.1".parse().unwrap());
    r.info.authenticated_at = Some(r.created_at);
    r.data.insert("cart".into(), json!([1, 2]));
    assert!(store.create(&r).await.unwrap());
    let at = store
        .mark_authenticated(&r.id)
        .await
        .unwrap()
        .expect("a live session");
    let mut expected = r.clone();
    expected.info.authenticated_at = Some(at);
    assert_eq!(store.load(&r.id).await.unwrap().unwrap(), expected);

    let expired = record(2, Some("alice"), -Duration::seconds(1), Duration::ZERO);
    store.save(&expired).await.unwrap();
    assert_eq!(store.mark_authenticated(&expired.id).await.unwrap(), None);
    assert_eq!(store.mark_authenticated(&secret(3)).await.unwrap(), None);
    assert!(store.delete(&r.id).await.unwrap());
    assert_eq!(store.mark_authenticated(&r.id).await.unwrap(), None);
    assert!(store.load(&r.id).await.unwrap().is_none(), "stays ended");
}

/// A password change ends every session of the user but the current one, each reported as
/// ended by the password change; other users keep theirs.
pub async fn password_change_ends_every_other_session_of_the_user(store: &Store) {
    for n in 0..3 {
        store.save(&live(n, Some("alice"))).await.unwrap();
    }
    store.save(&live(10, Some("bob"))).await.unwrap();
    let mut events = store.events().subscribe(16);
    assert_eq!(
        store
            .password_changed("alice", Some(&secret(1)))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        ids(&store.user_sessions("alice").await.unwrap()),
        vec![secret(1)]
    );
    assert_eq!(store.user_sessions("bob").await.unwrap().len(), 1);
    let mut ended = Vec::new();
    while let Some(event) = events.try_recv() {
        match event {
            crate::events::Event::Ended {
                id,
                user_id,
                by: crate::events::EndedBy::PasswordChange,
            } if user_id.as_deref() == Some("alice") => ended.push(id),
            other => panic!("unexpected event {other:?}"),
        }
    }
    ended.sort();
    let mut expected = vec![secret(0), secret(2)];
    expected.sort();
    assert_eq!(ended, expected);
    // Without a current session (its id just cycled), every stored one ends.
    assert_eq!(store.password_changed("alice", None).await.unwrap(), 1);
    assert!(store.user_sessions("alice").await.unwrap().is_empty());
}

/// The sessions reported as ended by the session limit since `events` subscribed, sorted; any
/// other event fails the test.
fn ended_by_limit(events: &mut crate::events::Subscription, user: &str) -> Vec<PublicId> {
    let mut ended = Vec::new();
    while let Some(event) = events.try_recv() {
        match event {
            crate::events::Event::Ended {
                id,
                user_id,
                by: crate::events::EndedBy::Limit,
            } if user_id.as_deref() == Some(user) => ended.push(id),
            crate::events::Event::Created { .. } => {}
            other => panic!("unexpected event {other:?}"),
        }
    }
    ended.sort();
    ended
}

/// With a session limit, a sign-in (a create with a user, or an update that gives a session
/// its user) ends the user's least recently active live sessions beyond it, each reported as
/// ended by the limit; expired sessions and other users' do not count; a sign-in that writes
/// nothing ends nothing.
pub async fn session_limit_ends_the_least_recently_active(store: &Store) {
    let limited = store
        .clone()
        .with_session_limit(crate::SessionLimit::new(3));
    for (n, idle) in [(0, 30), (1, 20), (2, 10)] {
        let r = record(
            n,
            Some("alice"),
            Duration::hours(1),
            Duration::minutes(idle),
        );
        store.save(&r).await.unwrap();
    }
    store
        .save(&record(
            9,
            Some("alice"),
            -Duration::seconds(1),
            Duration::hours(2),
        ))
        .await
        .unwrap();
    store.save(&live(10, Some("bob"))).await.unwrap();
    let mut events = store.events().subscribe(64);

    // A create that finds a live session with its id writes nothing and ends nothing.
    let mut taken = live(2, Some("alice"));
    taken.info.last_activity = now();
    assert!(!limited.create(&taken).await.unwrap());
    assert!(ended_by_limit(&mut events, "alice").is_empty());

    let signing_in = record(3, Some("alice"), Duration::hours(1), Duration::minutes(5));
    assert!(limited.create(&signing_in).await.unwrap());
    assert_eq!(
        ids(&limited.user_sessions("alice").await.unwrap()),
        vec![secret(3), secret(2), secret(1)]
    );
    assert_eq!(ended_by_limit(&mut events, "alice"), vec![secret(0)]);

    // An anonymous session that signs in on a save.
    let mut anonymous = record(4, None, Duration::hours(1), Duration::minutes(1));
    store.save(&anonymous).await.unwrap();
    anonymous.info.user_id = Some("alice".into());
    anonymous.info.last_activity = now();
    assert!(
        limited
            .update_entries_signing_in(anonymous.info.clone(), anonymous.data.iter())
            .await
            .unwrap()
    );
    assert_eq!(
        ids(&limited.user_sessions("alice").await.unwrap()),
        vec![secret(4), secret(3), secret(2)]
    );
    assert_eq!(ended_by_limit(&mut events, "alice"), vec![secret(1)]);

    // An update of a session that is gone writes nothing and ends nothing.
    let gone = live(5, Some("alice"));
    assert!(
        !limited
            .update_entries_signing_in(gone.info.clone(), gone.data.iter())
            .await
            .unwrap()
    );
    assert_eq!(limited.user_sessions("alice").await.unwrap().len(), 3);
    assert!(ended_by_limit(&mut events, "alice").is_empty());
    assert_eq!(
        ids(&store.user_sessions("bob").await.unwrap()),
        vec![secret(10)]
    );
}

/// A limit that refuses: a sign-in beyond it fails with `SessionLimitReached` and writes
/// nothing — no new session, no user on an existing one, nothing ended.
pub async fn session_limit_refusal_writes_nothing(store: &Store) {
    let limited = store
        .clone()
        .with_session_limit(crate::SessionLimit::new(2).refusing());
    assert!(limited.create(&live(0, Some("alice"))).await.unwrap());
    assert!(limited.create(&live(1, Some("alice"))).await.unwrap());
    let mut events = store.events().subscribe(64);

    let refused = limited.create(&live(2, Some("alice"))).await;
    assert!(
        matches!(refused, Err(crate::Error::SessionLimitReached { max: 2 })),
        "{refused:?}"
    );
    assert!(store.get(&secret(2)).await.unwrap().is_none());

    let anonymous = live(3, None);
    store.save(&anonymous).await.unwrap();
    let mut signing_in = anonymous.clone();
    signing_in.info.user_id = Some("alice".into());
    let refused = limited
        .update_entries_signing_in(signing_in.info.clone(), signing_in.data.iter())
        .await;
    assert!(matches!(
        refused,
        Err(crate::Error::SessionLimitReached { max: 2 })
    ));
    assert_eq!(
        store.load(&anonymous.id).await.unwrap().unwrap().user_id,
        None
    );

    let mut left = ids(&store.user_sessions("alice").await.unwrap());
    left.sort();
    let mut expected = vec![secret(0), secret(1)];
    expected.sort();
    assert_eq!(left, expected);
    assert!(events.try_recv().is_none(), "nothing happened");
    // Other users are not held to alice's count.
    assert!(limited.create(&live(4, Some("bob"))).await.unwrap());
}

/// Sign-ins of one user racing each other never leave more live sessions than the limit: N + k
/// concurrent sign-ins leave exactly N, having ended k (or refused k).
pub async fn racing_sign_ins_leave_exactly_the_limit(store: &Store) {
    const LIMIT: u32 = 3;
    const RACERS: u64 = 8;
    for (user, limit) in [
        ("alice", crate::SessionLimit::new(LIMIT)),
        ("carol", crate::SessionLimit::new(LIMIT).refusing()),
    ] {
        let limited = store.clone().with_session_limit(limit);
        let mut events = store.events().subscribe(256);
        let offset = if user == "alice" { 0 } else { 100 };
        let racers: Vec<_> = (0..RACERS)
            .map(|n| {
                let limited = limited.clone();
                tokio::spawn(async move { limited.create(&live(offset + n, Some(user))).await })
            })
            .collect();
        let mut signed_in = 0;
        let mut refused = 0;
        for racer in racers {
            match racer.await.unwrap() {
                Ok(true) => signed_in += 1,
                Err(crate::Error::SessionLimitReached { .. }) => refused += 1,
                other => panic!("unexpected outcome {other:?}"),
            }
        }
        let left = store.user_sessions(user).await.unwrap();
        assert_eq!(left.len(), LIMIT as usize, "{user}: {left:?}");
        let ended = ended_by_limit(&mut events, user);
        match limit.policy() {
            crate::WhenFull::RefuseSignIn => {
                assert_eq!(
                    (signed_in, refused),
                    (u64::from(LIMIT), RACERS - u64::from(LIMIT))
                );
                assert!(ended.is_empty());
            }
            _ => {
                assert_eq!((signed_in, refused), (RACERS, 0));
                assert_eq!(ended.len() as u64, RACERS - u64::from(LIMIT));
            }
        }
    }
}

/// A history entry of device `device` on network `network`, last used `ago` before now.
fn pair(device: &str, network: &str, ago: Duration) -> KnownDevice {
    KnownDevice {
        device: device.into(),
        network: network.into(),
        last_used: now() - ago,
    }
}

/// The (device, network) pairs of a history, in its order.
fn pairs(known: &[KnownDevice]) -> Vec<(&str, &str)> {
    known
        .iter()
        .map(|k| (k.device.as_str(), k.network.as_str()))
        .collect()
}

/// A sign-in remembers its device and network; the entry outlives the session, so signing in
/// again with that device later is not a new device, while another network is.
pub async fn device_history_survives_the_end_of_the_session(store: &Store) {
    const FIREFOX: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    let _observed = store.events().subscribe(64);
    let sign_in = |n: u64, ip: &str| {
        let mut r = live(n, Some("traveller"));
        r.info.ip = Some(ip.parse().unwrap());
        r.info.user_agent = Some(FIREFOX.into());
        r
    };
    let first = sign_in(1, "192.0.2.7");
    assert!(store.create(&first).await.unwrap());
    assert_eq!(store.signed_in(&first.info).await.unwrap(), Some(true));
    let known = store.known_devices("traveller").await.unwrap();
    assert_eq!(known.len(), 1, "{known:?}");
    assert_eq!(known[0].network, "192.0.0.0/16");
    assert!(!known[0].device.is_empty());

    assert_eq!(store.end_all_user_sessions("traveller").await.unwrap(), 1);
    assert_eq!(store.known_devices("traveller").await.unwrap(), known);
    // The same browser on the same /16, with no session left: known.
    let again = sign_in(2, "192.0.99.1");
    assert!(store.create(&again).await.unwrap());
    assert_eq!(store.signed_in(&again.info).await.unwrap(), Some(false));
    // Another network: new, and remembered too (a few milliseconds later, so it is newer).
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let abroad = sign_in(3, "198.51.100.1");
    assert!(store.create(&abroad).await.unwrap());
    assert_eq!(store.signed_in(&abroad.info).await.unwrap(), Some(true));
    let networks: Vec<String> = store
        .known_devices("traveller")
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.network)
        .collect();
    assert_eq!(networks, ["198.51.0.0/16", "192.0.0.0/16"]);
    // A sign-in without a user remembers nothing.
    assert_eq!(store.signed_in(&live(4, None).info).await.unwrap(), None);
}

/// Remembering a pair again keeps its newest time, never an older one; asking for the pairs
/// used since a time leaves out older ones; the newest comes first.
pub async fn device_history_keeps_the_newest_time_within_the_window(store: &Store) {
    let backend = store.backend();
    let keep_all = now() - Duration::days(400);
    let phone = pair("Safari on iPhone", "203.0.0.0/16", Duration::days(3));
    backend
        .remember_device("walker", &phone, keep_all)
        .await
        .unwrap();
    let older = pair("Safari on iPhone", "203.0.0.0/16", Duration::days(30));
    backend
        .remember_device("walker", &older, keep_all)
        .await
        .unwrap();
    let since = now() - Duration::days(90);
    assert_eq!(
        backend.known_devices("walker", since).await.unwrap(),
        std::slice::from_ref(&phone)
    );
    let newer = pair("Safari on iPhone", "203.0.0.0/16", Duration::hours(1));
    let laptop = pair("Firefox on Linux", "2001:db8::/32", Duration::days(1));
    let long_ago = pair("Edge on Windows", "", Duration::days(120));
    for device in [&newer, &laptop, &long_ago] {
        backend
            .remember_device("walker", device, keep_all)
            .await
            .unwrap();
    }
    let known = backend.known_devices("walker", since).await.unwrap();
    assert_eq!(known, [newer.clone(), laptop.clone()]);
    let all = backend.known_devices("walker", keep_all).await.unwrap();
    assert_eq!(
        pairs(&all),
        [
            ("Safari on iPhone", "203.0.0.0/16"),
            ("Firefox on Linux", "2001:db8::/32"),
            ("Edge on Windows", "")
        ]
    );
    // The boundary is inclusive.
    assert_eq!(
        backend
            .known_devices("walker", laptop.last_used)
            .await
            .unwrap(),
        [newer, laptop]
    );
    assert!(
        backend
            .known_devices("nobody", keep_all)
            .await
            .unwrap()
            .is_empty()
    );
}

/// One user's history is theirs alone: neither shown to nor trimmed by another's sign-ins.
pub async fn device_history_is_per_user(store: &Store) {
    let backend = store.backend();
    let window = now() - Duration::days(90);
    let alices = pair("Chrome on macOS", "192.0.0.0/16", Duration::minutes(5));
    backend
        .remember_device("alice", &alices, window)
        .await
        .unwrap();
    for n in 0..MAX_KNOWN_DEVICES as i64 + 2 {
        let bobs = pair(&format!("Browser {n}"), "10.0.0.0/16", Duration::minutes(n));
        backend.remember_device("bob", &bobs, window).await.unwrap();
    }
    assert_eq!(
        backend.known_devices("alice", window).await.unwrap(),
        [alices]
    );
    let bobs = backend.known_devices("bob", window).await.unwrap();
    assert_eq!(bobs.len(), MAX_KNOWN_DEVICES);
    assert!(bobs.iter().all(|k| k.network == "10.0.0.0/16"));
    // A user id that extends another's is another user.
    assert!(
        backend
            .known_devices("ali", window)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        backend
            .known_devices("alice ", window)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Erasing one user's device history forgets all of their pairs and nobody else's.
pub async fn device_history_of_one_user_can_be_erased(store: &Store) {
    let backend = store.backend();
    let window = now() - Duration::days(90);
    for (user, device) in [
        ("alice", "Chrome on macOS"),
        ("alice", "Safari on iPhone"),
        ("bob", "Firefox on Linux"),
    ] {
        let entry = pair(device, "192.0.0.0/16", Duration::minutes(5));
        backend.remember_device(user, &entry, window).await.unwrap();
    }
    assert_eq!(store.forget_user_devices("alice").await.unwrap(), 2);
    assert!(store.known_devices("alice").await.unwrap().is_empty());
    assert_eq!(store.known_devices("bob").await.unwrap().len(), 1);
    assert_eq!(store.forget_user_devices("alice").await.unwrap(), 0);
    // The purge has nothing left to do for her.
    assert_eq!(
        backend
            .forget_devices(now() + Duration::days(1), 1000)
            .await
            .unwrap(),
        1,
        "only bob's entry remains"
    );
}

/// A sign-in keeps the user's newest [`MAX_KNOWN_DEVICES`] pairs and forgets their pairs older
/// than the window; the purge forgets old pairs of users who do not sign in again.
pub async fn device_history_forgets_old_entries_and_keeps_the_newest(store: &Store) {
    let backend = store.backend();
    let window = now() - Duration::days(90);
    let stale = pair("Opera on Windows", "198.51.0.0/16", Duration::days(100));
    backend
        .remember_device("busy", &stale, now() - Duration::days(400))
        .await
        .unwrap();
    let extra = 5;
    for n in 0..MAX_KNOWN_DEVICES as i64 + extra {
        // Browser 0 is the newest.
        let device = pair(&format!("Browser {n}"), "10.0.0.0/16", Duration::minutes(n));
        backend
            .remember_device("busy", &device, window)
            .await
            .unwrap();
    }
    let known = backend
        .known_devices("busy", now() - Duration::days(400))
        .await
        .unwrap();
    let expected: Vec<String> = (0..MAX_KNOWN_DEVICES)
        .map(|n| format!("Browser {n}"))
        .collect();
    let devices: Vec<String> = known.into_iter().map(|k| k.device).collect();
    assert_eq!(devices, expected);

    // Users who never sign in again: the purge forgets what is older than its cut-off.
    let keep_all = now() - Duration::days(400);
    let gone = pair("Safari on macOS", "203.0.0.0/16", Duration::days(10));
    backend
        .remember_device("gone", &gone, keep_all)
        .await
        .unwrap();
    let recent = pair("Safari on macOS", "203.0.0.0/16", Duration::days(1));
    backend
        .remember_device("recent", &recent, keep_all)
        .await
        .unwrap();
    let forgotten = backend
        .forget_devices(now() - Duration::days(5), 1000)
        .await
        .unwrap();
    assert_eq!(forgotten, 1);
    assert!(
        backend
            .known_devices("gone", keep_all)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        backend.known_devices("recent", keep_all).await.unwrap(),
        [recent]
    );
    assert_eq!(
        backend.known_devices("busy", keep_all).await.unwrap().len(),
        MAX_KNOWN_DEVICES
    );
    assert_eq!(
        backend
            .forget_devices(now() - Duration::days(5), 1000)
            .await
            .unwrap(),
        0
    );
    // The store's purge uses its window: nothing here is 90 days old.
    assert_eq!(store.forget_unused_devices().await.unwrap(), 0);
    assert_eq!(store.purge_expired().await.unwrap(), 0);
    assert_eq!(store.known_devices("recent").await.unwrap().len(), 1);
}
