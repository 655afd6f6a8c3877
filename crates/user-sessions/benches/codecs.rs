//! The hand-written codecs of the request path against the crates that do the same: session
//! data by the plain JSON reader and by serde_json, a Redis value's header and columns lines
//! written and read by hand and by serde_json, a public id spelled and parsed by hand and by
//! the `hex` crate, and the loaded-headers map hashed by folding the id's digest or by SipHash.
//!
//! `cargo bench -p user-sessions --features codec-bench,redis --bench codecs`

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher, RandomState};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use quick_cache::UnitWeighter;
use quick_cache::sync::Cache;
use serde_json::{Value, json};
use user_sessions::codec_bench::{self as codecs, redis};
use user_sessions::{PublicId, SessionInfo, now};

/// Session data as an axum-login application stores it: the user id and the user's session
/// auth hash (bytes, as numbers), and the CSRF token of the account pages.
fn data(auth_hash_len: usize) -> Vec<u8> {
    let hash: Vec<u8> = (0..auth_hash_len).map(|n| (n * 37 % 256) as u8).collect();
    let data: HashMap<String, Value> = [
        (
            "axum-login.data".to_owned(),
            json!({"user_id": 192, "auth_hash": hash}),
        ),
        ("user_sessions.csrf".to_owned(), json!("9f".repeat(32))),
    ]
    .into_iter()
    .collect();
    serde_json::to_vec(&data).expect("encodes")
}

fn session_data(c: &mut Criterion) {
    // The demo's auth hash is 16 bytes; a password hash (argon2 PHC string) is about 97.
    for len in [16, 97] {
        let text = data(len);
        assert!(codecs::data_plain(&text).is_some(), "plain shape");
        let mut group = c.benchmark_group(format!("session data, {len}-byte auth hash"));
        group.bench_function("plain reader", |b| {
            b.iter(|| codecs::data_plain(black_box(&text)))
        });
        group.bench_function("serde_json", |b| {
            b.iter(|| codecs::data_json(black_box(&text)))
        });
        group.finish();
    }
}

fn info() -> SessionInfo {
    let t = user_sessions::truncate_to_millis(now());
    let mut info = SessionInfo::new(PublicId::from_secret(b"bench"), t);
    info.user_id = Some("192".into());
    info.ip = Some("203.0.113.77".parse().expect("ip"));
    info.user_agent = Some(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like \
         Gecko) Version/17.4 Safari/605.1.15"
            .into(),
    );
    info.created_at = t;
    info.authenticated_at = Some(t);
    info
}

