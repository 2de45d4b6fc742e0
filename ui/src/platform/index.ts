// The platform boundary: the ONLY module that imports `@tauri-apps/*`.
// Screens call these typed functions; the IPC types are generated from Rust (./bindings, never
// edited by hand). No function here returns a token: tokens never leave Rust.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { ApiError } from "./bindings/ApiError";
import type { ActivationInput } from "./bindings/ActivationInput";
import type { ActivationOutcome } from "./bindings/ActivationOutcome";
import type { ActivationProgress } from "./bindings/ActivationProgress";
import type { AddMeInput } from "./bindings/AddMeInput";
import type { AppInfo } from "./bindings/AppInfo";
import type { AvailableUpdate } from "./bindings/AvailableUpdate";
import type { CleanupInput } from "./bindings/CleanupInput";
import type { CleanupPlan } from "./bindings/CleanupPlan";
import type { CleanupProgress } from "./bindings/CleanupProgress";
import type { CleanupRun } from "./bindings/CleanupRun";
import type { CleanupRunSummary } from "./bindings/CleanupRunSummary";
import type { ConnectivityReport } from "./bindings/ConnectivityReport";
import type { Elevation } from "./bindings/Elevation";
import type { ElevationProgress } from "./bindings/ElevationProgress";
import type { EnvironmentList } from "./bindings/EnvironmentList";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { HomeSummary } from "./bindings/HomeSummary";
import type { Inventory } from "./bindings/Inventory";
import type { InventoryProgress } from "./bindings/InventoryProgress";
import type { InventoryScope } from "./bindings/InventoryScope";
import type { JournalExport } from "./bindings/JournalExport";
import type { JournalFilter } from "./bindings/JournalFilter";
import type { ExtendInput } from "./bindings/ExtendInput";
import type { JournalHealth } from "./bindings/JournalHealth";
import type { JournalPage } from "./bindings/JournalPage";
import type { Membership } from "./bindings/Membership";
import type { MyRoles } from "./bindings/MyRoles";
import type { Preflight } from "./bindings/Preflight";
import type { RoleNotice } from "./bindings/RoleNotice";
import type { RolePreferences } from "./bindings/RolePreferences";
import type { SessionState } from "./bindings/SessionState";
import type { Settings } from "./bindings/Settings";
import type { SettingsInput } from "./bindings/SettingsInput";
import type { SignInMethod } from "./bindings/SignInMethod";
import type { SignInProgress } from "./bindings/SignInProgress";
import type { TenantKind } from "./bindings/TenantKind";
import type { UsersFile } from "./bindings/UsersFile";

