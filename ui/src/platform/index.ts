// The platform boundary: the ONLY module that imports `@tauri-apps/*`.
// Screens call these typed functions; the IPC types are generated from Rust (./bindings, never
// edited by hand). No function here returns a token: tokens never leave Rust.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { HomeSummary } from "./bindings/HomeSummary";
import type { JournalExport } from "./bindings/JournalExport";
import type { JournalFilter } from "./bindings/JournalFilter";
import type { JournalHealth } from "./bindings/JournalHealth";
import type { JournalPage } from "./bindings/JournalPage";
import type { SessionState } from "./bindings/SessionState";
import type { Settings } from "./bindings/Settings";
import type { SettingsInput } from "./bindings/SettingsInput";
import type { SignInMethod } from "./bindings/SignInMethod";
import type { SignInProgress } from "./bindings/SignInProgress";
import type { TenantKind } from "./bindings/TenantKind";

export type { ApiError } from "./bindings/ApiError";
export type { Account } from "./bindings/Account";
export type { AppInfo } from "./bindings/AppInfo";
export type { Cloud } from "./bindings/Cloud";
export type { DemoTenant } from "./bindings/DemoTenant";
export type { DirectoryRole } from "./bindings/DirectoryRole";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { ExportFormat } from "./bindings/ExportFormat";
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
export type { SessionState } from "./bindings/SessionState";
export type { Settings } from "./bindings/Settings";
export type { SettingsInput } from "./bindings/SettingsInput";
export type { SignInMethod } from "./bindings/SignInMethod";
export type { SignInProgress } from "./bindings/SignInProgress";
export type { StorageStatus } from "./bindings/StorageStatus";
export type { TenantKind } from "./bindings/TenantKind";

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
  onSignInProgress: async (cb) => {
    try {
      return await listen<SignInProgress>("sign-in-progress", (event) => cb(event.payload));
    } catch (e) {
      throw toApiError(e);
    }
  },
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
