fn main() {
    // Listing the app's commands puts them under the capability ACL: a window may call
    // only what capabilities/main.json allows.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "session",
            "sign_in",
            "cancel_sign_in",
            "sign_out",
            "get_settings",
            "save_settings",
            "home",
            "open_help",
            "journal_entries",
            "journal_verify",
            "journal_export",
            "my_roles",
            "activate_roles",
            "extend_role",
            "deactivate_role",
            "cancel_request",
            "role_preferences",
            "save_role_preferences",
            "environments",
            "environment_membership",
            "preflight",
            "add_me",
            "open_environment",
            "inventory",
            "cancel_inventory",
            "inventory_export",
            "import_users_file",
            "plan_cleanup",
            "run_cleanup",
            "cleanup_runs",
            "resume_cleanup",
            "rollback_cleanup",
            "check_for_update",
            "install_update",
        ]),
    ))
    .expect("tauri build script");
}
