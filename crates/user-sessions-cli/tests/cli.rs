//! The built `user-sessions` binary against real databases: SQLite files always, and the
//! PostgreSQL / MySQL servers named by `TEST_POSTGRES_URL` / `TEST_MYSQL_URL` when set.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use time::{Duration, OffsetDateTime};
use user_sessions::{PublicId, SessionRecord, Store};

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_user-sessions"))
        .args(args)
        .env("DATABASE_URL", url)
        .env_remove("GEOIP_PATH")
        .output()
        .expect("run user-sessions")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn session(n: u8, user: &str, ttl: Duration) -> SessionRecord {
    let mut r = SessionRecord::new(PublicId::from_secret(&[n]), OffsetDateTime::now_utc() + ttl);
    r.info.user_id = Some(user.to_owned());
    r.info.ip = Some("203.0.113.9".parse().unwrap());
    r.info.user_agent = Some(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1".into(),
    );
    r
}

async fn seed(url: &str) -> Store {
    let store = Store::open(url).await.unwrap();
    store.migrate().await.unwrap();
    for n in 0..3 {
        store
            .save(&session(n, "alice", Duration::hours(1)))
            .await
            .unwrap();
    }
    store
        .save(&session(10, "bob", Duration::hours(1)))
        .await
        .unwrap();
    for n in 20..25 {
        store
            .save(&session(n, "carol", -Duration::minutes(1)))
            .await
            .unwrap();
    }
    store
}

