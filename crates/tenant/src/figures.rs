//! Security figures counted by the tests that really ran, for `cargo xtask security` and the
//! end of `cargo xtask test`. A test adds to a named counter; nothing is written unless
//! `ELEVATE_SECURITY_FIGURES` names a folder (the xtask sets it), so a plain `cargo test` is
//! unaffected. Each process appends to its own file; the xtask sums them.
//!
//! Names are `section.counter`; the xtask knows which ones must stay 0 (found leaks, crashes,
//! lost journal entries, duplicated destructive requests).

use std::io::Write;

pub const ENV: &str = "ELEVATE_SECURITY_FIGURES";

/// Adds `n` to the counter `name` (e.g. `fuzz.cases`, `leaks.found`).
pub fn add(name: &str, n: u64) {
    let Some(dir) = std::env::var_os(ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("figures-{}.jsonl", std::process::id()));
    let line = serde_json::json!({ "name": name, "n": n }).to_string() + "\n";
    // One short append per call: lines from the threads of one test binary do not interleave.
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(file) {
        let _ = f.write_all(line.as_bytes());
    }
}
