//! The admin list with 1 M sessions on SQLite, through the router as a staff member's browser
//! sees it (session lookup, staff check, directory, query, HTML): the first page and page
//! 1 000, without a search, with a user search and with an IP search. Target: < 50 ms each.
//!
//! `cargo bench -p user-sessions-axum --features admin --bench admin`
//!
//! The data: 1 M sessions whose last activity spreads over 16 days and which expire 14 days
//! after it (so about one in eight has expired and waits for a purge); 70 % belong to one of
//! 100 000 users, the rest are anonymous; one in ten comes from 10.0.0.0/8, the others from
//! all over the IPv4 space. `active=0` lists the expired ones: the oldest eighth, which a walk
//! newest first reaches last. The user search finds the 8 334 users of one email domain (about
//! 58 000 sessions); the IP search is `10.` (about 100 000 sessions).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path};
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use time::Duration;
use time::OffsetDateTime;
use tokio::runtime::Runtime;
use tower::ServiceExt;
use tower_sessions::{Session, SessionManagerLayer};
use user_sessions::{PublicId, SessionRecord, Store};
use user_sessions_axum::admin::{Admin, UserDirectory};
use user_sessions_axum::pages::{BoxError, Pages};
use user_sessions_axum::{UserSessionStore, UserSessionsLayer, set_user};

const SESSIONS: u64 = 1_000_000;
const CHUNK: u64 = 20_000;
const USERS: u64 = 100_000;
/// Users of the searched email domain: every twelfth.
const TEAM: u64 = 12;

const AGENTS: [&str; 4] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
];

/// A cheap deterministic mix of `n` (SplitMix64).
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn session(n: u64) -> SessionRecord {
    let r = mix(n);
    let now = OffsetDateTime::now_utc();
    let age = Duration::milliseconds((r % (16 * 86_400_000)) as i64);
    let last_activity = now - age;
    let mut record = SessionRecord::new(
        PublicId::from_secret(&n.to_le_bytes()),
        last_activity + Duration::days(14),
    );
    let info = &mut record.info;
    info.last_activity = last_activity;
    info.created_at = last_activity - Duration::minutes((r >> 40) as i64 % 600);
    if (r >> 8) % 10 < 7 {
        let user = (r >> 16) % USERS + 1;
        info.user_id = Some(user.to_string());
        info.authenticated_at = Some(info.created_at);
        record.data.insert(
            "axum-login.data".into(),
            serde_json::json!({ "user_id": user }),
        );
    }
    let octets = (mix(r) as u32).to_be_bytes();
    let first = if (r >> 12) % 10 == 0 {
        10
    } else {
        11 + octets[0] % 212
    };
    info.ip = Some(Ipv4Addr::new(first, octets[1], octets[2], octets[3].max(1)).into());
    info.user_agent = Some(AGENTS[(r >> 4) as usize % AGENTS.len()].to_owned());
    record
}

/// 100 000 users: `user{n}`, every twelfth at `corp.example`, the others at `example.com`.
/// The search answers from prepared sets, as an indexed user table would.
struct Directory {
    by_domain: HashMap<&'static str, Vec<String>>,
}

impl Directory {
    fn new() -> Self {
        let mut by_domain: HashMap<&'static str, Vec<String>> = HashMap::new();
        for n in 1..=USERS {
            let domain = if n % TEAM == 0 {
                "corp.example"
            } else {
                "example.com"
            };
            by_domain.entry(domain).or_default().push(n.to_string());
        }
        Directory { by_domain }
    }
}

impl UserDirectory for Directory {
    async fn display_names(&self, ids: &[String]) -> Result<HashMap<String, String>, BoxError> {
        Ok(ids
            .iter()
            .map(|id| (id.clone(), format!("user{id}")))
            .collect())
    }

    async fn search(&self, text: &str) -> Result<Vec<String>, BoxError> {
        if let Some(ids) = self.by_domain.get(text) {
            return Ok(ids.clone());
        }
        Ok(text
            .strip_prefix("user")
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| (1..=USERS).contains(n))
            .map(|n| vec![n.to_string()])
            .unwrap_or_default())
    }
}

