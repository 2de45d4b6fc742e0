//! Installing prerequisites, and running tests inside a throw-away desktop session on Linux.

use std::path::PathBuf;
use std::process::Command;

use crate::{cargo, exec, npm, root, Result};

/// Debian/Ubuntu packages: WebKitGTK for the app, Xvfb + WebKitWebDriver for the
/// end-to-end tests, gnome-keyring for the OS credential store.
const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "curl",
    "wget",
    "file",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "pkg-config",
    "xvfb",
    "webkit2gtk-driver",
    "xauth",
    "dbus-x11",
    "gnome-keyring",
    "libsecret-1-dev",
];

pub fn all(for_tests: bool) -> Result {
    if cfg!(target_os = "linux") {
        system_packages(for_tests)?;
    }
    npm_install()?;
    // Only the Linux end-to-end tests drive the app through tauri-driver.
    if for_tests && cfg!(target_os = "linux") {
        tauri_driver()?;
    }
    Ok(())
}

pub fn have(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn system_packages(for_tests: bool) -> Result {
    let mut missing = !have("pkg-config", &["--exists", "webkit2gtk-4.1", "libsoup-3.0"]);
    if for_tests {
        missing |= !have("which", &["xvfb-run"])
            || !have("which", &["WebKitWebDriver"])
            || !have("which", &["gnome-keyring-daemon"]);
    }
    if !missing {
        return Ok(());
    }
    apt_install(APT_PACKAGES)
}

/// `apt-get install` (through sudo unless root); the only way prerequisites arrive on Linux.
pub fn apt_install(packages: &[&str]) -> Result {
    if !have("which", &["apt-get"]) {
        return Err(format!(
            "missing system packages ({}); install your distribution's equivalents (see README)",
            packages.join(", ")
        ));
    }
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let sudo = |args: &[&str]| {
        let mut c = if root_user {
            Command::new(args[0])
        } else {
            Command::new("sudo")
        };
        if root_user {
            c.args(&args[1..]);
        } else {
            c.args(args);
        }
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    exec(&mut sudo(&["apt-get", "update", "-qq"]))?;
    let mut install = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(packages);
    exec(&mut sudo(&install))
}

fn npm_install() -> Result {
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    exec(
        Command::new(npm())
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ui),
    )
}

fn tauri_driver() -> Result {
    if have("tauri-driver", &["--help"]) {
        return Ok(());
    }
    exec(Command::new(cargo()).args(["install", "tauri-driver", "--version", "^2", "--locked"]))
}

/// Runs `cmd` under Xvfb in a private D-Bus session with a fresh, unlocked gnome-keyring,
/// with HOME pointing at a temporary folder so a developer's own keyring is never touched.
pub fn in_desktop_session(cmd: &[String]) -> Result {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .ok_or("HOME is not set")?;
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cargo"));
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".rustup"));
    let sandbox = std::env::temp_dir().join(format!("elevate-test-{}", std::process::id()));
    let runtime = sandbox.join("runtime");
    std::fs::create_dir_all(sandbox.join("home")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&runtime).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700));
    }
    let quoted: Vec<String> = cmd
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let script = format!(
        "echo -n elevate-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec {}",
        quoted.join(" ")
    );
    let path = std::env::var("PATH").unwrap_or_default();
    let mut c = Command::new("xvfb-run");
    c.args([
        "-a",
        "-s",
        "-screen 0 1280x800x24",
        "dbus-run-session",
        "--",
        "sh",
        "-c",
        &script,
    ])
    .current_dir(root())
    .env("HOME", sandbox.join("home"))
    .env("XDG_RUNTIME_DIR", &runtime)
    .env_remove("XDG_DATA_HOME")
    .env_remove("XDG_CONFIG_HOME")
    .env("CARGO_HOME", &cargo_home)
    .env("RUSTUP_HOME", &rustup_home)
    .env(
        "PATH",
        format!("{}:{path}", cargo_home.join("bin").display()),
    )
    .env(
        "CARGO_TARGET_DIR",
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target")),
    )
    .env("ELEVATE_REQUIRE_KEYRING", "1");
    let r = exec(&mut c);
    let _ = std::fs::remove_dir_all(&sandbox);
    r
}
