//! The drop-in on a real stack: axum 0.8, tower-sessions 0.14, axum-login 0.18 and our store
//! on a SQLite file, driven request by request through the router — what a request records,
//! signing in and out, the sessions handle, user agents, proxies, privacy and cookies. What
//! reaches the store, and users no longer accepted: `axum_stack_rows`.
#![cfg(feature = "axum-login")]

mod stack;

use std::net::SocketAddr;

use axum::http::StatusCode;
use stack::*;
use time::OffsetDateTime;
use user_sessions::PublicId;
use user_sessions_axum::IpPrivacy;

#[tokio::test]
async fn a_request_that_never_touches_the_session_sets_no_cookie_and_writes_nothing() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    for (uri, status) in [
        ("/untouched", StatusCode::OK),
        ("/read", StatusCode::OK),
        ("/me", StatusCode::OK),
        ("/sessions", StatusCode::UNAUTHORIZED),
    ] {
        let answer = client.call(&h.app, "GET", uri).await;
        assert_eq!(answer.status, status, "{uri}");
        assert_eq!(answer.set_cookies().first(), None, "{uri}");
    }
    assert_eq!(h.rows().await, 0);
    assert_eq!(h.writes(), 0);
}

#[tokio::test]
async fn a_request_that_writes_the_session_stores_its_agent_and_ip() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client
        .extra
        .push(("sec-ch-ua-platform", b"\"Linux\"".to_vec()));
    client.extra.push(("sec-ch-ua-mobile", b"?0".to_vec()));
    let answer = client.call(&h.app, "POST", "/write").await;
    assert_eq!(answer.body, "1");
    assert!(!answer.set_cookies().is_empty());

    let row = h.row(&client).await.expect("row written");
    assert_eq!(row.ip, Some("198.51.100.7".parse().unwrap()));
    assert_eq!(row.user_agent.as_deref(), Some(FIREFOX));
    let hints = row.client_hints.expect("hints");
    assert_eq!(hints.platform.as_deref(), Some("\"Linux\""));
    assert_eq!(hints.mobile, Some(false));
    assert_eq!(row.user_id, None);
    assert_eq!(row.authenticated_at, None);
    assert_eq!(h.rows().await, 1);
    assert_eq!(h.writes(), 1);

    // The data round-trips; the row's columns stay out of the application's data.
    assert_eq!(client.call(&h.app, "GET", "/read").await.body, "Some(1)");
    let record = h.store.get(&client.public_id()).await.unwrap().unwrap();
    assert_eq!(
        record.data.keys().collect::<Vec<_>>(),
        vec!["counter"],
        "nothing but the application's data"
    );
}

#[tokio::test]
async fn login_through_axum_login_binds_the_user_and_cycles_the_row() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/write").await;
    let before = h.row(&client).await.expect("anonymous row");
    let old_cookie = client.cookie();
    let old_id = client.public_id();

    let answer = client.call(&h.app, "POST", "/login/alice/wonderland").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_ne!(client.cookie(), old_cookie, "the id is cycled at login");
    assert!(
        h.store.get(&old_id).await.unwrap().is_none(),
        "the pre-login row is gone"
    );

    let row = h.row(&client).await.expect("signed-in row");
    assert_eq!(row.user_id.as_deref(), Some("1"));
    assert!(row.authenticated_at.is_some());
    assert_eq!(row.ip, before.ip);
    assert_eq!(row.user_agent, before.user_agent);
    assert_eq!(
        row.created_at, before.created_at,
        "creation time survives id cycling"
    );
    assert_eq!(h.rows().await, 1);
    assert_eq!(client.call(&h.app, "GET", "/me").await.body, "1");
    // The application's data survived too.
    assert_eq!(client.call(&h.app, "GET", "/read").await.body, "Some(1)");

    // A wrong password changes nothing.
    let mut stranger = Client::new("203.0.113.1", SAFARI);
    assert_eq!(
        stranger
            .call(&h.app, "POST", "/login/alice/nope")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(h.rows().await, 1);
}

