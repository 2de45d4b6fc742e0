//! The TypeScript mirror of the IPC types must match the Rust definitions.
//! Regenerate with `cargo xtask bindings` (sets ELEVATE_WRITE_BINDINGS=1).

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/platform/bindings");
    let write = std::env::var_os("ELEVATE_WRITE_BINDINGS").is_some();
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
