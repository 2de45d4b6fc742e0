// Generated from crates/core/src/api/surface.rs by `cargo xtask bindings`. Do not edit.
import { call, subscribe } from "../transport";
import type { AppInfo } from "./AppInfo";
import type { AvailableUpdate } from "./AvailableUpdate";
import type { TenantKind } from "./TenantKind";
import type { SessionState } from "./SessionState";
import type { Settings } from "./Settings";
import type { SettingsInput } from "./SettingsInput";
import type { SignInMethod } from "./SignInMethod";
import type { SignInProgress } from "./SignInProgress";
import type { HomeSummary } from "./HomeSummary";
import type { ConnectivityReport } from "./ConnectivityReport";
import type { JournalFilter } from "./JournalFilter";
import type { JournalPage } from "./JournalPage";
import type { JournalHealth } from "./JournalHealth";
import type { ExportFormat } from "./ExportFormat";
import type { JournalExport } from "./JournalExport";
import type { MyRoles } from "./MyRoles";
import type { ActivationInput } from "./ActivationInput";
import type { ActivationProgress } from "./ActivationProgress";
import type { ActivationOutcome } from "./ActivationOutcome";
import type { ExtendInput } from "./ExtendInput";
import type { RolePreferences } from "./RolePreferences";
import type { RoleNotice } from "./RoleNotice";
import type { EnvironmentList } from "./EnvironmentList";
import type { Membership } from "./Membership";
import type { Preflight } from "./Preflight";
import type { AddMeInput } from "./AddMeInput";
import type { Elevation } from "./Elevation";
import type { ElevationProgress } from "./ElevationProgress";
import type { InventoryScope } from "./InventoryScope";
import type { InventoryProgress } from "./InventoryProgress";
import type { Inventory } from "./Inventory";
import type { UsersFile } from "./UsersFile";
import type { CleanupInput } from "./CleanupInput";
import type { CleanupPlan } from "./CleanupPlan";
import type { CleanupProgress } from "./CleanupProgress";
import type { CleanupRun } from "./CleanupRun";
import type { CleanupRunSummary } from "./CleanupRunSummary";

/** Every command: its arguments (camelCase, as sent) and its response. */
export type Commands = {
  app_info: { args: Record<string, never>; response: AppInfo };
  check_for_update: { args: Record<string, never>; response: AvailableUpdate | null };
  install_update: { args: Record<string, never>; response: void };
  open_help: { args: { topic: string }; response: void };
  session: { args: Record<string, never>; response: SessionState };
  sign_in: { args: { kind: TenantKind; method: SignInMethod }; response: SessionState };
  cancel_sign_in: { args: Record<string, never>; response: void };
  sign_out: { args: { endBrowserSession?: boolean | null }; response: SessionState };
  get_settings: { args: Record<string, never>; response: Settings };
  save_settings: { args: { input: SettingsInput }; response: Settings };
  check_connectivity: { args: Record<string, never>; response: ConnectivityReport };
  home: { args: Record<string, never>; response: HomeSummary };
  journal_entries: { args: { filter: JournalFilter }; response: JournalPage };
  journal_verify: { args: Record<string, never>; response: JournalHealth };
  journal_export: { args: { format: ExportFormat; filter: JournalFilter }; response: JournalExport | null };
  my_roles: { args: Record<string, never>; response: MyRoles };
  activate_roles: { args: { input: ActivationInput }; response: Array<ActivationOutcome> };
  extend_role: { args: { input: ExtendInput }; response: ActivationOutcome };
  deactivate_role: { args: { roleId: string }; response: void };
  cancel_request: { args: { requestId: string }; response: void };
  role_preferences: { args: Record<string, never>; response: RolePreferences };
  save_role_preferences: { args: { prefs: RolePreferences }; response: RolePreferences };
  environments: { args: Record<string, never>; response: EnvironmentList };
  environment_membership: { args: { environmentId: string }; response: Membership };
  preflight: { args: { environmentIds: Array<string> }; response: Array<Preflight> };
  add_me: { args: { input: AddMeInput }; response: Array<Elevation> };
  open_environment: { args: { environmentId: string }; response: void };
  inventory: { args: { scope: InventoryScope }; response: Inventory };
  cancel_inventory: { args: Record<string, never>; response: void };
  inventory_export: { args: { format: ExportFormat }; response: JournalExport | null };
  import_users_file: { args: Record<string, never>; response: UsersFile | null };
  plan_cleanup: { args: { input: CleanupInput }; response: CleanupPlan };
  run_cleanup: { args: { planId: string; confirmCount: number }; response: CleanupRun };
  cleanup_runs: { args: Record<string, never>; response: Array<CleanupRunSummary> };
  resume_cleanup: { args: { runId: string }; response: CleanupRun };
  rollback_cleanup: { args: { runId: string }; response: CleanupRun };
};

/** Every event and its payload. */
export type Events = {
  "sign-in-progress": SignInProgress;
  "activation-progress": ActivationProgress;
  "roles-changed": RoleNotice | null;
  "elevation-progress": ElevationProgress;
  "inventory-progress": InventoryProgress;
  "cleanup-progress": CleanupProgress;
};

export const COMMAND_NAMES = [
  "app_info",
  "check_for_update",
  "install_update",
  "open_help",
  "session",
  "sign_in",
  "cancel_sign_in",
  "sign_out",
  "get_settings",
  "save_settings",
  "check_connectivity",
  "home",
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
] as const;

