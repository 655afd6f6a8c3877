//! The connections of the PostgreSQL and MySQL backends: kept between operations (no test
//! round trip when one is given back), never more than `max_connections` in use, and never
//! reused after an operation that was abandoned midway.
#![cfg(any(feature = "postgres", feature = "mysql"))]

use std::time::Duration;

use time::OffsetDateTime;
use user_sessions::test_servers::TestDatabase;
use user_sessions::{PublicId, SessionRecord, Store};

fn session(n: u32) -> SessionRecord {
    let mut record = SessionRecord::new(
        PublicId::from_secret(format!("connections-{n}").as_bytes()),
        OffsetDateTime::now_utc() + time::Duration::hours(1),
    );
    record.data.insert("n".into(), serde_json::json!(n));
    record
}

/// Many tasks share one connection, and an operation abandoned while the server made it wait
/// (its future dropped: a request cancelled, a timeout) neither keeps its connection nor its
/// place: the next operations run on a fresh connection.
async fn an_abandoned_operation_leaves_nothing_behind(db: &TestDatabase, store: Store) {
    let record = session(1);
    store.create(&record).await.unwrap();

    // Sixteen tasks, one connection: they take turns.
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (store, id) = (store.clone(), record.id);
            tokio::spawn(async move {
                for _ in 0..20 {
                    assert!(store.load(&id).await.unwrap().is_some());
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }

    // Another client locks the row; a save waits for it and is abandoned.
    let held = db.lock_row(&record.id).await;
    let mut changed = record.clone();
    changed
        .data
        .insert("n".into(), serde_json::json!("changed"));
    let save = store.save(&changed);
    let abandoned = tokio::select! {
        saved = save => Some(saved),
        () = db.wait_for_running_statement() => None,
    };
    assert!(abandoned.is_none(), "the save waits for the row lock");
    drop(held);

    // The one connection's place is free again, and the next operations work.
    let loaded = tokio::time::timeout(Duration::from_secs(10), store.load(&record.id))
        .await
        .expect("a load after the abandoned save hung: its connection was not given up")
        .unwrap()
        .unwrap();
    assert!(loaded.data["n"] == serde_json::json!(1) || loaded.data["n"] == "changed");
    // The server runs the abandoned save once the row is free (nothing calls it back); a later
    // save that overtook it would be undone by it.
    db.wait_for_no_running_statement().await;
    store.save(&record).await.unwrap();
    assert_eq!(
        store.load(&record.id).await.unwrap().unwrap().data["n"],
        serde_json::json!(1)
    );
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn postgres_an_abandoned_operation_leaves_nothing_behind() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let store = db.open_store_with_pool(1, Duration::from_secs(5)).await;
    an_abandoned_operation_leaves_nothing_behind(&db, store).await;
}

#[cfg(feature = "mysql")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
async fn mysql_an_abandoned_operation_leaves_nothing_behind() {
    let Some(db) = TestDatabase::mysql().await else {
        return;
    };
    let store = db.open_store_with_pool(1, Duration::from_secs(5)).await;
    an_abandoned_operation_leaves_nothing_behind(&db, store).await;
}