export type { ApiError } from "./bindings/ApiError";
export type { Account } from "./bindings/Account";
export type { ActivationInput } from "./bindings/ActivationInput";
export type { ActivationOutcome } from "./bindings/ActivationOutcome";
export type { ActivationProgress } from "./bindings/ActivationProgress";
export type { ActivationResult } from "./bindings/ActivationResult";
export type { ActivationStage } from "./bindings/ActivationStage";
export type { ActiveRole } from "./bindings/ActiveRole";
export type { AppInfo } from "./bindings/AppInfo";
export type { Cloud } from "./bindings/Cloud";
export type { DemoTenant } from "./bindings/DemoTenant";
export type { DirectoryRole } from "./bindings/DirectoryRole";
export type { EligibleRole } from "./bindings/EligibleRole";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { ExtendInput } from "./bindings/ExtendInput";
export type { HomeSummary } from "./bindings/HomeSummary";
export type { JournalAccount } from "./bindings/JournalAccount";
export type { JournalAction } from "./bindings/JournalAction";
export type { JournalEntry } from "./bindings/JournalEntry";
export type { JournalExport } from "./bindings/JournalExport";
export type { JournalFilter } from "./bindings/JournalFilter";
export type { JournalHealth } from "./bindings/JournalHealth";
export type { JournalIssue } from "./bindings/JournalIssue";
export type { JournalOutcome } from "./bindings/JournalOutcome";
export type { JournalPage } from "./bindings/JournalPage";
export type { JournalParams } from "./bindings/JournalParams";
export type { JournalRow } from "./bindings/JournalRow";
export type { JournalTarget } from "./bindings/JournalTarget";
export type { JournalTargetKind } from "./bindings/JournalTargetKind";
export type { AssignmentType } from "./bindings/AssignmentType";
export type { MemberType } from "./bindings/MemberType";
export type { MyRoles } from "./bindings/MyRoles";
export type { Preset } from "./bindings/Preset";
export type { RequestPhase } from "./bindings/RequestPhase";
export type { RoleNotice } from "./bindings/RoleNotice";
export type { RolePolicy } from "./bindings/RolePolicy";
export type { RolePreferences } from "./bindings/RolePreferences";
export type { RoleRequest } from "./bindings/RoleRequest";
export type { SessionState } from "./bindings/SessionState";
export type { Settings } from "./bindings/Settings";
export type { SettingsInput } from "./bindings/SettingsInput";
export type { CheckResult } from "./bindings/CheckResult";
export type { CheckStage } from "./bindings/CheckStage";
export type { ConnectivityCheck } from "./bindings/ConnectivityCheck";
export type { ConnectivityReport } from "./bindings/ConnectivityReport";
export type { SignInMethod } from "./bindings/SignInMethod";
export type { SignInProgress } from "./bindings/SignInProgress";
export type { StorageStatus } from "./bindings/StorageStatus";
export type { TenantKind } from "./bindings/TenantKind";
export type { AddMeInput } from "./bindings/AddMeInput";
export type { CheckKind } from "./bindings/CheckKind";
export type { CheckStatus } from "./bindings/CheckStatus";
export type { Elevation } from "./bindings/Elevation";
export type { ElevationProgress } from "./bindings/ElevationProgress";
export type { ElevationResult } from "./bindings/ElevationResult";
export type { Environment } from "./bindings/Environment";
export type { EnvironmentList } from "./bindings/EnvironmentList";
export type { GroupRef } from "./bindings/GroupRef";
export type { Membership } from "./bindings/Membership";
export type { Preflight } from "./bindings/Preflight";
export type { PreflightCheck } from "./bindings/PreflightCheck";
export type { RoleToActivate } from "./bindings/RoleToActivate";
export type { SystemAdministrator } from "./bindings/SystemAdministrator";
export type { TeamHold } from "./bindings/TeamHold";
export type { Verdict } from "./bindings/Verdict";
export type { CleanupInput } from "./bindings/CleanupInput";
export type { CleanupPlan } from "./bindings/CleanupPlan";
export type { CleanupProgress } from "./bindings/CleanupProgress";
export type { CleanupRun } from "./bindings/CleanupRun";
export type { CleanupRunSummary } from "./bindings/CleanupRunSummary";
export type { EnvironmentScan } from "./bindings/EnvironmentScan";
export type { Holder } from "./bindings/Holder";
export type { HolderRef } from "./bindings/HolderRef";
export type { Inventory } from "./bindings/Inventory";
export type { InventoryProgress } from "./bindings/InventoryProgress";
export type { InventoryScope } from "./bindings/InventoryScope";
export type { InventoryScopeKind } from "./bindings/InventoryScopeKind";
export type { PimStatus } from "./bindings/PimStatus";
export type { Removal } from "./bindings/Removal";
export type { RemovalOutcome } from "./bindings/RemovalOutcome";
export type { RemovalResult } from "./bindings/RemovalResult";
export type { RunRow } from "./bindings/RunRow";
export type { RowProblem } from "./bindings/RowProblem";
export type { ScanStatus } from "./bindings/ScanStatus";
export type { UsersFile } from "./bindings/UsersFile";
export type { UpdateStatus } from "./bindings/UpdateStatus";
export type { AvailableUpdate } from "./bindings/AvailableUpdate";

export type HelpTopic = "appRegistration" | "adminConsent";

