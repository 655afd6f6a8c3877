//! Keyset paging: walking every page visits every session once — no gaps, no repeats — while
//! new sessions keep arriving, with and without filters.
#![cfg(feature = "admin")]

mod admin_support;

use std::collections::BTreeSet;

use admin_support::{ADMIN, App, Client, hex, record};
use serde_json::Value;
use time::Duration;

/// Walks the list from `first` by its `next_url`; after each page, `between` runs.
async fn walk(
    app: &App,
    client: &mut Client,
    first: &str,
    mut between: impl AsyncFnMut(usize),
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut url = first.to_owned();
    for page in 0.. {
        let list: Value = client.json(app, &url).await;
        let ids = admin_support::ids(&list);
        assert!(ids.len() <= 25, "a page larger than asked");
        seen.extend(ids);
        between(page).await;
        match list["next_url"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
        assert!(page < 1000, "paging does not end");
    }
    seen
}

#[tokio::test]
async fn pages_have_no_gaps_or_repeats_while_sessions_are_added() {
    let app = App::new().await;
    let mut existing = BTreeSet::new();
    let mut batch = Vec::new();
    // 230 sessions, some sharing a last-activity time (the cursor breaks ties by id).
    for n in 0..230u64 {
        let age = Duration::seconds((n / 3) as i64 * 7 + 60);
        let user = ["2", "3", "4"][(n % 3) as usize];
        let ip = format!("203.0.{}.{}", n % 2, n % 200 + 1);
        let expires = if n % 10 == 0 {
            -Duration::minutes(1)
        } else {
            Duration::hours(1)
        };
        let record = record(n, Some(user), &ip, age, expires);
        existing.insert(hex(&record.info.id));
        batch.push(record);
    }
    app.store.create_many(&batch).await.expect("create");
    let mut alice = app.signed_in("1", "192.0.2.10").await;
    let mine = alice.ids(&app, "/admin/sessions/?owner=my").await;
    existing.extend(mine);

    let mut added = 10_000u64;
    let seen = walk(&app, &mut alice, &format!("{ADMIN}?limit=25"), async |_| {
        // Newer sessions arrive between page views (they belong to the first page).
        for _ in 0..3 {
            added += 1;
            app.add(
                added,
                Some("2"),
                "198.51.100.1",
                Duration::ZERO,
                Duration::hours(1),
            )
            .await;
        }
    })
    .await;
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a session was listed twice");
    assert_eq!(unique, existing, "a session was missed");
}

/// 300 sessions of bob and carol, from 10.0.0.1 (every seventh) and from addresses that start
/// the same (10.0.0.1x, 10.0.0.1xx); every fourth has expired.
fn filtered_batch() -> Vec<user_sessions::SessionRecord> {
    (0..300u64)
        .map(|n| {
            let age = Duration::seconds(n as i64 * 5 + 60);
            let user = ["2", "3"][(n % 2) as usize];
            let ip = if n % 7 == 0 {
                "10.0.0.1".to_owned()
            } else {
                format!("10.0.0.{}", 10 + n % 190)
            };
            let expires = if n % 4 == 0 {
                -Duration::minutes(1)
            } else {
                Duration::hours(1)
            };
            record(n, Some(user), &ip, age, expires)
        })
        .collect()
}

/// Which sessions of [`filtered_batch`] a query lists, by number.
type Wanted = fn(u64) -> bool;

#[tokio::test]
async fn filtered_pages_have_no_gaps_or_repeats_either() {
    let cases: [(&str, Wanted); 4] = [
        ("q=bob", |n| n % 2 == 0),
        ("q=10.0.0.1", |n| n % 7 == 0),
        ("active=1&q=10.0.0.", |n| n % 4 != 0),
        ("active=0&q=carol", |n| n % 4 == 0 && n % 2 == 1),
    ];
    for (query, wanted) in cases {
        let app = App::new().await;
        let batch = filtered_batch();
        app.store.create_many(&batch).await.expect("create");
        let mut alice = app.signed_in("1", "192.0.2.10").await;
        let expected: BTreeSet<String> = batch
            .iter()
            .enumerate()
            .filter(|(n, _)| wanted(*n as u64))
            .map(|(_, r)| hex(&r.info.id))
            .collect();
        let mut added = 20_000u64;
        let seen = walk(
            &app,
            &mut alice,
            &format!("{ADMIN}?{query}&limit=25"),
            async |_| {
                // A newer session that matches every filter but `active=0`.
                added += 1;
                let user = ["2", "3"][(added % 2) as usize];
                let newer = record(
                    added,
                    Some(user),
                    "10.0.0.1",
                    Duration::ZERO,
                    Duration::hours(1),
                );
                app.store.save(&newer).await.expect("save");
            },
        )
        .await;
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{query}: a session was listed twice"
        );
        assert_eq!(
            unique, expected,
            "{query}: a session was missed, or a newer one shown late"
        );
    }
}
