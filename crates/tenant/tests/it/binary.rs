//! The `elevate-tenant` binary: the one-line handshake scripts rely on.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_listening_line_and_serves() {
    let child = Command::new(env!("CARGO_BIN_EXE_elevate-tenant"))
        .args(["--scenario", "demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut child = Child(child);
    let stdout = child.0.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = tokio::time::timeout(Duration::from_secs(60), line)
        .await
        .expect("handshake within a minute")
        .expect("join")
        .expect("read");
    let base = line
        .trim_end()
        .strip_prefix("listening on ")
        .expect("handshake line")
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let port: u16 = base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert_ne!(port, 0);

    elevate_tenant::install_crypto_provider();
    let health: serde_json::Value = reqwest::get(format!("{base}/_emulator/health"))
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(health["status"], "ok");
}

#[test]
fn unknown_scenario_fails_cleanly() {
    let out = Command::new(env!("CARGO_BIN_EXE_elevate-tenant"))
        .args(["--scenario", "nonexistent", "--listen", "127.0.0.1:0"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
}