/** The platform surface, implemented by Tauri IPC here and by an in-memory fake in ./fake. */
export interface Platform {
  appInfo(): Promise<AppInfo>;
  checkForUpdate(): Promise<AvailableUpdate | null>;
  installUpdate(): Promise<void>;
  session(): Promise<SessionState>;
  signIn(kind: TenantKind, method: SignInMethod): Promise<SessionState>;
  cancelSignIn(): Promise<void>;
  /** `endBrowserSession`: also sign out of Microsoft in the system browser. */
  signOut(endBrowserSession?: boolean): Promise<SessionState>;
  getSettings(): Promise<Settings>;
  saveSettings(input: SettingsInput): Promise<Settings>;
  /** Settings → Check connection: DNS, TCP, proxy, TLS and HTTP for each host Elevate needs. */
  checkConnectivity(): Promise<ConnectivityReport>;
  home(): Promise<HomeSummary>;
  openHelp(topic: HelpTopic): Promise<void>;
  journalEntries(filter: JournalFilter): Promise<JournalPage>;
  journalVerify(): Promise<JournalHealth>;
  /** Rust shows the save dialog; `null` when the user cancels it. */
  journalExport(format: ExportFormat, filter: JournalFilter): Promise<JournalExport | null>;
  onSignInProgress(cb: (p: SignInProgress) => void): Promise<() => void>;
  myRoles(): Promise<MyRoles>;
  /** Resolves when every role is active, waiting for approval or failed; may take minutes. */
  activateRoles(input: ActivationInput): Promise<ActivationOutcome[]>;
  deactivateRole(roleId: string): Promise<void>;
  extendRole(input: ExtendInput): Promise<ActivationOutcome>;
  cancelRequest(requestId: string): Promise<void>;
  rolePreferences(): Promise<RolePreferences>;
  saveRolePreferences(prefs: RolePreferences): Promise<RolePreferences>;
  onActivationProgress(cb: (p: ActivationProgress) => void): Promise<() => void>;
  /** Something changed in the background (an approval decided, an activation ended). */
  onRolesChanged(cb: (notice: RoleNotice | null) => void): Promise<() => void>;
  environments(): Promise<EnvironmentList>;
  membership(environmentId: string): Promise<Membership>;
  preflight(environmentIds: string[]): Promise<Preflight[]>;
  /** Resolves when every environment is done; follow along with `onElevationProgress`. */
  addMe(input: AddMeInput): Promise<Elevation[]>;
  openEnvironment(environmentId: string): Promise<void>;
  onElevationProgress(cb: (p: ElevationProgress) => void): Promise<() => void>;
  /** Resolves when the run ends (finished or cancelled); follow along with `onInventoryProgress`. */
  inventory(scope: InventoryScope): Promise<Inventory>;
  cancelInventory(): Promise<void>;
  onInventoryProgress(cb: (p: InventoryProgress) => void): Promise<() => void>;
  /** The last inventory; Rust shows the save dialog, `null` when the user cancels it. */
  inventoryExport(format: ExportFormat): Promise<JournalExport | null>;
  /** Rust shows the open dialog and parses the file; `null` when the user cancels it. */
  importUsersFile(): Promise<UsersFile | null>;
  /** The dry run: sends nothing. */
  planCleanup(input: CleanupInput): Promise<CleanupPlan>;
  /** `confirmCount` is the number the admin confirmed; Rust refuses a plan of another size. */
  runCleanup(planId: string, confirmCount: number): Promise<CleanupRun>;
  onCleanupProgress(cb: (p: CleanupProgress) => void): Promise<() => void>;
  cleanupRuns(): Promise<CleanupRunSummary[]>;
  resumeCleanup(runId: string): Promise<CleanupRun>;
  /** Puts back what the run removed, from its rollback file; also sends `cleanup-progress`. */
  rollbackCleanup(runId: string): Promise<CleanupRun>;
}

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "invalidInput",
  "notSignedIn",
  "signInCancelled",
  "signInTimedOut",
  "signInFailed",
  "interactionRequired",
  "network",
  "service",
  "throttled",
  "forbidden",
  "notFound",
  "credentialStore",
  "config",
  "internal",
]);

function isApiError(e: unknown): e is ApiError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === "string" && ERROR_CODES.has(o.code) && typeof o.message === "string";
}