async fn sign_in(session: Session, Path(user): Path<String>) -> StatusCode {
    match set_user(&session, user).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

struct Bench {
    router: Router,
    cookie: String,
    _dir: tempfile::TempDir,
}

impl Bench {
    async fn new() -> Bench {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("sessions.db").display());
        let store = Store::open(&url).await.expect("open");
        store.migrate().await.expect("migrate");
        let started = Instant::now();
        let mut from = 0;
        while from < SESSIONS {
            let to = (from + CHUNK).min(SESSIONS);
            let batch: Vec<_> = (from..to).map(session).collect();
            store.create_many(&batch).await.expect("bulk insert");
            from = to;
        }
        eprintln!(
            "loaded {SESSIONS} sessions in {:.1} s",
            started.elapsed().as_secs_f64()
        );

        let session_store = UserSessionStore::new(store.clone());
        let pages = Pages::builder().build().expect("pages");
        let admin = Admin::builder(pages, Directory::new(), |user: String| async move {
            Ok::<_, std::convert::Infallible>(user == "staff")
        })
        .build()
        .expect("admin");
        let router = Router::new()
            .merge(admin.router())
            .route("/sign-in/{user}", post(sign_in))
            .layer(
                UserSessionsLayer::new(session_store.clone())
                    .around(SessionManagerLayer::new(session_store)),
            );
        let mut bench = Bench {
            router,
            cookie: String::new(),
            _dir: dir,
        };
        let response = bench
            .router
            .clone()
            .oneshot(bench.request("POST", "/sign-in/staff", "*/*"))
            .await
            .expect("sign in");
        bench.cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("cookie")
            .to_owned();
        bench
    }

    fn request(&self, method: &str, uri: &str, accept: &str) -> Request<Body> {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "admin.bench")
            .header(header::ACCEPT, accept)
            .header(header::USER_AGENT, AGENTS[0])
            .extension(ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 40000))));
        if !self.cookie.is_empty() {
            request = request.header(header::COOKIE, &self.cookie);
        }
        request.body(Body::empty()).expect("request")
    }

    /// `GET uri` as a browser: the page's HTML.
    async fn page(&self, uri: &str) -> String {
        let response = self
            .router
            .clone()
            .oneshot(self.request("GET", uri, "text/html"))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        String::from_utf8_lossy(&body).into_owned()
    }

    /// The URL of page `number` (1-based) of the list at `first`, by following "next".
    async fn page_url(&self, first: &str, number: usize) -> String {
        let mut url = first.to_owned();
        for _ in 1..number {
            let response = self
                .router
                .clone()
                .oneshot(self.request("GET", &url, "application/json"))
                .await
                .expect("response");
            let body = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            let list: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            url = list["next_url"]
                .as_str()
                .unwrap_or_else(|| panic!("{first} has fewer than {number} pages"))
                .to_owned();
        }
        url
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn admin_list(c: &mut Criterion) {
    let rt = runtime();
    let bench = rt.block_on(Bench::new());
    let lists = [
        ("all", "/admin/sessions/"),
        ("active", "/admin/sessions/?active=1"),
        ("expired", "/admin/sessions/?active=0"),
        ("user_search", "/admin/sessions/?q=corp.example"),
        ("ip_search", "/admin/sessions/?q=10."),
    ];
    let mut group = c.benchmark_group("admin_list_1m");
    group.sample_size(30);
    for (name, first) in lists {
        for page in [1usize, 1000] {
            let url = rt.block_on(bench.page_url(first, page));
            let html = rt.block_on(bench.page(&url));
            assert_eq!(
                html.matches("name=\"id\"").count(),
                50,
                "{name} page {page}"
            );
            group.bench_function(format!("{name}/page_{page}"), |b| {
                b.to_async(&rt).iter(|| bench.page(&url));
            });
        }
    }
    // Narrow searches: one user, one address (each a page or less).
    let user = "/admin/sessions/?q=user4242";
    assert!(rt.block_on(bench.page(user)).contains("name=\"id\""));
    group.bench_function("one_user/page_1", |b| {
        b.to_async(&rt).iter(|| bench.page(user));
    });
    let ip = "/admin/sessions/?q=10.20.30.";
    group.bench_function("ip_prefix_narrow/page_1", |b| {
        b.to_async(&rt).iter(|| bench.page(ip));
    });
    group.finish();
}

criterion_group!(benches, admin_list);
criterion_main!(benches);
