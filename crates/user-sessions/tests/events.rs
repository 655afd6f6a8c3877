//! Events in the order they happen, for each way a session ends.

use time::{Duration, OffsetDateTime};
use user_sessions::events::{EndedBy, Event, Subscription};
use user_sessions::{PublicId, SessionRecord, Store};

async fn store() -> Store {
    let store = Store::open("sqlite::memory:").await.unwrap();
    store.migrate().await.unwrap();
    store
}

/// Creates a session of `user` from `ip`, expiring in `lifetime`.
async fn session(store: &Store, secret: &str, user: &str, lifetime: Duration) -> PublicId {
    let mut record = SessionRecord::new(
        PublicId::from_secret(secret.as_bytes()),
        OffsetDateTime::now_utc() + lifetime,
    );
    record.info.user_id = Some(user.into());
    record.info.ip = Some("192.0.2.7".parse().unwrap());
    record.info.user_agent =
        Some("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0".into());
    assert!(store.create(&record).await.unwrap());
    record.id
}

/// Every event queued so far.
fn drain(events: &mut Subscription) -> Vec<Event> {
    std::iter::from_fn(|| events.try_recv()).collect()
}

fn created(id: PublicId, user: &str) -> Event {
    Event::Created {
        id,
        user_id: Some(user.into()),
        ip: Some("192.0.2.7".parse().unwrap()),
    }
}

