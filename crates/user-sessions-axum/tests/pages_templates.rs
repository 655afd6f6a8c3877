//! The application's templates take precedence over the embedded ones, by name.
#![cfg(feature = "pages")]

mod pages_support;

use pages_support::{App, FIREFOX_MAC};
use user_sessions_axum::pages::Templates;

#[tokio::test]
async fn a_template_directory_overrides_per_name() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(dir.path().join("user_sessions")).expect("mkdir");
    std::fs::write(
        dir.path().join("user_sessions/base.html"),
        "<!doctype html><html lang=\"{{ lang }}\"><body class=\"my-app\">{% block content %}{% endblock %}</body></html>",
    )
    .expect("write");
    let path = dir.path().to_owned();
    let app = App::new(move |p| p.templates(Templates::from_dir(path))).await;
    let mut client = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    let html = client.page(&app).await.body;
    // The application's base, the embedded list inside it.
    assert!(html.contains("<body class=\"my-app\">"), "{html}");
    assert!(html.contains("Active sessions"));
    assert!(html.contains("<bdi>Firefox</bdi> on <bdi>macOS</bdi>"));
}

#[tokio::test]
async fn an_application_environment_overrides_per_name() {
    let mut env = minijinja::Environment::new();
    env.add_template(
        "user_sessions/session_list.html",
        "{% for s in sessions %}[{{ s.user_agent|device }} {{ s.last_activity|timesince }}]{% endfor %}",
    )
    .expect("template");
    let app = App::new(move |p| p.templates(Templates::from_environment(env))).await;
    let mut client = app.signed_in("bob", "203.0.113.10", FIREFOX_MAC).await;
    client.accept_language = Some("it".into());
    let html = client.page(&app).await.body;
    assert_eq!(html, "[Firefox su macOS proprio ora]");
}
