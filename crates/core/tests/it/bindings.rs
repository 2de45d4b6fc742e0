//! What is generated from the Rust surface must match what is committed: the TypeScript
//! mirror of the IPC types and the command surface (`ui/src/platform/bindings`), and the
//! Tauri permission set the capability grants. Regenerate with `cargo xtask bindings`
//! (sets ELEVATE_WRITE_BINDINGS=1).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn writing() -> bool {
    std::env::var_os("ELEVATE_WRITE_BINDINGS").is_some()
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let dir = root().join("ui/src/platform/bindings");
    let write = writing();
    let mut stale = Vec::new();
    let expected = elevate_core::api::bindings();
    if write {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    for (name, content) in &expected {
        let path = dir.join(name);
        if write {
            std::fs::write(&path, content).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(name.clone());
        }
    }
    // A file for a type that no longer exists is stale too.
    if !write {
        for entry in std::fs::read_dir(&dir).expect("ui/src/platform/bindings exists") {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            if name.ends_with(".ts") && !expected.iter().any(|(n, _)| *n == name) {
                stale.push(format!("{name} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings: {stale:?}; run `cargo xtask bindings`"
    );
}

fn up_to_date(path: &Path, expected: &str) {
    if writing() {
        std::fs::write(path, expected).unwrap();
        return;
    }
    assert_eq!(
        std::fs::read_to_string(path).ok().as_deref(),
        Some(expected),
        "{} is stale; run `cargo xtask bindings`",
        path.display()
    );
}

#[test]
fn the_tauri_permission_set_grants_exactly_the_surface() {
    up_to_date(
        &root().join("src-tauri/permissions/surface.toml"),
        &elevate_core::api::tauri_permission_set(),
    );
}

#[test]
fn the_capability_grants_the_surface_set_and_no_command_by_hand() {
    let text = std::fs::read_to_string(root().join("src-tauri/capabilities/main.json")).unwrap();
    let cap: serde_json::Value = serde_json::from_str(&text).unwrap();
    let granted: Vec<&str> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        granted.contains(&"surface"),
        "main.json must grant `surface`"
    );
    // Any app command allowed one by one would bypass the one list.
    let by_hand: Vec<&&str> = granted
        .iter()
        .filter(|p| !p.contains(':') && **p != "surface")
        .collect();
    assert!(by_hand.is_empty(), "commands granted by hand: {by_hand:?}");
}

#[test]
fn command_and_event_names_are_unique_and_wire_shaped() {
    use elevate_core::api::{COMMANDS, EVENTS};
    for list in [COMMANDS, EVENTS] {
        let mut seen = std::collections::HashSet::new();
        for n in list {
            assert!(seen.insert(*n), "{n} is declared twice");
        }
    }
    assert!(COMMANDS
        .iter()
        .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
    assert!(EVENTS
        .iter()
        .all(|e| e.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-')));
}