fn ended(id: PublicId, user: Option<&str>, by: EndedBy) -> Event {
    Event::Ended {
        id,
        user_id: user.map(Into::into),
        by,
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_by_its_user() {
    let store = store().await;
    let mut events = store.events().subscribe(64);
    let a = session(&store, "a", "1", Duration::HOUR).await;
    assert!(store.delete(&a).await.unwrap());
    assert!(!store.delete(&a).await.unwrap(), "gone already: no event");
    assert_eq!(
        drain(&mut events),
        [created(a, "1"), ended(a, Some("1"), EndedBy::User)]
    );
}

#[tokio::test]
async fn ending_one_by_name_or_all_is_by_the_user() {
    let store = store().await;
    let mut events = store.events().subscribe(64);
    let a = session(&store, "a", "1", Duration::HOUR).await;
    let b = session(&store, "b", "1", Duration::HOUR).await;
    assert!(!store.end_user_session("2", &a).await.unwrap());
    assert!(store.end_user_session("1", &a).await.unwrap());
    assert_eq!(store.end_all_user_sessions("1").await.unwrap(), 1);
    assert_eq!(
        drain(&mut events),
        [
            created(a, "1"),
            created(b, "1"),
            ended(a, Some("1"), EndedBy::User),
            ended(b, Some("1"), EndedBy::User),
        ]
    );
}

#[tokio::test]
async fn ending_the_others_names_the_session_that_did() {
    let store = store().await;
    let mut events = store.events().subscribe(64);
    let a = session(&store, "a", "1", Duration::HOUR).await;
    let b = session(&store, "b", "1", Duration::HOUR).await;
    assert_eq!(store.end_other_user_sessions("1", &b).await.unwrap(), 1);
    assert_eq!(
        drain(&mut events),
        [
            created(a, "1"),
            created(b, "1"),
            ended(a, Some("1"), EndedBy::OtherSession { session: b }),
        ]
    );
}

#[tokio::test]
async fn an_admin_ends_as_the_acting_staff_member() {
    let store = store().await;
    let mut events = store.events().subscribe(64);
    let a = session(&store, "a", "1", Duration::HOUR).await;
    let b = session(&store, "b", "2", Duration::HOUR).await;
    let c = session(&store, "c", "3", Duration::HOUR).await;
    let admin = store.ending_as(EndedBy::Admin { staff: "9".into() });
    let by = || EndedBy::Admin { staff: "9".into() };
    assert_eq!(
        admin
            .delete_many(&[a, PublicId::from_secret(b"unknown")])
            .await
            .unwrap(),
        1
    );
    assert!(admin.delete(&b).await.unwrap());
    assert_eq!(admin.end_all_user_sessions("3").await.unwrap(), 1);
    assert_eq!(
        drain(&mut events),
        [
            created(a, "1"),
            created(b, "2"),
            created(c, "3"),
            ended(a, Some("1"), by()),
            ended(b, Some("2"), by()),
            ended(c, Some("3"), by()),
        ]
    );
    // The original handle still reports its own reasons.
    let d = session(&store, "d", "4", Duration::HOUR).await;
    store.delete(&d).await.unwrap();
    assert_eq!(
        drain(&mut events),
        [created(d, "4"), ended(d, Some("4"), EndedBy::User)]
    );
}

#[tokio::test]
async fn a_password_change_ends_the_others_and_keeps_the_current_one() {
    let store = store().await;
    let mut events = store.events().subscribe(64);
    let a = session(&store, "a", "1", Duration::HOUR).await;
    let b = session(&store, "b", "1", Duration::HOUR).await;
    let c = session(&store, "c", "1", Duration::HOUR).await;
    assert_eq!(store.password_changed("1", Some(&b)).await.unwrap(), 2);
    let at = store.mark_authenticated(&b).await.unwrap();
    assert!(at.is_some());
    let events = drain(&mut events);
    assert_eq!(
        events[..3],
        [created(a, "1"), created(b, "1"), created(c, "1")]
    );
    // The others, newest activity first (the order the user's sessions are listed in).
    let mut ended_ids = Vec::new();
    for event in &events[3..5] {
        match event {
            Event::Ended {
                id,
                user_id,
                by: EndedBy::PasswordChange,
            } if user_id.as_deref() == Some("1") => ended_ids.push(*id),
            other => panic!("unexpected {other:?}"),
        }
    }
    ended_ids.sort();
    let mut expected = vec![a, c];
    expected.sort();
    assert_eq!(ended_ids, expected);
    assert_eq!(
        events[5..],
        [Event::Reauthenticated {
            id: b,
            user_id: Some("1".into())
        }]
    );
    let kept = store.load(&b).await.unwrap().unwrap();
    assert_eq!(kept.authenticated_at, at);
    assert_eq!(store.user_sessions("1").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_purge_ends_each_expired_session_then_counts_them() {
    let store = store().await;
    let mut events = store.events().subscribe(64);
    let a = session(&store, "a", "1", -Duration::SECOND).await;
    assert_eq!(store.purge_expired().await.unwrap(), 1);
    assert_eq!(store.purge_expired().await.unwrap(), 0);
    assert_eq!(
        drain(&mut events),
        [
            created(a, "1"),
            Event::Ended {
                id: a,
                user_id: Some("1".into()),
                by: EndedBy::Expired
            },
            Event::Purged { count: 1 }
        ]
    );
}

#[tokio::test]
async fn marking_an_ended_session_authenticated_writes_nothing() {
    let store = store().await;
    let a = session(&store, "a", "1", Duration::HOUR).await;
    store.delete(&a).await.unwrap();
    let mut events = store.events().subscribe(64);
    assert_eq!(store.mark_authenticated(&a).await.unwrap(), None);
    assert!(store.load(&a).await.unwrap().is_none());
    assert!(drain(&mut events).is_empty());
}

#[tokio::test]
async fn a_sign_in_from_a_device_the_user_has_is_not_new() {
    let store = store().await;
    let a = session(&store, "a", "1", Duration::HOUR).await;
    let mut events = store.events().subscribe(64);
    let first = store.load(&a).await.unwrap().unwrap().info;
    assert_eq!(
        store.signed_in(&first).await.unwrap(),
        Some(true),
        "no other session"
    );
    let b = session(&store, "b", "1", Duration::HOUR).await;
    let second = store.load(&b).await.unwrap().unwrap().info;
    assert_eq!(store.signed_in(&second).await.unwrap(), Some(false));
    let mut elsewhere = second.clone();
    elsewhere.ip = Some("198.51.100.1".parse().unwrap());
    assert_eq!(store.signed_in(&elsewhere).await.unwrap(), Some(true));
    let flags: Vec<bool> = drain(&mut events)
        .into_iter()
        .filter_map(|event| match event {
            Event::SignedIn { new_device, .. } => Some(new_device),
            _ => None,
        })
        .collect();
    assert_eq!(flags, [true, false, true]);
}

#[tokio::test]
async fn a_subscriber_that_stops_reading_never_blocks_the_store() {
    let store = store().await;
    let mut stuck = store.events().subscribe(1);
    for n in 0..20 {
        session(&store, &format!("s{n}"), "1", Duration::HOUR).await;
    }
    assert_eq!(store.end_all_user_sessions("1").await.unwrap(), 20);
    assert_eq!(stuck.dropped(), 39);
    assert!(matches!(stuck.try_recv(), Some(Event::Created { .. })));
}

#[tokio::test]
async fn unobserved_sign_ins_are_remembered_but_not_judged() {
    let store = store().await;
    let a = session(&store, "a", "1", Duration::HOUR).await;
    let first = store.load(&a).await.unwrap().unwrap().info;
    assert_eq!(store.signed_in(&first).await.unwrap(), None);
    let known = store.known_devices("1").await.unwrap();
    assert_eq!(known.len(), 1);
    assert_eq!(known[0].network, "192.0.0.0/16");
    // Judged once something listens: the device is known from the history.
    let mut events = store.events().subscribe(64);
    store.end_all_user_sessions("1").await.unwrap();
    let b = session(&store, "b", "1", Duration::HOUR).await;
    let second = store.load(&b).await.unwrap().unwrap().info;
    assert_eq!(store.signed_in(&second).await.unwrap(), Some(false));
    assert!(drain(&mut events).iter().any(|event| matches!(
        event,
        Event::SignedIn {
            new_device: false,
            ..
        }
    )));
}