/** Whatever was thrown, hand the screens an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) {
    const out: ApiError = { code: e.code, message: e.message };
    if (typeof e.detail === "string") out.detail = e.detail;
    if (typeof e.correlationId === "string") out.correlationId = e.correlationId;
    return out;
  }
  if (e instanceof Error) return { code: "internal", message: e.message || String(e) };
  return { code: "internal", message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

async function subscribe<T>(event: string, cb: (payload: T) => void): Promise<() => void> {
  try {
    return await listen<T>(event, (e) => cb(e.payload));
  } catch (e) {
    throw toApiError(e);
  }
}

const tauri: Platform = {
  appInfo: () => call<AppInfo>("app_info"),
  checkForUpdate: () => call<AvailableUpdate | null>("check_for_update"),
  installUpdate: () => call<void>("install_update"),
  session: () => call<SessionState>("session"),
  signIn: (kind, method) => call<SessionState>("sign_in", { kind, method }),
  cancelSignIn: () => call<void>("cancel_sign_in"),
  signOut: (endBrowserSession) =>
    call<SessionState>("sign_out", endBrowserSession ? { endBrowserSession } : undefined),
  getSettings: () => call<Settings>("get_settings"),
  saveSettings: (input) => call<Settings>("save_settings", { input }),
  checkConnectivity: () => call<ConnectivityReport>("check_connectivity"),
  home: () => call<HomeSummary>("home"),
  openHelp: (topic) => call<void>("open_help", { topic }),
  journalEntries: (filter) => call<JournalPage>("journal_entries", { filter }),
  journalVerify: () => call<JournalHealth>("journal_verify"),
  journalExport: (format, filter) => call<JournalExport | null>("journal_export", { format, filter }),
  onSignInProgress: (cb) => subscribe<SignInProgress>("sign-in-progress", cb),
  myRoles: () => call<MyRoles>("my_roles"),
  activateRoles: (input) => call<ActivationOutcome[]>("activate_roles", { input }),
  deactivateRole: (roleId) => call<void>("deactivate_role", { roleId }),
  extendRole: (input) => call<ActivationOutcome>("extend_role", { input }),
  cancelRequest: (requestId) => call<void>("cancel_request", { requestId }),
  rolePreferences: () => call<RolePreferences>("role_preferences"),
  saveRolePreferences: (prefs) => call<RolePreferences>("save_role_preferences", { prefs }),
  onActivationProgress: (cb) => subscribe<ActivationProgress>("activation-progress", cb),
  onRolesChanged: (cb) => subscribe<RoleNotice | null>("roles-changed", (n) => cb(n ?? null)),
  environments: () => call<EnvironmentList>("environments"),
  membership: (environmentId) => call<Membership>("environment_membership", { environmentId }),
  preflight: (environmentIds) => call<Preflight[]>("preflight", { environmentIds }),
  addMe: (input) => call<Elevation[]>("add_me", { input }),
  openEnvironment: (environmentId) => call<void>("open_environment", { environmentId }),
  onElevationProgress: (cb) => subscribe<ElevationProgress>("elevation-progress", cb),
  inventory: (scope) => call<Inventory>("inventory", { scope }),
  cancelInventory: () => call<void>("cancel_inventory"),
  onInventoryProgress: (cb) => subscribe<InventoryProgress>("inventory-progress", cb),
  inventoryExport: (format) => call<JournalExport | null>("inventory_export", { format }),
  importUsersFile: () => call<UsersFile | null>("import_users_file"),
  planCleanup: (input) => call<CleanupPlan>("plan_cleanup", { input }),
  runCleanup: (planId, confirmCount) => call<CleanupRun>("run_cleanup", { planId, confirmCount }),
  onCleanupProgress: (cb) => subscribe<CleanupProgress>("cleanup-progress", cb),
  cleanupRuns: () => call<CleanupRunSummary[]>("cleanup_runs"),
  resumeCleanup: (runId) => call<CleanupRun>("resume_cleanup", { runId }),
  rollbackCleanup: (runId) => call<CleanupRun>("rollback_cleanup", { runId }),
};

/**
 * Outside Tauri (a plain browser), the dev server or an explicit `?mock` query uses the in-memory
 * fake, so the screens can be looked at without the desktop shell. Inside Tauri, never.
 */