#[tokio::test]
async fn a_later_request_from_elsewhere_updates_ip_and_agent() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    let writes = h.writes();

    // Same place, same browser: nothing to write.
    client.call(&h.app, "GET", "/me").await;
    assert_eq!(h.writes(), writes);

    client.ip = SocketAddr::new("2001:db8::42".parse().unwrap(), 443);
    client.user_agent = SAFARI.as_bytes().to_vec();
    let answer = client.call(&h.app, "GET", "/me").await;
    assert_eq!(answer.body, "1");
    assert_eq!(h.writes(), writes + 1);
    let row = h.row(&client).await.unwrap();
    assert_eq!(row.ip, Some("2001:db8::42".parse().unwrap()));
    assert_eq!(row.user_agent.as_deref(), Some(SAFARI));
    assert_eq!(row.user_id.as_deref(), Some("1"));
}

#[tokio::test]
async fn a_session_cleared_and_refilled_by_the_handler_still_records_its_client() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/write").await;
    // The session was loaded as it is stored, then the handler cleared it (metadata included).
    assert_eq!(
        client.call(&h.app, "POST", "/restart").await.body,
        "restarted"
    );
    let row = h.row(&client).await.expect("row kept");
    assert_eq!(row.ip, Some("198.51.100.7".parse().unwrap()));
    assert_eq!(row.user_agent.as_deref(), Some(FIREFOX));
    assert_eq!(client.call(&h.app, "GET", "/read").await.body, "None");
}

#[tokio::test]
async fn logout_removes_the_row_and_clears_the_cookie_twice_harmlessly() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    let id = client.public_id();
    let cookie = client.cookie();

    let answer = client.call(&h.app, "POST", "/logout").await;
    assert_eq!(answer.status, StatusCode::OK);
    let set_cookie = *answer.set_cookies().first().expect("removal cookie");
    assert!(
        set_cookie.starts_with("id=;") || set_cookie.contains("Max-Age=0"),
        "{set_cookie}"
    );
    assert!(h.store.get(&id).await.unwrap().is_none());
    assert_eq!(h.rows().await, 0);

    // Again, with the old cookie (a second tab) and without one.
    client.set_cookie(cookie.as_deref());
    let again = client.call(&h.app, "POST", "/logout").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        client.call(&h.app, "POST", "/logout").await.status,
        StatusCode::OK
    );
    assert_eq!(client.call(&h.app, "GET", "/me").await.body, "anonymous");
    assert_eq!(h.rows().await, 0);
}

