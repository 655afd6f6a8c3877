//! The Redis backend's index bookkeeping: a save that pushes the expiry a little does not move
//! the session in the expiry index, yet counts and purges stay exact (`TEST_REDIS_URL`;
//! ignored when unset).
#![cfg(all(feature = "redis", feature = "conformance"))]

use time::{Duration, OffsetDateTime};
use user_sessions::redis::RedisBackend;
use user_sessions::test_servers::TestDatabase;
use user_sessions::{Backend, Filter, PublicId, SessionInfo, Status, StoredSession};

/// The current time at the precision the backends keep (whole milliseconds): these tests write
/// through the backend directly, which stores the times it is given.
fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_millisecond(t.millisecond())
        .expect("a millisecond of a valid time")
}

fn session(n: u8, user: &str, expires_at: OffsetDateTime) -> StoredSession {
    StoredSession {
        info: SessionInfo {
            user_id: Some(user.to_owned()),
            ..SessionInfo::new(PublicId::from_secret(&[n]), expires_at)
        },
        data: b"{}".to_vec(),
    }
}

/// A backend on a migrated store of its own (the database guard first); `None` without
/// `TEST_REDIS_URL`.
async fn migrated() -> Option<(TestDatabase, RedisBackend)> {
    let db = TestDatabase::redis().await?;
    let backend = RedisBackend::open(db.url()).await.unwrap();
    backend.migrate().await.unwrap();
    Some((db, backend))
}

async fn count(backend: &RedisBackend, status: Status, at: OffsetDateTime) -> u64 {
    backend
        .count(&Filter::default().status(status), at)
        .await
        .unwrap()
}

#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn a_slightly_later_expiry_counts_and_purges_by_the_real_expiry() {
    let Some((_db, backend)) = migrated().await else {
        return;
    };
    let start = now();
    let first = start + Duration::hours(1);

    let mut extended = session(1, "ann", first);
    backend.save(&extended).await.unwrap();
    let plain = session(2, "ann", first);
    backend.save(&plain).await.unwrap();
    // Thirty seconds more: within the index's minute, so only the session itself records it.
    extended.info.expires_at = first + Duration::seconds(30);
    extended.data = br#"{"n":1}"#.to_vec();
    assert!(backend.update(&extended).await.unwrap());

    let between = first + Duration::seconds(10);
    assert_eq!(count(&backend, Status::Active, between).await, 1);
    assert_eq!(count(&backend, Status::Expired, between).await, 1);
    assert_eq!(count(&backend, Status::All, between).await, 2);

    // Purging at that moment ends only the session that really expired.
    assert_eq!(backend.purge_expired(between, 10).await.unwrap().count(), 1);
    assert!(backend.get(&plain.info.id).await.unwrap().is_none());
    let kept = backend.get(&extended.info.id).await.unwrap().unwrap();
    assert_eq!(kept.info.expires_at, first + Duration::seconds(30));
    assert_eq!(kept.data, br#"{"n":1}"#.to_vec());
    assert_eq!(count(&backend, Status::Active, between).await, 1);
    assert_eq!(
        backend.user_sessions("ann", between).await.unwrap().len(),
        1
    );

    // After the real expiry it goes too.
    let after = first + Duration::seconds(31);
    assert_eq!(count(&backend, Status::Expired, after).await, 1);
    assert_eq!(backend.purge_expired(after, 10).await.unwrap().count(), 1);
    assert_eq!(count(&backend, Status::All, after).await, 0);
    backend.clear().await.unwrap();
}

#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn a_purge_stops_at_its_limit_and_resumes() {
    let Some((_db, backend)) = migrated().await else {
        return;
    };
    let expired = now() - Duration::minutes(5);
    let sessions: Vec<StoredSession> = (0..25).map(|n| session(n, "bob", expired)).collect();
    for s in &sessions {
        backend.save(s).await.unwrap();
    }
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap().count(), 10);
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap().count(), 10);
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap().count(), 5);
    assert_eq!(backend.purge_expired(now(), 10).await.unwrap().count(), 0);
    assert!(
        backend
            .user_sessions("bob", expired)
            .await
            .unwrap()
            .is_empty()
    );
    backend.clear().await.unwrap();
}