function wantsFake(): boolean {
  if (typeof window === "undefined" || "__TAURI_INTERNALS__" in window) return false;
  if (import.meta.env.MODE === "test") return false;
  if (import.meta.env.DEV) return true;
  return new URLSearchParams(window.location.search).has("mock");
}

const useFake = wantsFake();
let fakePlatform: Promise<Platform> | undefined;
function platform(): Promise<Platform> {
  if (!useFake) return Promise.resolve(tauri);
  fakePlatform ??= import("./fake").then((m) => m.createFakePlatform(window.location.search));
  return fakePlatform;
}

async function via<T>(f: (p: Platform) => Promise<T>): Promise<T> {
  try {
    return await f(await platform());
  } catch (e) {
    throw toApiError(e);
  }
}

/** Name, version and build of the running app. */
export const appInfo = (): Promise<AppInfo> => via((p) => p.appInfo());
/** A newer signed version, when this build updates itself and IT has not turned that off. */
export const checkForUpdate = (): Promise<AvailableUpdate | null> => via((p) => p.checkForUpdate());
/** Downloads, verifies and installs the update found by `checkForUpdate`, then restarts. */
export const installUpdate = (): Promise<void> => via((p) => p.installUpdate());
/** The session on start; restores a saved sign-in silently. */
export const session = (): Promise<SessionState> => via((p) => p.session());
/** Resolves when signed in; may take minutes while the user is in the browser. */
export const signIn = (kind: TenantKind, method: SignInMethod): Promise<SessionState> =>
  via((p) => p.signIn(kind, method));
export const cancelSignIn = (): Promise<void> => via((p) => p.cancelSignIn());
export const signOut = (endBrowserSession?: boolean): Promise<SessionState> =>
  via((p) => p.signOut(endBrowserSession));
export const getSettings = (): Promise<Settings> => via((p) => p.getSettings());
export const saveSettings = (input: SettingsInput): Promise<Settings> =>
  via((p) => p.saveSettings(input));
export const checkConnectivity = (): Promise<ConnectivityReport> => via((p) => p.checkConnectivity());
export const home = (): Promise<HomeSummary> => via((p) => p.home());
/** Rust opens a fixed Microsoft Learn page in the system browser. */
export const openHelp = (topic: HelpTopic): Promise<void> => via((p) => p.openHelp(topic));
/** Activity: journal entries matching the filter, newest first. */
export const journalEntries = (filter: JournalFilter): Promise<JournalPage> => via((p) => p.journalEntries(filter));
/** Activity: is the journal intact, or where was it changed, cut or torn? */
export const journalVerify = (): Promise<JournalHealth> => via((p) => p.journalVerify());
/** Rust asks where to save (native dialog) and writes the export; `null` when cancelled. */
export const journalExport = (format: ExportFormat, filter: JournalFilter): Promise<JournalExport | null> =>
  via((p) => p.journalExport(format, filter));
/** Subscribe to `sign-in-progress`; resolves to the unsubscribe function. */
export const onSignInProgress = (cb: (p: SignInProgress) => void): Promise<() => void> =>
  via((p) => p.onSignInProgress(cb));

/** My roles: eligible, active and requests in one fetch. */
export const myRoles = (): Promise<MyRoles> => via((p) => p.myRoles());
/**
 * Activate one or more roles with one justification and ticket. Resolves with one outcome per
 * role once each is active, waiting for approval or failed: this can take minutes (PIM, or a
 * step-up sign-in in the browser). Follow along with `onActivationProgress`.
 */
export const activateRoles = (input: ActivationInput): Promise<ActivationOutcome[]> =>
  via((p) => p.activateRoles(input));
/** End an activation (PIM refuses during its first 5 minutes). */
export const deactivateRole = (roleId: string): Promise<void> => via((p) => p.deactivateRole(roleId));
export const extendRole = (input: ExtendInput): Promise<ActivationOutcome> => via((p) => p.extendRole(input));
/** Withdraw a request that is waiting for approval. */
export const cancelRequest = (requestId: string): Promise<void> => via((p) => p.cancelRequest(requestId));
/** Presets and recently typed values, kept locally per user. */
export const rolePreferences = (): Promise<RolePreferences> => via((p) => p.rolePreferences());
export const saveRolePreferences = (prefs: RolePreferences): Promise<RolePreferences> =>
  via((p) => p.saveRolePreferences(prefs));
