// The app's command surface, declared once. Each command names its handler
// (`handlers::<module>::<name>`), its arguments (camelCase on the wire, exactly the IPC
// argument names) and its response; each event names its wire name and payload.
//
// From this one list come: core's `dispatch` and typed event emitters (api/dispatch.rs), the
// Tauri commands and `generate_handler!` (src-tauri/src/ipc.rs), the ACL command names
// (src-tauri/build.rs, which `include!`s this file: nothing here may need a `use`), the
// TypeScript `Commands`/`Events` maps and functions (`cargo xtask bindings`), and through
// them the UI's test mock. Adding a command: a line here, its handler, its UI caller.
#[macro_export]
macro_rules! with_surface {
    ($then:ident) => {
        $then! {
            commands {
                app::app_info {} -> AppInfo;
                app::check_for_update {} -> Option<AvailableUpdate>;
                app::install_update {} -> ();
                app::open_help { topic: String } -> ();
                session::session {} -> SessionState;
                session::sign_in { kind: TenantKind, method: SignInMethod } -> SessionState;
                session::cancel_sign_in {} -> ();
                session::sign_out { end_browser_session: Option<bool> } -> SessionState;
                session::get_settings {} -> Settings;
                session::save_settings { input: SettingsInput } -> Settings;
                session::check_connectivity {} -> ConnectivityReport;
                session::home {} -> HomeSummary;
                journal::journal_entries { filter: JournalFilter } -> JournalPage;
                journal::journal_verify {} -> JournalHealth;
                journal::journal_export { format: ExportFormat, filter: JournalFilter } -> Option<JournalExport>;
                roles::my_roles {} -> MyRoles;
                roles::activate_roles { input: ActivationInput } -> Vec<ActivationOutcome>;
                roles::extend_role { input: ExtendInput } -> ActivationOutcome;
                roles::deactivate_role { role_id: String } -> ();
                roles::cancel_request { request_id: String } -> ();
                roles::role_preferences {} -> RolePreferences;
                roles::save_role_preferences { prefs: RolePreferences } -> RolePreferences;
                environments::environments {} -> EnvironmentList;
                environments::environment_membership { environment_id: String } -> Membership;
                environments::preflight { environment_ids: Vec<String> } -> Vec<Preflight>;
                environments::add_me { input: AddMeInput } -> Vec<Elevation>;
                environments::open_environment { environment_id: String } -> ();
                inventory::inventory { scope: InventoryScope } -> Inventory;
                inventory::cancel_inventory {} -> ();
                inventory::inventory_export { format: ExportFormat } -> Option<JournalExport>;
                inventory::import_users_file {} -> Option<UsersFile>;
                cleanup::plan_cleanup { input: CleanupInput } -> CleanupPlan;
                cleanup::run_cleanup { plan_id: String, confirm_count: u32 } -> CleanupRun;
                cleanup::cleanup_runs {} -> Vec<CleanupRunSummary>;
                cleanup::resume_cleanup { run_id: String } -> CleanupRun;
                cleanup::rollback_cleanup { run_id: String } -> CleanupRun;
            }
            events {
                sign_in_progress = "sign-in-progress": SignInProgress;
                activation_progress = "activation-progress": ActivationProgress;
                // Sent by the desktop's roles watcher; `null` when nothing needs saying.
                roles_changed = "roles-changed": Option<RoleNotice>;
                elevation_progress = "elevation-progress": ElevationProgress;
                inventory_progress = "inventory-progress": InventoryProgress;
                cleanup_progress = "cleanup-progress": CleanupProgress;
            }
        }
    };
}
