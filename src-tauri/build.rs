// The command names come from core's one surface; only the names are used here, so the
// types in the list are never resolved.
include!("../crates/core/src/api/surface.rs");

macro_rules! names {
    (
        commands { $( $module:ident :: $name:ident { $( $field:ident : $fty:ty ),* $(,)? } -> $resp:ty ; )* }
        events { $( $ev:ident = $evname:literal : $payload:ty ; )* }
    ) => {
        &[ $( stringify!($name) ),* ]
    };
}

const COMMANDS: &[&str] = with_surface!(names);

fn main() {
    println!("cargo:rerun-if-changed=../crates/core/src/api/surface.rs");
    println!("cargo:rerun-if-changed=permissions");
    // Listing the app's commands puts them under the capability ACL: a window may call only
    // what capabilities/main.json allows (the `surface` set of permissions/surface.toml).
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