/** Subscribe to `activation-progress`; resolves to the unsubscribe function. */
export const onActivationProgress = (cb: (p: ActivationProgress) => void): Promise<() => void> =>
  via((p) => p.onActivationProgress(cb));
/** Subscribe to `roles-changed`; resolves to the unsubscribe function. */
export const onRolesChanged = (cb: (notice: RoleNotice | null) => void): Promise<() => void> =>
  via((p) => p.onRolesChanged(cb));

/** Environments: every Power Platform environment the admin center lists. */
export const environments = (): Promise<EnvironmentList> => via((p) => p.environments());
/** Membership → System Administrators of one environment. */
export const membership = (environmentId: string): Promise<Membership> => via((p) => p.membership(environmentId));
/** What would stand in the way of "Add me", per environment, in plain words. */
export const preflight = (environmentIds: string[]): Promise<Preflight[]> => via((p) => p.preflight(environmentIds));
/**
 * "Add me" as System Administrator in each environment. Resolves once every environment is done,
 * with one result each; follow along with `onElevationProgress`.
 */
export const addMe = (input: AddMeInput): Promise<Elevation[]> => via((p) => p.addMe(input));
/** Rust opens the environment's URL in the system browser. */
export const openEnvironment = (environmentId: string): Promise<void> => via((p) => p.openEnvironment(environmentId));
/** Subscribe to `elevation-progress`; resolves to the unsubscribe function. */
export const onElevationProgress = (cb: (p: ElevationProgress) => void): Promise<() => void> =>
  via((p) => p.onElevationProgress(cb));

/**
 * System Administrators: who holds the role in each environment of the scope, joined with PIM.
 * Resolves when the run ends (also when cancelled, with `cancelled`); each environment arrives
 * earlier through `onInventoryProgress`.
 */
export const inventory = (scope: InventoryScope): Promise<Inventory> => via((p) => p.inventory(scope));
/** Stops the running inventory: environments not finished end as Cancelled. */
export const cancelInventory = (): Promise<void> => via((p) => p.cancelInventory());
/** Subscribe to `inventory-progress`; resolves to the unsubscribe function. */
export const onInventoryProgress = (cb: (p: InventoryProgress) => void): Promise<() => void> =>
  via((p) => p.onInventoryProgress(cb));
/** Rust asks where to save (native dialog) and writes the last inventory; `null` when cancelled. */
export const inventoryExport = (format: ExportFormat): Promise<JournalExport | null> =>
  via((p) => p.inventoryExport(format));
/** Rust asks for a users file (native dialog) and reads it; `null` when cancelled. */
export const importUsersFile = (): Promise<UsersFile | null> => via((p) => p.importUsersFile());
/** The clean-up's dry run: exactly what would be removed, nothing sent. */
export const planCleanup = (input: CleanupInput): Promise<CleanupPlan> => via((p) => p.planCleanup(input));
/**
 * Removes the plan's assignments, after writing its rollback file. `confirmCount` is the count the
 * admin confirmed. Follow along with `onCleanupProgress`.
 */
export const runCleanup = (planId: string, confirmCount: number): Promise<CleanupRun> =>
  via((p) => p.runCleanup(planId, confirmCount));
/** Subscribe to `cleanup-progress` (removals, resumes and rollbacks); resolves to the unsubscribe function. */
export const onCleanupProgress = (cb: (p: CleanupProgress) => void): Promise<() => void> =>
  via((p) => p.onCleanupProgress(cb));
/** The clean-up runs found in the logs, finished or interrupted. */
export const cleanupRuns = (): Promise<CleanupRunSummary[]> => via((p) => p.cleanupRuns());
/** Finishes an interrupted run; what it removed already is not sent again. */
export const resumeCleanup = (runId: string): Promise<CleanupRun> => via((p) => p.resumeCleanup(runId));
/** Puts back what a run removed, from its rollback file. */
export const rollbackCleanup = (runId: string): Promise<CleanupRun> => via((p) => p.rollbackCleanup(runId));
