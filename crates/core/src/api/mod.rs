//! The shapes that cross the IPC boundary. Everything here is serialisable, mirrored in
//! TypeScript (see `bindings`), and carries no secret: the types that hold tokens live in
//! `auth` and cannot be serialised at all.

mod environments;
mod error;
mod inventory;
mod journal;
mod network;
mod roles;
mod session;

pub use environments::*;
pub use error::{ApiError, ErrorCode};
pub use inventory::*;
pub use journal::*;
pub use network::*;
pub use roles::*;
pub use session::*;

/// Every type exported to TypeScript, as `(file name, file content)`.
/// `cargo xtask bindings` writes them; a test fails when the committed files differ.
pub fn bindings() -> Vec<(String, String)> {
    use ts_rs::TS;
    macro_rules! export {
        ($($t:ty),* $(,)?) => {
            vec![$((format!("{}.ts", <$t as TS>::name()), <$t as TS>::export_to_string().expect("ts export"))),*]
        };
    }
    export![
        ApiError,
        ErrorCode,
        AppInfo,
        UpdateStatus,
        AvailableUpdate,
        Account,
        TenantKind,
        Cloud,
        StorageStatus,
        SessionState,
        DemoTenant,
        Settings,
        SettingsInput,
        ConnectivityReport,
        ConnectivityCheck,
        CheckResult,
        CheckStage,
        SignInMethod,
        SignInProgress,
        DirectoryRole,
        HomeSummary,
        JournalAction,
        JournalTenant,
        JournalAccount,
        JournalTargetKind,
        JournalTarget,
        JournalRef,
        JournalParams,
        JournalOutcome,
        JournalResult,
        JournalEntry,
        JournalRow,
        JournalFilter,
        JournalPage,
        JournalIssue,
        JournalStatus,
        JournalProtection,
        JournalHealth,
        ExportFormat,
        JournalExport,
        MemberType,
        RolePolicy,
        EligibleRole,
        AssignmentType,
        ActiveRole,
        RequestPhase,
        RoleRequest,
        MyRoles,
        ActivationInput,
        ActivationStage,
        ActivationProgress,
        ActivationResult,
        ActivationOutcome,
        ExtendInput,
        Preset,
        RolePreferences,
        RoleNotice,
        GroupRef,
        Environment,
        EnvironmentList,
        TeamHold,
        SystemAdministrator,
        Membership,
        CheckStatus,
        CheckKind,
        PreflightCheck,
        Verdict,
        RoleToActivate,
        Preflight,
        AddMeInput,
        ElevationResult,
        Elevation,
        ElevationProgress,
        InventoryScopeKind,
        InventoryScope,
        PimStatus,
        Holder,
        ScanStatus,
        EnvironmentScan,
        InventoryProgress,
        Inventory,
        HolderRef,
        RowProblem,
        UsersFile,
        CleanupInput,
        Removal,
        CleanupPlan,
        RemovalResult,
        RemovalOutcome,
        CleanupProgress,
        CleanupRun,
        CleanupRunSummary,
        RunRow,
    ]
}