fn redis_lines(c: &mut Criterion) {
    let info = info();
    let mut out = Vec::with_capacity(256);
    assert!(redis::columns_plain(&mut out, &info));
    let columns = out.clone();
    let mut group = c.benchmark_group("redis columns line, write");
    group.bench_function("by hand", |b| {
        b.iter(|| {
            out.clear();
            redis::columns_plain(&mut out, black_box(&info))
        })
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| {
            out.clear();
            redis::columns_json(&mut out, black_box(&info))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("redis columns line, read");
    assert!(redis::read_columns_plain(&columns).is_some());
    group.bench_function("plain reader", |b| {
        b.iter(|| redis::read_columns_plain(black_box(&columns)).is_some())
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| redis::read_columns_json(black_box(&columns)).is_some())
    });
    group.finish();

    let header =
        br#"[1765090000000,1765086400000,1765090000000,1767682000000,1767682000000,"192"]"#;
    assert!(redis::read_header_plain(header).is_some());
    let mut group = c.benchmark_group("redis header line, read");
    group.bench_function("plain reader", |b| {
        b.iter(|| redis::read_header_plain(black_box(header)).is_some())
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| redis::read_header_json(black_box(header)).is_some())
    });
    group.finish();
}

fn public_ids(c: &mut Criterion) {
    let id = PublicId::from_secret(b"bench");
    let mut out = [0u8; 64];
    let mut group = c.benchmark_group("public id, spell");
    group.bench_function("table", |b| {
        b.iter(|| {
            codecs::hex_table(black_box(id), &mut out);
            out[0]
        })
    });
    group.bench_function("hex crate", |b| {
        b.iter(|| {
            let _ = hex::encode_to_slice(black_box(id.as_bytes()), &mut out);
            out[0]
        })
    });
    group.finish();

    let text = id.to_string();
    let mut group = c.benchmark_group("public id, parse");
    group.bench_function("by hand", |b| {
        b.iter(|| codecs::parse_hand(black_box(&text)))
    });
    group.bench_function("hex crate", |b| {
        b.iter(|| {
            let mut bytes = [0u8; 32];
            hex::decode_to_slice(black_box(&text), &mut bytes)
                .ok()
                .map(|()| PublicId::from_bytes(bytes))
        })
    });
    group.finish();
}

/// The hasher the loaded-headers map used: folds the words of what is already a digest.
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0_u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn loaded_headers(c: &mut Criterion) {
    const N: u64 = 16 * 1024;
    type Header = (i64, i64, i64, i64, i64, Option<String>);
    let ids: Vec<PublicId> = (0..N)
        .map(|n| PublicId::from_secret(&n.to_le_bytes()))
        .collect();
    let header: Header = (1, 2, 3, 4, 5, Some("192".into()));
    let folded: Cache<PublicId, Header, UnitWeighter, BuildHasherDefault<DigestHasher>> =
        Cache::with(
            N as usize,
            N,
            Default::default(),
            Default::default(),
            Default::default(),
        );
    let sip: Cache<PublicId, Header, UnitWeighter, RandomState> = Cache::with(
        N as usize,
        N,
        Default::default(),
        RandomState::new(),
        Default::default(),
    );
    for id in &ids {
        folded.insert(*id, header.clone());
        sip.insert(*id, header.clone());
    }
    let mut group = c.benchmark_group("loaded headers, insert and get");
    let mut n = 0;
    group.bench_function("digest folded", |b| {
        b.iter(|| {
            n = (n + 7919) % N as usize;
            folded.insert(ids[n], header.clone());
            folded.get(black_box(&ids[(n + 1) % N as usize]))
        })
    });
    group.bench_function("SipHash", |b| {
        b.iter(|| {
            n = (n + 7919) % N as usize;
            sip.insert(ids[n], header.clone());
            sip.get(black_box(&ids[(n + 1) % N as usize]))
        })
    });
    group.finish();
}

/// What the decodes above are part of: a whole load of such a session, from SQLite (in
/// memory) and from the in-process cache (where decoding is the largest share).
fn whole_loads(c: &mut Criterion) {
    use user_sessions::cache::CacheOptions;
    use user_sessions::{SessionRecord, Store};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut record = SessionRecord::new(
        PublicId::from_secret(b"whole"),
        now() + time::Duration::hours(1),
    );
    record.info = SessionInfo {
        id: record.id,
        ..info()
    };
    record.info.expires_at = now() + time::Duration::hours(1);
    record.data = serde_json::from_slice(&data(97)).expect("data");
    let (plain, cached) = rt.block_on(async {
        let plain = Store::open("sqlite::memory:").await.expect("open");
        plain.migrate().await.expect("migrate");
        plain.save(&record).await.expect("save");
        let cached = plain.clone().with_cache(CacheOptions {
            ttl: std::time::Duration::from_secs(3600),
            ..CacheOptions::default()
        });
        (plain, cached)
    });
    let mut group = c.benchmark_group("whole load, 97-byte auth hash");
    group.bench_function("SQLite", |b| {
        b.iter(|| rt.block_on(plain.load(black_box(&record.id))))
    });
    group.bench_function("in-process cache", |b| {
        b.iter(|| rt.block_on(cached.load(black_box(&record.id))))
    });
    group.finish();
}

criterion_group!(
    benches,
    whole_loads,
    session_data,
    redis_lines,
    public_ids,
    loaded_headers
);
criterion_main!(benches);
