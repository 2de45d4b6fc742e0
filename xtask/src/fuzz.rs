//! `cargo xtask fuzz [--cases N]`: the property tests over every parser fed by the network
//! or a file (`crates/core`, modules named `fuzz`) with many more cases than CI runs (256
//! each there). Stable Rust, no fuzzing engine to install: the same suite, longer.

use std::process::Command;

use crate::{cargo, exec, root, Result};

const DEFAULT_CASES: u64 = 20_000;

pub fn run(args: &[String]) -> Result {
    let cases = match args {
        [] => DEFAULT_CASES,
        [flag, n] if flag == "--cases" => n
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--cases wants a positive whole number, not {n:?}"))?,
        _ => return Err("usage: cargo xtask fuzz [--cases N]".into()),
    };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let figures = target.join("fuzz-figures");
    let _ = std::fs::remove_dir_all(&figures);
    eprintln!("xtask: {cases} cases per property");
    exec(
        Command::new(cargo())
            .args(["test", "-p", "elevate-core", "--lib", "fuzz"])
            .env("PROPTEST_CASES", cases.to_string())
            .env("ELEVATE_SECURITY_FIGURES", &figures)
            .current_dir(root()),
    )?;
    println!("fuzz cases run: {}", count(&figures));
    Ok(())
}

/// The `fuzz.cases` the test processes added up (see `elevate_testkit::figures`).
fn count(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .flat_map(|text| {
            text.lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter(|v| v["name"] == "fuzz.cases")
                .filter_map(|v| v["n"].as_u64())
                .collect::<Vec<_>>()
        })
        .sum()
}
