//! uap-core's own test cases, run at family level through our names, and a check that the
//! bundled rules are exactly uap-core's.
//!
//! The test data is not copied into this repository: it ships inside the `ua-parser` crate's
//! package (`uap-core/`), which cargo has unpacked in its registry to build this crate. Set
//! `UAP_CORE_DIR` to a uap-core checkout to use another copy. Run with
//! `UPDATE_UAP_DATA=1` to regenerate `data/uap-core/regexes.json` from that copy's
//! `regexes.yaml` (after upgrading `ua-parser`).
#![cfg(feature = "humanize")]

use std::path::{Path, PathBuf};

use serde::Deserialize;
use user_sessions::humanize::{browser, browser_name, platform, platform_family};

/// The uap-core directory inside the unpacked `ua-parser` package whose version
/// `Cargo.lock` pins.
fn uap_core_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("UAP_CORE_DIR") {
        return PathBuf::from(dir);
    }
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = manifest_dir
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.exists())
        .expect("Cargo.lock above the crate");
    let lock = std::fs::read_to_string(lock).expect("readable Cargo.lock");
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"ua-parser\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .and_then(|v| v.strip_suffix('"'))
        .expect("ua-parser in Cargo.lock");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let registries = std::fs::read_dir(cargo_home.join("registry").join("src"))
        .expect("cargo registry sources (set UAP_CORE_DIR to a uap-core checkout otherwise)");
    registries
        .filter_map(Result::ok)
        .map(|r| {
            r.path()
                .join(format!("ua-parser-{version}"))
                .join("uap-core")
        })
        .find(|d| d.join("regexes.yaml").exists())
        .unwrap_or_else(|| {
            panic!("ua-parser-{version}/uap-core not found in the cargo registry; set UAP_CORE_DIR")
        })
}

#[derive(Deserialize)]
struct Cases {
    test_cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    user_agent_string: String,
    family: String,
}

fn load_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str::<Cases>(&text)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
        .test_cases
}

/// Collapses our platform names to the family level of uap-core's OS names.
fn our_platform_family(platform: &str) -> &str {
    match platform {
        "iPhone" | "iPad" | "iPod" => "iOS",
        "Windows Phone" | "Windows Mobile" => platform,
        p if p.starts_with("Windows") => "Windows",
        p => p,
    }
}

struct Tally {
    passed: usize,
    total: usize,
    failures: Vec<String>,
}

impl Tally {
    fn rate(&self) -> f64 {
        100.0 * self.passed as f64 / self.total.max(1) as f64
    }
}

fn run(files: &[&str], check: impl Fn(&Case) -> Result<(), String>) -> Tally {
    let dir = uap_core_dir();
    let mut tally = Tally {
        passed: 0,
        total: 0,
        failures: Vec::new(),
    };
    for file in files {
        let (mut passed, mut total) = (0, 0);
        for case in load_cases(&dir.join(file)) {
            total += 1;
            match check(&case) {
                Ok(()) => passed += 1,
                Err(e) => tally.failures.push(e),
            }
        }
        println!(
            "{file}: {passed}/{total} = {:.2}%",
            100.0 * passed as f64 / total.max(1) as f64
        );
        tally.passed += passed;
        tally.total += total;
    }
    for failure in tally.failures.iter().take(40) {
        println!("  {failure}");
    }
    tally
}

#[test]
fn browser_families_match_uap_core_tests() {
    let tally = run(
        &[
            "tests/test_ua.yaml",
            "test_resources/firefox_user_agent_strings.yaml",
            "test_resources/opera_mini_user_agent_strings.yaml",
            "test_resources/podcasting_user_agent_strings.yaml",
            "test_resources/pgts_browser_list.yaml",
        ],
        |case| {
            let expected = browser_name(&case.family).map(|n| n.into_owned());
            let actual = browser(&case.user_agent_string);
            if actual == expected {
                Ok(())
            } else {
                Err(format!(
                    "{:?}: expected {expected:?} (uap {:?}), got {actual:?}",
                    case.user_agent_string, case.family
                ))
            }
        },
    );
    println!(
        "browser family pass rate: {}/{} = {:.2}%",
        tally.passed,
        tally.total,
        tally.rate()
    );
    assert!(tally.total > 10_000, "only {} cases found", tally.total);
    assert!(tally.rate() >= 99.5, "pass rate {:.2}%", tally.rate());
}