/// Two backends on one migrated store, as two app servers would have (the database guard
/// first).
async fn two_app_servers() -> Option<(TestDatabase, RedisBackend, RedisBackend)> {
    let (db, first) = migrated().await?;
    let second = RedisBackend::open(db.url()).await.unwrap();
    Some((db, first, second))
}

/// Two app servers on one Redis: the first loads a session, the second signs it over to
/// another user, then the first saves what it loaded (a plain `SET`, no script: nothing
/// indexed changes from what it read). The session ends up the first user's again — last
/// writer wins, as for any store — and must then be in that user's index, so that ending all
/// of the user's sessions ends it.
#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn a_late_save_keeps_the_session_in_its_users_index() {
    let Some((_db, first, second)) = two_app_servers().await else {
        return;
    };
    let start = now();
    let created = session(7, "ann", start + Duration::hours(1));
    assert!(first.create(&created, start).await.unwrap());

    let mut on_first = first.get(&created.info.id).await.unwrap().unwrap();
    let mut on_second = second.get(&created.info.id).await.unwrap().unwrap();
    on_second.info.user_id = Some("bob".into());
    assert!(second.update(&on_second).await.unwrap());
    assert_eq!(first.user_sessions("bob", start).await.unwrap().len(), 1);

    on_first.info.expires_at += Duration::seconds(20);
    on_first.data = br#"{"n":2}"#.to_vec();
    assert!(first.update(&on_first).await.unwrap());

    let stored = second.get(&created.info.id).await.unwrap().unwrap();
    assert_eq!(stored.info.user_id.as_deref(), Some("ann"));
    assert_eq!(stored.data, br#"{"n":2}"#.to_vec());
    let anns = second.user_sessions("ann", start).await.unwrap();
    assert_eq!(anns.len(), 1);
    assert_eq!(anns[0].expires_at, on_first.info.expires_at);
    assert!(second.user_sessions("bob", start).await.unwrap().is_empty());
    // Bob cannot end it any more; ending all of Ann's does.
    assert_eq!(second.delete_user_sessions("bob", None).await.unwrap(), 0);
    assert_eq!(second.delete_user_sessions("ann", None).await.unwrap(), 1);
    assert!(first.get(&created.info.id).await.unwrap().is_none());
    assert_eq!(count(&first, Status::All, start).await, 0);
    first.clear().await.unwrap();
}

/// Two requests on one session at once: both loaded it, both save. Each save lands (the later
/// one wins, as for any store), with the columns each request had, and the session stays
/// where its indexes say.
#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn two_saves_after_loads_of_one_session_both_land() {
    let Some((_db, backend)) = migrated().await else {
        return;
    };
    let start = now();
    let mut created = session(9, "di", start + Duration::hours(1));
    created.info.ip = Some("192.0.2.1".parse().unwrap());
    created.info.user_agent = Some("Firefox".into());
    assert!(backend.create(&created, start).await.unwrap());

    let mut first = backend.get(&created.info.id).await.unwrap().unwrap();
    let mut second = backend.get(&created.info.id).await.unwrap().unwrap();
    first.info.expires_at += Duration::seconds(10);
    first.info.user_agent = Some("Safari".into());
    first.data = br#"{"n":1}"#.to_vec();
    assert!(backend.update(&first).await.unwrap());
    assert_eq!(backend.get(&created.info.id).await.unwrap().unwrap(), first);
    second.info.expires_at += Duration::seconds(20);
    second.data = br#"{"n":2}"#.to_vec();
    assert!(backend.update(&second).await.unwrap());

    let stored = backend.get(&created.info.id).await.unwrap().unwrap();
    assert_eq!(stored, second);
    assert_eq!(stored.info.user_agent.as_deref(), Some("Firefox"));
    let listed = backend.user_sessions("di", start).await.unwrap();
    assert_eq!(listed, vec![second.info.clone()]);
    assert_eq!(count(&backend, Status::Active, start).await, 1);
    backend.clear().await.unwrap();
}

