//! What the Redis Cluster tests share: `redis-cli`, the cluster's masters and the slots they
//! serve, and the hash slot of a key.

use std::process::Command;

/// Runs `redis-cli` against one node (`host:port`); its standard output.
pub fn redis_cli(node: &str, args: &[&str]) -> String {
    let (host, port) = node.rsplit_once(':').expect("a node is host:port");
    let output = Command::new("redis-cli")
        .args(["-h", host, "-p", port])
        .args(args)
        .output()
        .expect("TEST_REDIS_CLUSTER_URL is set: redis-cli must be installed");
    assert!(output.status.success(), "redis-cli {args:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The first node of a `redis-cluster://host:port?node=…` URL.
#[allow(dead_code)] // not every test that shares this module uses it
pub fn first_node(url: &str) -> String {
    url.trim_start_matches("redis-cluster://")
        .split(['?', '/'])
        .next()
        .expect("a node")
        .to_owned()
}

/// The masters (`host:port`) and the slot ranges each serves, as `CLUSTER NODES` tells.
pub fn masters(any_node: &str) -> Vec<(String, Vec<(u16, u16)>)> {
    let mut masters = Vec::new();
    for line in redis_cli(any_node, &["cluster", "nodes"]).lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 8 || !fields[2].contains("master") {
            continue;
        }
        let address = fields[1].split('@').next().unwrap_or_default().to_owned();
        let ranges = fields[8..]
            .iter()
            .filter_map(|range| {
                let (low, high) = range.split_once('-').unwrap_or((range, range));
                Some((low.parse().ok()?, high.parse().ok()?))
            })
            .collect();
        masters.push((address, ranges));
    }
    masters
}

/// The master serving a slot.
pub fn master_of_slot(masters: &[(String, Vec<(u16, u16)>)], slot: u16) -> &str {
    masters
        .iter()
        .find(|(_, ranges)| {
            ranges
                .iter()
                .any(|(low, high)| (*low..=*high).contains(&slot))
        })
        .map(|(address, _)| address.as_str())
        .unwrap_or_else(|| panic!("no master serves slot {slot}"))
}

/// The hash slot of a key, as Redis Cluster computes it: CRC16 (XMODEM) of its hash tag (the
/// text between the first `{` and the next `}`, when not empty) or of the whole key, mod 16384.
pub fn slot_of(key: &str) -> u16 {
    let bytes = key.as_bytes();
    let tagged = bytes.iter().position(|b| *b == b'{').and_then(|open| {
        let close = bytes[open + 1..].iter().position(|b| *b == b'}')?;
        (close > 0).then(|| &bytes[open + 1..open + 1 + close])
    });
    crc16(tagged.unwrap_or(bytes)) % 16384
}

fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for byte in bytes {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[test]
fn slots_match_the_cluster_specification() {
    // The examples of the Redis Cluster specification.
    assert_eq!(crc16(b"123456789"), 0x31c3);
    assert_eq!(
        slot_of("{user1000}.following"),
        slot_of("{user1000}.followers")
    );
    assert_eq!(slot_of("foo{}{bar}"), crc16(b"foo{}{bar}") % 16384);
    assert_eq!(slot_of("foo{{bar}}zap"), crc16(b"{bar") % 16384);
}
