//! `cargo xtask <command>`: the project's task runner, in Rust so it works the same on
//! Windows, macOS and Linux (no bash needed).
//!
//!   run        build the UI and start Elevate (lands on the demo tenant when nothing is set up)
//!   test       everything: UI checks and tests, Rust tests, end-to-end tests of the real app
//!   security   the security figures: leaks searched, OAuth cases, fault matrix, bad input, fuzzing
//!   bindings   regenerate from Rust: the TypeScript types and command surface in
//!              ui/src/platform/bindings, src-tauri/permissions/surface.toml and the validation
//!              limits in ui/src/lib/generated
//!   web        the UI in a browser on the real core and the demo tenant (dev only)
//!   bench      print the performance figures (download sizes, Add me, inventory vs sequential,
//!              grid filtering, start-up and memory of the release build)
//!   bundle     build installers (deb here; msi/nsis on Windows, dmg/app on macOS)
//!   check-windows   `cargo check` everything for x86_64-pc-windows-gnu (from Linux)
//!   lint-workflows  actionlint over .github/workflows
//!   supply-chain    cargo-deny (advisories, bans, licences, sources) and npm audit
//!   fuzz [--cases N]   property tests of every parser fed by the network or a file, N cases
//!              each (20000; CI runs 256)
//!   shape [--check]   the largest files and longest functions, next to the limits
//!              (500 lines a file, 80 a function); --check fails when product code is over
//!   setup      install what the others need (system packages on Debian/Ubuntu, npm deps, tauri-driver)

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod fuzz;
mod release;
mod security;
mod setup;
mod shape;
mod supply_chain;
mod web;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(&args[1..]),
        Some("security") => security(),
        Some("bindings") => bindings(),
        Some("web") => web::run(&args[1..]),
        Some("bench") => bench(),
        Some("bundle") => bundle(),
        Some("setup") => setup::all(true),
        Some("check-windows") => release::check_windows(),
        Some("lint-workflows") => release::lint_workflows(),
        Some("supply-chain") => supply_chain::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("shape") => shape::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <run|test|security|fuzz|bindings|web|bench|bundle|setup|check-windows|lint-workflows|supply-chain|shape>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub fn npm() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}

pub fn exec(cmd: &mut Command) -> Result {
    eprintln!("xtask> {:?}", cmd);
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

pub fn build_ui() -> Result {
    exec(
        Command::new(npm())
            .args(["run", "build"])
            .current_dir(root().join("ui")),
    )
}

fn build_app(release: bool) -> Result {
    let mut c = Command::new(cargo());
    c.args(["build", "-p", "elevate", "--features", "custom-protocol"])
        .current_dir(root());
    if release {
        c.arg("--release");
    }
    exec(&mut c)
}

fn run() -> Result {
    setup::all(false)?;
    build_ui()?;
    exec(
        Command::new(cargo())
            .args(["run", "-p", "elevate", "--features", "custom-protocol"])
            .current_dir(root()),
    )
}

fn bindings() -> Result {
    exec(
        Command::new(cargo())
            // The core's integration tests are one binary (`tests/it`): its modules that write
            // TypeScript (the IPC types, the validation limits).
            .args([
                "test",
                "-p",
                "elevate-core",
                "--test",
                "it",
                "--",
                "bindings::",
                "validation_limits::",
            ])
            .env("ELEVATE_WRITE_BINDINGS", "1")
            .current_dir(root()),
    )
}

/// Figures, not pass/fail: each benchmark prints what it measured next to its goal.
fn bench() -> Result {
    release::sizes()?;
    for bench in ["elevation", "inventory"] {
        exec(
            Command::new(cargo())
                .args(["bench", "-p", "elevate-core", "--bench", bench])
                .current_dir(root()),
        )?;
    }
    setup::all(false)?;
    build_ui()?;
    build_app(false)?;
    exec(
        Command::new(cargo())
            .args(["build", "-p", "elevate-e2e", "--bins"])
            .current_dir(root()),
    )?;
    let grid = [
        cargo(),
        "run".into(),
        "-p".into(),
        "elevate-e2e".into(),
        "--bin".into(),
        "grid-bench".into(),
    ];
    if !cfg!(target_os = "linux") {
        return exec(Command::new(&grid[0]).args(&grid[1..]).current_dir(root()));
    }
    setup::in_desktop_session(&grid)?;
    // Start-up and memory read /proc, and measure the release build `release::sizes` left
    // behind (with the demo tenant, as shipped).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    setup::in_desktop_session(&[
        "env".into(),
        format!(
            "ELEVATE_APP_BINARY={}",
            target.join("release/elevate").display()
        ),
        cargo(),
        "run".into(),
        "-p".into(),
        "elevate-e2e".into(),
        "--bin".into(),
        "startup-bench".into(),
    ])
}

pub fn bundle() -> Result {
    setup::all(false)?;
    // The Tauri CLI is fetched on demand (its per-OS binaries are optional npm packages that
    // a lock file made on one OS cannot list for the others).
    let mut c = Command::new(if cfg!(windows) { "npx.cmd" } else { "npx" });
    c.args(["--yes", "@tauri-apps/cli@2.12.5", "build"])
        .current_dir(root().join("src-tauri"));
    if cfg!(target_os = "linux") {
        c.args(["--bundles", "deb"]);
    }
    exec(&mut c)
}

fn test(extra: &[String]) -> Result {
    setup::all(true)?;
    let figures = security::prepare()?;
    let ui = root().join("ui");
    exec(
        Command::new(npm())
            .args(["run", "typecheck"])
            .current_dir(&ui),
    )?;
    exec(Command::new(npm()).args(["test"]).current_dir(&ui))?;
    build_ui()?;
    build_app(false)?;
    let mut cargo_test = vec![
        cargo(),
        "test".into(),
        "--workspace".into(),
        "--no-fail-fast".into(),
    ];
    if !cfg!(target_os = "linux") {
        // macOS has no WebDriver for WKWebView. Windows has one (msedgedriver), but the
        // end-to-end sandbox (private HOME, XDG folders, Secret Service, Xvfb) is Linux's.
        eprintln!(
            "xtask: the end-to-end tests run on Linux; here: UI, core, emulator and shell tests"
        );
        cargo_test.extend(["--exclude".into(), "elevate-e2e".into()]);
    }
    cargo_test.extend(extra.iter().cloned());
    run_tests(&cargo_test)?;
    // A filtered run (extra arguments) need not cover every section.
    security::report(&figures, extra.is_empty() && cfg!(target_os = "linux"))
}

fn run_tests(cargo_test: &[String]) -> Result {
    if cfg!(target_os = "linux") {
        setup::in_desktop_session(cargo_test)
    } else {
        let mut c = Command::new(&cargo_test[0]);
        c.args(&cargo_test[1..])
            .current_dir(root())
            .env("ELEVATE_REQUIRE_KEYRING", "1");
        exec(&mut c)
    }
}

/// Only the tests that count security figures, then the figures.
fn security() -> Result {
    setup::all(true)?;
    let figures = security::prepare()?;
    build_ui()?;
    build_app(false)?;
    let mut cargo_test = vec![cargo(), "test".into(), "--no-fail-fast".into()];
    cargo_test.extend(security::test_args());
    run_tests(&cargo_test)?;
    security::report(&figures, cfg!(target_os = "linux"))
}