#[tokio::test]
async fn sessions_handle_lists_and_ends_only_my_sessions() {
    let h = harness(|layer| layer).await;
    let mut laptop = Client::new("198.51.100.7", FIREFOX);
    let mut phone = Client::new("203.0.113.9", SAFARI);
    let mut tablet = Client::new("203.0.113.10", SAFARI);
    let mut bob = Client::new("192.0.2.20", FIREFOX);
    laptop.call(&h.app, "POST", "/login/alice/wonderland").await;
    phone.call(&h.app, "POST", "/login/alice/wonderland").await;
    tablet.call(&h.app, "POST", "/login/alice/wonderland").await;
    bob.call(&h.app, "POST", "/login/bob/builder").await;

    let listed: serde_json::Value =
        serde_json::from_str(&laptop.call(&h.app, "GET", "/sessions").await.body).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3);
    let current: Vec<_> = listed.iter().filter(|s| s["is_current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], laptop.public_id().to_string());
    assert!(listed.iter().all(|s| s["user_id"] == "1"));

    // Bob's session is not mine to end.
    let answer = laptop
        .call(
            &h.app,
            "POST",
            &format!("/sessions/{}/end", bob.public_id()),
        )
        .await;
    assert_eq!(answer.body, "false");
    assert_eq!(bob.call(&h.app, "GET", "/me").await.body, "2");
    // Neither is a made-up one.
    let made_up = PublicId::from_secret(b"made up");
    assert_eq!(
        laptop
            .call(&h.app, "POST", &format!("/sessions/{made_up}/end"))
            .await
            .body,
        "false"
    );

    // Ending the phone makes its next request anonymous (and clears its cookie).
    let answer = laptop
        .call(
            &h.app,
            "POST",
            &format!("/sessions/{}/end", phone.public_id()),
        )
        .await;
    assert_eq!(answer.body, "true");
    let next = phone.call(&h.app, "GET", "/me").await;
    assert_eq!(next.body, "anonymous");
    assert!(!next.set_cookies().is_empty(), "the dead cookie is cleared");
    assert_eq!(phone.cookie(), None);

    // End all others: the tablet goes, the laptop stays.
    assert_eq!(
        laptop
            .call(&h.app, "POST", "/sessions/others/end")
            .await
            .body,
        "1"
    );
    assert_eq!(tablet.call(&h.app, "GET", "/me").await.body, "anonymous");
    assert_eq!(laptop.call(&h.app, "GET", "/me").await.body, "1");

    // Ending my own current session logs me out.
    let own = laptop.public_id();
    let answer = laptop
        .call(&h.app, "POST", &format!("/sessions/{own}/end"))
        .await;
    assert_eq!(answer.body, "true");
    assert_eq!(laptop.cookie(), None);
    assert_eq!(laptop.call(&h.app, "GET", "/me").await.body, "anonymous");

    // End all, from a fresh login: everything of alice's goes, bob stays.
    let mut desktop = Client::new("198.51.100.8", FIREFOX);
    desktop
        .call(&h.app, "POST", "/login/alice/wonderland")
        .await;
    laptop.call(&h.app, "POST", "/login/alice/wonderland").await;
    assert_eq!(
        desktop.call(&h.app, "POST", "/sessions/all/end").await.body,
        "2"
    );
    assert_eq!(desktop.cookie(), None);
    assert_eq!(laptop.call(&h.app, "GET", "/me").await.body, "anonymous");
    assert_eq!(bob.call(&h.app, "GET", "/me").await.body, "2");

    // Anonymous callers have nothing to list or end: they are told they are not signed in.
    let mut anonymous = Client::new("192.0.2.99", FIREFOX);
    assert_eq!(
        anonymous.call(&h.app, "GET", "/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .call(
                &h.app,
                "POST",
                &format!("/sessions/{}/end", bob.public_id())
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .call(&h.app, "POST", "/sessions/all/end")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(bob.call(&h.app, "GET", "/me").await.body, "2");
}

#[tokio::test]
async fn awkward_user_agents_are_stored_sensibly() {
    let h = harness(|layer| layer).await;
    let long = "x".repeat(400);
    let mut client = Client::new("198.51.100.7", &long);
    client.call(&h.app, "POST", "/write").await;
    assert_eq!(
        h.row(&client).await.unwrap().user_agent.as_deref(),
        Some(long.as_str())
    );

    let h = harness(|layer| layer.max_user_agent_len(100)).await;
    let mut client = Client::new("198.51.100.7", &long);
    client.call(&h.app, "POST", "/write").await;
    assert_eq!(h.row(&client).await.unwrap().user_agent.unwrap().len(), 100);

    // 99 ASCII bytes then a 3-byte character: the cut falls inside it.
    let multibyte = format!("{}€€€", "a".repeat(99));
    let mut client = Client::new("198.51.100.7", &multibyte);
    let answer = client.call(&h.app, "POST", "/write").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        h.row(&client).await.unwrap().user_agent.unwrap(),
        "a".repeat(99)
    );

    // Not UTF-8 at all.
    let mut client = Client::new("198.51.100.7", "");
    client.user_agent = b"Agent\xff\xfe/1.0".to_vec();
    let answer = client.call(&h.app, "POST", "/write").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        h.row(&client).await.unwrap().user_agent.as_deref(),
        Some("Agent\u{fffd}\u{fffd}/1.0")
    );
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    // No trusted proxies: a spoofed X-Forwarded-For is ignored.
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.extra.push(("x-forwarded-for", b"1.2.3.4".to_vec()));
    client.extra.push(("forwarded", b"for=1.2.3.4".to_vec()));
    client.call(&h.app, "POST", "/write").await;
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("198.51.100.7".parse().unwrap())
    );

    // Behind a trusted proxy: the client's address from the header.
    let h = harness(|layer| layer.trusted_proxies("10.0.0.0/8".parse().unwrap())).await;
    let mut client = Client::new("10.0.0.1", FIREFOX);
    client
        .extra
        .push(("x-forwarded-for", b"6.6.6.6, 203.0.113.50".to_vec()));
    client.call(&h.app, "POST", "/write").await;
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("203.0.113.50".parse().unwrap())
    );

    // An invalid forwarded address: the proxy's own, nothing lost, no error.
    let mut client = Client::new("10.0.0.1", FIREFOX);
    client
        .extra
        .push(("x-forwarded-for", b"300.1.2.3".to_vec()));
    let answer = client.call(&h.app, "POST", "/write").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("10.0.0.1".parse().unwrap())
    );

    let mut client = Client::new("10.0.0.1", FIREFOX);
    client
        .extra
        .push(("x-forwarded-for", b"\xff garbage".to_vec()));
    assert_eq!(
        client.call(&h.app, "POST", "/write").await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.row(&client).await.unwrap().ip,
        Some("10.0.0.1".parse().unwrap())
    );
}

