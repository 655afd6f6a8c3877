//! The session events a web application sees, in order: sign-ins (new device or not), a
//! client change, and each way the account pages end a session.
#![cfg(feature = "pages")]

mod pages_support;

use axum::http::StatusCode;
use pages_support::{App, CHROME_WINDOWS, FIREFOX_MAC, drain};
use user_sessions::PublicId;
use user_sessions::events::{EndedBy, Event};

/// The new-device flags of the sign-ins among `events`, and that each came after its
/// session's creation.
fn sign_ins(events: &[Event]) -> Vec<(PublicId, bool)> {
    let mut created = Vec::new();
    let mut signed_in = Vec::new();
    for event in events {
        match event {
            Event::Created { id, .. } => created.push(*id),
            Event::SignedIn { id, new_device, .. } => {
                assert!(created.contains(id), "signed in before created: {events:?}");
                signed_in.push((*id, *new_device));
            }
            _ => {}
        }
    }
    signed_in
}

#[tokio::test]
async fn sign_ins_client_changes_and_ends_in_order() {
    let app = App::new(|pages| pages).await;
    let mut events = app.store.events().subscribe(256);

    let mut laptop = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let laptop_id = laptop.current_id(&app).await;
    // The same browser on the same network: a device bob has.
    let mut again = app.signed_in("bob", "203.0.7.7", FIREFOX_MAC).await;
    let again_id = again.current_id(&app).await;
    // Another browser: new.
    let mut desktop = app.signed_in("bob", "203.0.113.10", CHROME_WINDOWS).await;
    let desktop_id = desktop.current_id(&app).await;
    let seen = drain(&mut events);
    assert_eq!(
        sign_ins(&seen),
        [(laptop_id, true), (again_id, false), (desktop_id, true)]
    );
    for event in &seen {
        if let Event::SignedIn { user_id, .. } = event {
            assert_eq!(user_id, "bob");
        }
    }

    // The laptop moves to another network.
    laptop.ip = "198.51.100.99:40000".parse().unwrap();
    laptop.json_list(&app).await;
    assert_eq!(
        drain(&mut events),
        [Event::ClientChanged {
            id: laptop_id,
            user_id: Some("bob".into()),
            ip: Some("198.51.100.99".parse().unwrap()),
            user_agent: Some(FIREFOX_MAC.into()),
        }]
    );

    // Ending another session from the laptop names the laptop.
    let token = laptop.token(&app).await;
    let answer = laptop
        .delete(
            &app,
            &format!("/account/sessions/{again_id}/delete/"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let others = EndedBy::OtherSession { session: laptop_id };
    assert_eq!(
        drain(&mut events),
        [Event::Ended {
            id: again_id,
            user_id: Some("bob".into()),
            by: others.clone(),
        }]
    );

    // "Sign out all other sessions".
    let answer = laptop
        .delete(&app, "/account/sessions/other/delete/", &token)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        drain(&mut events),
        [Event::Ended {
            id: desktop_id,
            user_id: Some("bob".into()),
            by: others,
        }]
    );

    // Ending the current session is the user signing out.
    let answer = laptop
        .delete(
            &app,
            &format!("/account/sessions/{laptop_id}/delete/"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        drain(&mut events),
        [Event::Ended {
            id: laptop_id,
            user_id: Some("bob".into()),
            by: EndedBy::User,
        }]
    );
    assert!(app.session_ids("bob").await.is_empty());
}
