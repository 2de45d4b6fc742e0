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
import type { Elevation } from "./bindings/Elevation";
import type { ElevationProgress } from "./bindings/ElevationProgress";
import type { EnvironmentList } from "./bindings/EnvironmentList";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { HomeSummary } from "./bindings/HomeSummary";
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
export type { Verdict } from "./bindings/Verdict";

export type HelpTopic = "appRegistration" | "adminConsent";

/** The platform surface, implemented by Tauri IPC here and by an in-memory fake in ./fake. */
export interface Platform {
  appInfo(): Promise<AppInfo>;
  session(): Promise<SessionState>;
  signIn(kind: TenantKind, method: SignInMethod): Promise<SessionState>;
  cancelSignIn(): Promise<void>;
  signOut(): Promise<SessionState>;
  getSettings(): Promise<Settings>;
  saveSettings(input: SettingsInput): Promise<Settings>;
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
  session: () => call<SessionState>("session"),
  signIn: (kind, method) => call<SessionState>("sign_in", { kind, method }),
  cancelSignIn: () => call<void>("cancel_sign_in"),
  signOut: () => call<SessionState>("sign_out"),
  getSettings: () => call<Settings>("get_settings"),
  saveSettings: (input) => call<Settings>("save_settings", { input }),
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
/** The session on start; restores a saved sign-in silently. */
export const session = (): Promise<SessionState> => via((p) => p.session());
/** Resolves when signed in; may take minutes while the user is in the browser. */
export const signIn = (kind: TenantKind, method: SignInMethod): Promise<SessionState> =>
  via((p) => p.signIn(kind, method));
export const cancelSignIn = (): Promise<void> => via((p) => p.cancelSignIn());
export const signOut = (): Promise<SessionState> => via((p) => p.signOut());
export const getSettings = (): Promise<Settings> => via((p) => p.getSettings());
export const saveSettings = (input: SettingsInput): Promise<Settings> =>
  via((p) => p.saveSettings(input));
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