#[test]
fn platform_families_match_uap_core_tests() {
    let tally = run(
        &[
            "tests/test_os.yaml",
            "test_resources/additional_os_tests.yaml",
        ],
        |case| {
            let expected = platform_family(&case.family).map(|n| n.into_owned());
            let actual = platform(&case.user_agent_string);
            let actual_family = actual.as_deref().map(our_platform_family);
            if actual_family == expected.as_deref() {
                Ok(())
            } else {
                Err(format!(
                    "{:?}: expected {expected:?} (uap {:?}), got {actual:?}",
                    case.user_agent_string, case.family
                ))
            }
        },
    );
    println!(
        "platform family pass rate: {}/{} = {:.2}%",
        tally.passed,
        tally.total,
        tally.rate()
    );
    assert!(tally.total > 400, "only {} cases found", tally.total);
    assert!(tally.rate() >= 99.0, "pass rate {:.2}%", tally.rate());
}

/// The bundled rules, regenerated from uap-core's `regexes.yaml`, in the bundled file's
/// format: one parser per line, fields in the YAML's order.
fn regexes_json(regexes_yaml: &str, version: &str) -> String {
    let yaml: serde_yaml::Value = serde_yaml::from_str(regexes_yaml).expect("valid YAML");
    let json = |s: &str| serde_json::to_string(s).expect("strings serialize");
    let mut out = String::from("{\n");
    out += &format!(
        "  \"_notice\": {},\n",
        json(&format!(
            "The user_agent_parsers and os_parsers of uap-core {version} regexes.yaml, \
             unchanged, as JSON. Copyright 2009 Google Inc.; licensed under the Apache \
             License, Version 2.0 (see LICENSE beside this file)."
        ))
    );
    let sections = ["user_agent_parsers", "os_parsers"];
    for (i, section) in sections.iter().enumerate() {
        out += &format!("  {}: [\n", json(section));
        let parsers = yaml[*section].as_sequence().expect("a list of parsers");
        for (j, parser) in parsers.iter().enumerate() {
            let fields: Vec<String> = parser
                .as_mapping()
                .expect("a parser is a map")
                .iter()
                .filter_map(|(k, v)| {
                    let k = k.as_str().expect("string keys");
                    let v = match v {
                        serde_yaml::Value::Null => return None,
                        serde_yaml::Value::String(s) => s.clone(),
                        serde_yaml::Value::Number(n) => n.to_string(),
                        other => panic!("unexpected value {other:?}"),
                    };
                    Some(format!("{}: {}", json(k), json(&v)))
                })
                .collect();
            let comma = if j + 1 < parsers.len() { "," } else { "" };
            out += &format!("    {{{}}}{comma}\n", fields.join(", "));
        }
        out += if i + 1 < sections.len() {
            "  ],\n"
        } else {
            "  ]\n"
        };
    }
    out += "}\n";
    out
}

#[test]
fn bundled_rules_are_uap_cores() {
    let dir = uap_core_dir();
    let yaml = std::fs::read_to_string(dir.join("regexes.yaml")).expect("regexes.yaml");
    let package: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("package.json")).expect("uap-core package.json"),
    )
    .expect("valid package.json");
    let version = package["version"].as_str().expect("a version");
    let expected = regexes_json(&yaml, version);
    let bundled_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/uap-core/regexes.json");
    if std::env::var_os("UPDATE_UAP_DATA").is_some() {
        std::fs::write(&bundled_path, &expected).expect("writable data directory");
    }
    let bundled = std::fs::read_to_string(&bundled_path).expect("bundled regexes.json");
    assert!(
        bundled == expected,
        "data/uap-core/regexes.json differs from uap-core {version} in {}; \
         run with UPDATE_UAP_DATA=1 to regenerate it",
        dir.display()
    );
}