#[tokio::test]
async fn privacy_settings_mask_the_ip_and_drop_the_agent() {
    let h = harness(|layer| layer.ip_privacy(IpPrivacy::Masked).record_user_agent(false)).await;
    let mut client = Client::new("198.51.100.77", FIREFOX);
    client
        .extra
        .push(("sec-ch-ua-platform", b"\"Linux\"".to_vec()));
    client.call(&h.app, "POST", "/write").await;
    let row = h.row(&client).await.unwrap();
    assert_eq!(row.ip, Some("198.51.100.0".parse().unwrap()));
    assert_eq!(row.user_agent, None);
    assert_eq!(row.client_hints, None);

    let h = harness(|layer| layer.ip_privacy(IpPrivacy::Off)).await;
    let mut client = Client::new("2001:db8:1:2::3", FIREFOX);
    client.call(&h.app, "POST", "/write").await;
    assert_eq!(h.row(&client).await.unwrap().ip, None);
}

#[tokio::test]
async fn garbage_unknown_and_expired_cookies_read_as_anonymous() {
    let h = harness(|layer| layer).await;
    let mut client = Client::new("198.51.100.7", FIREFOX);
    for cookie in ["id=garbage", "id=%%%", "id=", "id=AAAAAAAAAAAAAAAAAAAAAA"] {
        client.set_cookie(Some(cookie));
        let answer = client.call(&h.app, "GET", "/me").await;
        assert_eq!(answer.status, StatusCode::OK, "{cookie}");
        assert_eq!(answer.body, "anonymous", "{cookie}");
    }
    assert_eq!(h.rows().await, 0);

    // An expired session: anonymous, and a write starts a new one.
    let mut client = Client::new("198.51.100.7", FIREFOX);
    client.call(&h.app, "POST", "/login/alice/wonderland").await;
    let mut record = h.store.get(&client.public_id()).await.unwrap().unwrap();
    record.info.expires_at = OffsetDateTime::now_utc() - time::Duration::minutes(1);
    h.store.save(&record).await.unwrap();
    let answer = client.call(&h.app, "GET", "/me").await;
    assert_eq!(answer.body, "anonymous");
    assert_eq!(client.cookie(), None, "the expired cookie is cleared");
    let answer = client.call(&h.app, "POST", "/write").await;
    assert_eq!(answer.body, "1", "the old data is not resurrected");
}