/// A save after a load never brings back a session that was ended meanwhile.
#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn a_save_after_the_session_was_ended_writes_nothing() {
    let Some((_db, first, second)) = two_app_servers().await else {
        return;
    };
    let start = now();
    let created = session(8, "cy", start + Duration::hours(1));
    assert!(first.create(&created, start).await.unwrap());
    let mut loaded = first.get(&created.info.id).await.unwrap().unwrap();
    assert!(second.delete(&created.info.id).await.unwrap());
    loaded.info.expires_at += Duration::seconds(5);
    assert!(!first.update(&loaded).await.unwrap());
    assert!(first.get(&created.info.id).await.unwrap().is_none());
    assert!(first.user_sessions("cy", start).await.unwrap().is_empty());
    first.clear().await.unwrap();
}

/// Runs one command on the test server with a client of its own.
async fn command(db: &TestDatabase, args: &[&str]) -> fred::prelude::Value {
    use fred::prelude::{ClientLike, Config};
    let (server, _) = db.url().split_once('?').unwrap_or((db.url(), ""));
    let client = fred::prelude::Client::new(Config::from_url(server).unwrap(), None, None, None);
    client.init().await.unwrap();
    let (name, rest) = args.split_first().unwrap();
    let cmd = fred::types::CustomCommand::new(name.to_string(), None::<u16>, false);
    let reply = client
        .custom(cmd, rest.iter().map(|a| a.to_string()).collect::<Vec<_>>())
        .await
        .unwrap();
    client.quit().await.unwrap();
    reply
}

/// A store of the single-slot layout (2) that holds sessions is not converted: `migrate`
/// refuses with an error that says what to do, and changes nothing. Once its keys are gone,
/// `migrate` moves the store to the spread layout.
#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn migrate_refuses_a_single_slot_layout_that_holds_sessions() {
    let Some(db) = TestDatabase::redis().await else {
        return;
    };
    let backend = RedisBackend::open(db.url()).await.unwrap();
    let prefix = backend.key_prefix().to_owned();
    let id = PublicId::from_secret(b"layout 2");
    let old_key = format!("{{{prefix}}}:s:{id}");
    command(&db, &["SET", &format!("{{{prefix}}}:schema"), "2"]).await;
    command(
        &db,
        &["SET", &old_key, "[1,2,3,4,5,null]\n{\"created\":1}\n{}"],
    )
    .await;
    command(
        &db,
        &[
            "ZADD",
            &format!("{{{prefix}}}:activity"),
            "2",
            &id.to_string(),
        ],
    )
    .await;

    assert_eq!(backend.pending_migrations().await.unwrap(), 1);
    match backend.migrate().await {
        Err(user_sessions::Error::Backend(message)) => {
            let message = message.to_string();
            assert!(message.contains("layout 2"), "{message}");
            assert!(message.contains("new key prefix"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(backend.pending_migrations().await.unwrap(), 1);
    let kept = command(&db, &["EXISTS", &old_key]).await;
    assert_eq!(
        kept.as_i64(),
        Some(1),
        "a refused migration deletes nothing"
    );

    // Without sessions, the old layout's leftovers are dropped and the version bumped.
    command(&db, &["DEL", &old_key]).await;
    backend.migrate().await.unwrap();
    assert_eq!(backend.pending_migrations().await.unwrap(), 0);
    let left = command(&db, &["EXISTS", &format!("{{{prefix}}}:activity")]).await;
    assert_eq!(left.as_i64(), Some(0));
    let version = command(&db, &["GET", &format!("{{{prefix}}}:schema")]).await;
    assert_eq!(version.as_i64(), Some(3));
    // And the store works.
    let created = session(1, "dee", now() + Duration::hours(1));
    assert!(backend.create(&created, now()).await.unwrap());
    assert_eq!(backend.user_sessions("dee", now()).await.unwrap().len(), 1);
    backend.clear().await.unwrap();
}
