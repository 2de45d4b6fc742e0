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
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// Searches every `(place, text)` for any secret the emulator issued and counts the search
/// under `leaks.<kind>.*` (kind: `ipc`, `files`, `logs`, …). Returns the places that hold one;
/// the caller asserts there are none, so a passing run prints `found 0` with how much was searched.
pub fn token_sweep(kind: &str, issued: &[String], places: &[(String, String)]) -> Vec<String> {
    let hits: Vec<String> = places
        .iter()
        .filter(|(_, text)| issued.iter().any(|t| text.contains(t.as_str())))
        .map(|(place, _)| place.clone())
        .collect();
    add("leaks.tokens_searched_for", issued.len() as u64);
    add(&format!("leaks.{kind}.searched"), places.len() as u64);
    add(&format!("leaks.{kind}.found"), hits.len() as u64);
    hits
}

/// Every file under `dir`, as text (lossy), named by its path: what the app left on disk.
pub fn files_under(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((
                    p.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
        }
    }
    out
}