export const EVENT_NAMES = [
  "sign-in-progress",
  "activation-progress",
  "roles-changed",
  "elevation-progress",
  "inventory-progress",
  "cleanup-progress",
] as const;

/** The exported functions below, one per command and one `on…` per event. */
export const FUNCTION_NAMES = [
  "appInfo",
  "checkForUpdate",
  "installUpdate",
  "openHelp",
  "session",
  "signIn",
  "cancelSignIn",
  "signOut",
  "getSettings",
  "saveSettings",
  "checkConnectivity",
  "home",
  "journalEntries",
  "journalVerify",
  "journalExport",
  "myRoles",
  "activateRoles",
  "extendRole",
  "deactivateRole",
  "cancelRequest",
  "rolePreferences",
  "saveRolePreferences",
  "environments",
  "environmentMembership",
  "preflight",
  "addMe",
  "openEnvironment",
  "inventory",
  "cancelInventory",
  "inventoryExport",
  "importUsersFile",
  "planCleanup",
  "runCleanup",
  "cleanupRuns",
  "resumeCleanup",
  "rollbackCleanup",
  "onSignInProgress",
  "onActivationProgress",
  "onRolesChanged",
  "onElevationProgress",
  "onInventoryProgress",
  "onCleanupProgress",
] as const;

export const appInfo = (): Promise<AppInfo> => call("app_info");
export const checkForUpdate = (): Promise<AvailableUpdate | null> => call("check_for_update");
export const installUpdate = (): Promise<void> => call("install_update");
export const openHelp = (topic: string): Promise<void> => call("open_help", { topic });
export const session = (): Promise<SessionState> => call("session");
export const signIn = (kind: TenantKind, method: SignInMethod): Promise<SessionState> => call("sign_in", { kind, method });
export const cancelSignIn = (): Promise<void> => call("cancel_sign_in");
export const signOut = (endBrowserSession?: boolean): Promise<SessionState> => call("sign_out", { endBrowserSession });
export const getSettings = (): Promise<Settings> => call("get_settings");
export const saveSettings = (input: SettingsInput): Promise<Settings> => call("save_settings", { input });
export const checkConnectivity = (): Promise<ConnectivityReport> => call("check_connectivity");
export const home = (): Promise<HomeSummary> => call("home");
export const journalEntries = (filter: JournalFilter): Promise<JournalPage> => call("journal_entries", { filter });
export const journalVerify = (): Promise<JournalHealth> => call("journal_verify");
export const journalExport = (format: ExportFormat, filter: JournalFilter): Promise<JournalExport | null> => call("journal_export", { format, filter });
export const myRoles = (): Promise<MyRoles> => call("my_roles");
export const activateRoles = (input: ActivationInput): Promise<Array<ActivationOutcome>> => call("activate_roles", { input });
export const extendRole = (input: ExtendInput): Promise<ActivationOutcome> => call("extend_role", { input });
export const deactivateRole = (roleId: string): Promise<void> => call("deactivate_role", { roleId });
export const cancelRequest = (requestId: string): Promise<void> => call("cancel_request", { requestId });
export const rolePreferences = (): Promise<RolePreferences> => call("role_preferences");
export const saveRolePreferences = (prefs: RolePreferences): Promise<RolePreferences> => call("save_role_preferences", { prefs });
export const environments = (): Promise<EnvironmentList> => call("environments");
export const environmentMembership = (environmentId: string): Promise<Membership> => call("environment_membership", { environmentId });
export const preflight = (environmentIds: Array<string>): Promise<Array<Preflight>> => call("preflight", { environmentIds });
export const addMe = (input: AddMeInput): Promise<Array<Elevation>> => call("add_me", { input });
export const openEnvironment = (environmentId: string): Promise<void> => call("open_environment", { environmentId });
export const inventory = (scope: InventoryScope): Promise<Inventory> => call("inventory", { scope });
export const cancelInventory = (): Promise<void> => call("cancel_inventory");
export const inventoryExport = (format: ExportFormat): Promise<JournalExport | null> => call("inventory_export", { format });
export const importUsersFile = (): Promise<UsersFile | null> => call("import_users_file");
export const planCleanup = (input: CleanupInput): Promise<CleanupPlan> => call("plan_cleanup", { input });
export const runCleanup = (planId: string, confirmCount: number): Promise<CleanupRun> => call("run_cleanup", { planId, confirmCount });
export const cleanupRuns = (): Promise<Array<CleanupRunSummary>> => call("cleanup_runs");
export const resumeCleanup = (runId: string): Promise<CleanupRun> => call("resume_cleanup", { runId });
export const rollbackCleanup = (runId: string): Promise<CleanupRun> => call("rollback_cleanup", { runId });
export const onSignInProgress = (cb: (payload: SignInProgress) => void): Promise<() => void> => subscribe("sign-in-progress", cb);
export const onActivationProgress = (cb: (payload: ActivationProgress) => void): Promise<() => void> => subscribe("activation-progress", cb);
export const onRolesChanged = (cb: (payload: RoleNotice | null) => void): Promise<() => void> => subscribe("roles-changed", cb);
export const onElevationProgress = (cb: (payload: ElevationProgress) => void): Promise<() => void> => subscribe("elevation-progress", cb);
export const onInventoryProgress = (cb: (payload: InventoryProgress) => void): Promise<() => void> => subscribe("inventory-progress", cb);
export const onCleanupProgress = (cb: (payload: CleanupProgress) => void): Promise<() => void> => subscribe("cleanup-progress", cb);
