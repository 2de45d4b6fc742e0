//! The security figures: counted by tests that really ran (see `elevate_testkit::figures`),
//! summed here and printed next to what they must be. `cargo xtask test` prints them after the
//! whole suite; `cargo xtask security` runs only the tests that count them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::{root, Result};

const ENV: &str = "ELEVATE_SECURITY_FIGURES";

/// Where the test processes write their counts; emptied before each run.
pub fn prepare() -> Result<PathBuf> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("security-figures");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::env::set_var(ENV, &dir);
    Ok(dir)
}

/// The test binaries that count figures, for `cargo xtask security`.
pub fn test_args() -> Vec<String> {
    let mut args: Vec<String> = ["-p", "elevate-core", "-p", "elevate-tenant"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if cfg!(target_os = "linux") {
        args.extend(["-p", "elevate-e2e"].iter().map(|s| s.to_string()));
    }
    args
}

fn sums(dir: &std::path::Path) -> BTreeMap<String, u64> {
    let mut sums = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return sums;
    };
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let (Some(name), Some(n)) = (v["name"].as_str(), v["n"].as_u64()) {
                *sums.entry(name.to_string()).or_insert(0) += n;
            }
        }
    }
    sums
}

/// Prints the figures. With `complete`, a section no test counted is an error (the tests that
/// should have counted it did not run); a count that must be 0 and is not is always one.
pub fn report(dir: &std::path::Path, complete: bool) -> Result {
    let s = sums(dir);
    let n = |k: &str| s.get(k).copied().unwrap_or(0);
    let mut must_be_zero = Vec::new();
    let mut missing = Vec::new();
    let mut zero = |name: &str, label: &str| {
        if n(name) > 0 {
            must_be_zero.push(format!("{label}: {}", n(name)));
        }
        n(name)
    };
    let leaks: Vec<(&str, &str)> = vec![
        ("ipc", "IPC payloads and the page the webview shows"),
        (
            "files",
            "files the app wrote (data, cache, journal, settings)",
        ),
        ("logs", "log files written at trace level"),
    ];
    println!();
    println!("Security figures (counted by the tests that ran; goal in brackets)");
    println!(
        "  Issued tokens, codes and verifiers searched for: {} (searches of every secret the emulator handed out)",
        n("leaks.tokens_searched_for")
    );
    for (kind, label) in &leaks {
        let searched = n(&format!("leaks.{kind}.searched"));
        let found = zero(
            &format!("leaks.{kind}.found"),
            &format!("tokens found in {label}"),
        );
        println!("    in {label}: {searched} searched, {found} found [0 found]");
        if searched == 0 {
            missing.push(format!("token search in {label}"));
        }
    }
    let (refused, recovered) = (n("oauth.refused"), n("oauth.recovered"));
    println!("  OAuth conformance cases: {refused} refused, {recovered} recovered");
    if refused + recovered == 0 {
        missing.push("OAuth conformance".into());
    }
    let cases = n("faults.cases");
    println!("  Fault matrix (every action × 12 faults, first and every request): {cases} cases");
    for (name, label) in [
        ("faults.crashes", "crashes"),
        ("faults.hangs", "hangs"),
        (
            "faults.unclear_failures",
            "failures without a clear message",
        ),
        ("faults.lost_journal_entries", "lost journal entries"),
        (
            "faults.duplicated_destructive_requests",
            "duplicated destructive requests",
        ),
    ] {
        println!("    {label}: {} [0]", zero(name, label));
    }
    if cases == 0 {
        missing.push("fault matrix".into());
    }
    println!("  Bad-input cases tried: {}", n("bad_input.cases"));
    if n("bad_input.cases") == 0 {
        missing.push("bad input".into());
    }
    println!("  Fuzz cases run: {}", n("fuzz.cases"));
    if n("fuzz.cases") == 0 {
        missing.push("fuzzing".into());
    }
    println!();
    if !must_be_zero.is_empty() {
        return Err(format!(
            "security figures that must be 0 are not: {}",
            must_be_zero.join("; ")
        ));
    }
    if complete && !missing.is_empty() {
        return Err(format!("no test counted: {}", missing.join(", ")));
    }
    Ok(())
}