/// Every command against one freshly migrated, seeded database.
async fn exercise(url: &str) {
    let output = run(url, &["migrate", "--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let output = run(url, &["stats", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        (
            stats["active"].as_u64(),
            stats["expired"].as_u64(),
            stats["users"].as_u64()
        ),
        (Some(4), Some(5), Some(2))
    );

    let output = run(url, &["sessions", "list", "--user", "alice", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let list: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["device"], "Safari on iPhone");
    assert_eq!(list[0]["ip"], "203.0.113.9");
    let keep = list[0]["id"].as_str().unwrap().to_owned();

    // Short ids by default, full ones on demand.
    let table = stdout(&run(url, &["sessions", "list", "--user", "alice"]));
    assert!(table.starts_with("ID "), "{table}");
    assert!(
        table.contains(&keep[..12]) && !table.contains(&keep) && table.contains("Safari on iPhone"),
        "{table}"
    );
    let table = stdout(&run(
        url,
        &["sessions", "list", "--user", "alice", "--full"],
    ));
    assert!(table.contains(&keep), "{table}");

    // A dry run counts; a unique prefix of 8 digits names a session.
    let output = run(
        url,
        &[
            "sessions",
            "end",
            "--user",
            "alice",
            "--except",
            &keep[..8],
            "--dry-run",
        ],
    );
    assert_eq!(stdout(&output).trim(), "2 session(s) would be ended");
    let output = run(
        url,
        &["sessions", "end", "--user", "alice", "--except", &keep[..8]],
    );
    assert_eq!(stdout(&output).trim(), "ended 2 session(s)");
    let bob = PublicId::from_secret(&[10]).to_string();
    let output = run(url, &["sessions", "end", "--id", &bob]);
    assert_eq!(stdout(&output).trim(), "ended 1 session(s)");
    // Ended already, or never there: a negative answer (exit 1) that says so.
    let output = run(url, &["sessions", "end", "--id", &bob]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no session with public id"));
    let output = run(url, &["sessions", "end", "--id", "not-an-id"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("64 hexadecimal digits"));
    let output = run(url, &["sessions", "end", "--id", "abc"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a prefix is at least 8 digits"
    );

    let output = run(url, &["clearsessions", "--dry-run"]);
    assert_eq!(
        stdout(&output).trim(),
        "5 expired session(s) would be deleted"
    );
    let output = run(url, &["clearsessions", "--batch-size", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("deleted 5 expired session(s)"));
    assert!(
        stderr(&output).contains("deleted 4 of 5"),
        "progress lines when not a terminal"
    );
    assert_eq!(
        stdout(&run(url, &["clearsessions"])).trim(),
        "deleted 0 expired session(s)"
    );

    // The last of alice's, by a unique prefix; then there is nothing it names.
    let output = run(url, &["sessions", "end", "--id", &keep[..10]]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), "ended 1 session(s)");
    let output = run(url, &["sessions", "end", "--id", &keep[..10]]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no session's public id starts with"));
    // No sessions: exit 1, and why on standard error.
    let output = run(url, &["sessions", "list", "--user", "alice"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("no active sessions for user id `alice`")
            && stderr(&output).contains("not a username"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn every_command_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
    seed(&url).await;
    exercise(&url).await;
}

/// An application keeps its SQLite database open and reads the same sessions again and again,
/// which its read cache answers from memory while nothing changes. Sessions the tool ends from
/// another process are refused by the application's very next read.
#[tokio::test]
async fn a_running_app_refuses_sessions_the_tool_ends_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
    let app = seed(&url).await;
    let (alice, bob) = (PublicId::from_secret(&[0]), PublicId::from_secret(&[10]));
    for _ in 0..3 {
        assert!(app.load(&alice).await.unwrap().is_some());
        assert!(app.load(&bob).await.unwrap().is_some());
    }

    let output = run(&url, &["sessions", "end", "--id", &bob.to_string()]);
    assert_eq!(
        stdout(&output).trim(),
        "ended 1 session(s)",
        "{}",
        stderr(&output)
    );
    assert!(app.load(&bob).await.unwrap().is_none(), "ended by the tool");
    assert!(app.load(&alice).await.unwrap().is_some());
    assert!(app.load(&alice).await.unwrap().is_some());

    let output = run(&url, &["sessions", "end", "--user", "alice"]);
    assert_eq!(
        stdout(&output).trim(),
        "ended 3 session(s)",
        "{}",
        stderr(&output)
    );
    assert!(
        app.load(&alice).await.unwrap().is_none(),
        "ended by the tool"
    );
}

/// Every command against a database of its own on a real server (skipped, with a message, when
/// the server's `TEST_…_URL` is not set).
async fn on_server(database: Option<user_sessions::test_servers::TestDatabase>) {
    let Some(database) = database else { return };
    seed(database.url()).await;
    exercise(database.url()).await;
}

#[tokio::test]
#[cfg_attr(not(test_postgres), ignore = "set TEST_POSTGRES_URL to run")]
async fn every_command_on_postgres() {
    on_server(user_sessions::test_servers::TestDatabase::postgres().await).await;
}

#[tokio::test]
#[cfg_attr(not(test_mysql), ignore = "set TEST_MYSQL_URL to run")]
async fn every_command_on_mysql() {
    on_server(user_sessions::test_servers::TestDatabase::mysql().await).await;
}

#[tokio::test]
#[cfg_attr(not(test_redis), ignore = "set TEST_REDIS_URL to run")]
async fn every_command_on_redis() {
    on_server(user_sessions::test_servers::TestDatabase::redis().await).await;
}

#[tokio::test]
async fn migrate_creates_and_check_reports_pending() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("new.db").display());

    let output = run(&url, &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("user-sessions migrate"),
        "{}",
        stderr(&output)
    );
    assert!(
        !dir.path().join("new.db").exists(),
        "only migrate creates the file"
    );

    let output = run(&url, &["migrate", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("pending"));
    let output = run(&url, &["migrate"]);
    assert_eq!(output.status.code(), Some(0));
    let applied = stdout(&output);
    assert!(
        applied.starts_with("applied ") && applied.trim_end().ends_with(" migration(s)"),
        "{applied}"
    );
    assert_eq!(
        stdout(&run(&url, &["migrate"])).trim(),
        "the schema was already up to date"
    );
    assert_eq!(run(&url, &["migrate", "--check"]).status.code(), Some(0));
}

#[test]
fn malformed_url_and_missing_url_exit_2() {
    let output = run("mongodb://nope", &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("mongodb://nope"));
    let output = Command::new(env!("CARGO_BIN_EXE_user-sessions"))
        .arg("stats")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("DATABASE_URL"));
    // A server that does not answer: a clear message, exit code 2.
    let output = run("redis://127.0.0.1:1", &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unavailable"),
        "{}",
        stderr(&output)
    );
    // It names the address it tried and why it failed.
    let output = run("postgres://app:secret@127.0.0.1:1/app", &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("postgres://app:***@127.0.0.1:1/app"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
    assert!(message.contains("unavailable"), "{message}");
    assert!(
        message.to_lowercase().contains("connection refused"),
        "{message}"
    );
    let output = run("mysql://root@127.0.0.1:1/app", &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("mysql://root@127.0.0.1:1/app"),
        "{message}"
    );
    assert!(
        message.to_lowercase().contains("connection refused"),
        "{message}"
    );
}

#[test]
fn device_humanizes_one_or_many() {
    let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) AppleWebKit/603.1.30 (KHTML, like Gecko) Version/10.3 Mobile/14E277 Safari/602.1";
    let output = run("", &["device", iphone]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "Safari on iPhone\n");

    let output = run("", &["device", "\u{1}\u{2}"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("unknown device"), "why, on stderr");

    let output = run("", &["device", "--json", iphone]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"browser": "Safari", "platform": "iPhone", "device": "Safari on iPhone"})
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_user-sessions"))
        .args(["device", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut lines = format!(
        "{iphone}\n\nMozilla/5.0 (Windows NT 6.3; Win64; x64) Gecko/20100101 Firefox/70.0\n"
    )
    .into_bytes();
    lines.extend_from_slice(b"\xff\xfe\n");
    input.write_all(&lines).unwrap();
    drop(input);
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&output),
        "Safari on iPhone\n\nFirefox on Windows 8.1\n\n"
    );
}

#[test]
fn location_without_database_or_with_bad_ip() {
    let output = run("", &["location", "8.8.8.8"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("GEOIP_PATH"));
    let output = run("", &["location", "not-an-ip", "--geoip", "missing.mmdb"]);
    assert_eq!(output.status.code(), Some(2));
    let output = run("", &["location", "8.8.8.8", "--geoip", "missing.mmdb"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing.mmdb"),
        "{}",
        stderr(&output)
    );
}
