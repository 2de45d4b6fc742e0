// The boundary itself: command names, argument shapes, and error normalisation. Tauri's invoke is
// replaced by a vi.fn: no IPC happens.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: (...a: unknown[]) => listen(...a) }));

const platform = await import("../platform");

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
});

describe("platform boundary", () => {
  it("calls the Rust commands with the documented arguments", async () => {
    invoke.mockResolvedValue({});
    await platform.session();
    await platform.signIn("demo", "browser");
    await platform.cancelSignIn();
    await platform.saveSettings({ tenantId: "t", clientId: "c", cloud: "china", proxyUrl: "" });
    await platform.openHelp("adminConsent");
    await platform.home();
    await platform.signOut();
    await platform.signOut(true);
    await platform.getSettings();
    await platform.appInfo();
    expect(invoke.mock.calls).toEqual([
      ["session", undefined],
      ["sign_in", { kind: "demo", method: "browser" }],
      ["cancel_sign_in", undefined],
      ["save_settings", { input: { tenantId: "t", clientId: "c", cloud: "china", proxyUrl: "" } }],
      ["open_help", { topic: "adminConsent" }],
      ["home", undefined],
      ["sign_out", undefined],
      ["sign_out", { endBrowserSession: true }],
      ["get_settings", undefined],
      ["app_info", undefined],
    ]);
  });

  it("calls the journal commands with the filter; an export cancelled in the dialog is null", async () => {
    invoke.mockResolvedValueOnce({ rows: [], matching: 0, total: 0, environments: [], roles: [] });
    invoke.mockResolvedValueOnce({ status: "intact" });
    invoke.mockResolvedValueOnce(null);
    await platform.journalEntries({ action: "signIn", text: "adele" });
    await platform.journalVerify();
    await expect(platform.journalExport("csv", { outcome: "failed" })).resolves.toBeNull();
    expect(invoke.mock.calls).toEqual([
      ["journal_entries", { filter: { action: "signIn", text: "adele" } }],
      ["journal_verify", undefined],
      ["journal_export", { format: "csv", filter: { outcome: "failed" } }],
    ]);
  });

  it("passes an ApiError through unchanged", async () => {
    const err = { code: "throttled", message: "Too many requests. Wait a minute.", correlationId: "x-1", detail: "429" };
    invoke.mockRejectedValue(err);
    await expect(platform.home()).rejects.toEqual(err);
  });

  it.each([
    ["a plain string", "boom", "boom"],
    ["an Error", new Error("bad"), "bad"],
    ["an unknown code", { code: "weird", message: "m" }, "[object Object]"],
    ["undefined", undefined, "undefined"],
  ])("normalises %s into an internal ApiError", async (_, thrown, message) => {
    invoke.mockRejectedValue(thrown);
    await expect(platform.session()).rejects.toEqual({ code: "internal", message });
  });

  it("subscribes to sign-in-progress and hands back the payload and the unsubscribe", async () => {
    const unlisten = vi.fn();
    listen.mockImplementation(async (_name: string, handler: (e: { payload: unknown }) => void) => {
      handler({ payload: { stage: "finishing" } });
      return unlisten;
    });
    const seen: unknown[] = [];
    const off = await platform.onSignInProgress((p) => seen.push(p));
    expect(listen.mock.calls[0][0]).toBe("sign-in-progress");
    expect(seen).toEqual([{ stage: "finishing" }]);
    off();
    expect(unlisten).toHaveBeenCalled();
  });
});

describe("my roles at the boundary", () => {
  it("calls the role commands with the documented arguments", async () => {
    invoke.mockResolvedValue({});
    const input = { roleIds: ["r1", "r2"], durationMinutes: 90, justification: "j", ticketNumber: "t", ticketSystem: "s" };
    const extend = { roleId: "r1", durationMinutes: 60, justification: "", ticketNumber: "", ticketSystem: "" };
    const prefs = { presets: [], recentJustifications: [], recentTickets: [], recentTicketSystems: [], expiryWarningMinutes: 10 };
    await platform.myRoles();
    await platform.activateRoles(input);
    await platform.deactivateRole("r1");
    await platform.extendRole(extend);
    await platform.cancelRequest("req-1");
    await platform.rolePreferences();
    await platform.saveRolePreferences(prefs);
    expect(invoke.mock.calls).toEqual([
      ["my_roles", undefined],
      ["activate_roles", { input }],
      ["deactivate_role", { roleId: "r1" }],
      ["extend_role", { input: extend }],
      ["cancel_request", { requestId: "req-1" }],
      ["role_preferences", undefined],
      ["save_role_preferences", { prefs }],
    ]);
  });

  it("subscribes to activation-progress and roles-changed (a null notice stays null)", async () => {
    const handlers: Record<string, (e: { payload: unknown }) => void> = {};
    listen.mockImplementation(async (name: string, handler: (e: { payload: unknown }) => void) => {
      handlers[name] = handler;
      return () => {};
    });
    const progress: unknown[] = [];
    const notices: unknown[] = [];
    await platform.onActivationProgress((p) => progress.push(p));
    await platform.onRolesChanged((n) => notices.push(n));
    handlers["activation-progress"]({ payload: { roleId: "r1", roleName: "R", stage: "activating" } });
    handlers["roles-changed"]({ payload: null });
    handlers["roles-changed"]({ payload: { title: "Approved", body: "b" } });
    expect(progress).toEqual([{ roleId: "r1", roleName: "R", stage: "activating" }]);
    expect(notices).toEqual([null, { title: "Approved", body: "b" }]);
  });

  it("hands back an activation refused as an ApiError", async () => {
    invoke.mockRejectedValue({ code: "invalidInput", message: "Enter a justification." });
    await expect(platform.activateRoles({ roleIds: ["r"], durationMinutes: 60, justification: "", ticketNumber: "", ticketSystem: "" })).rejects.toEqual({
      code: "invalidInput",
      message: "Enter a justification.",
    });
  });
});

describe("environments at the boundary", () => {
  it("calls the environment commands with the documented arguments", async () => {
    invoke.mockResolvedValue({});
    await platform.environments();
    await platform.environmentMembership("env-1");
    await platform.preflight(["env-1", "env-2"]);
    await platform.addMe({ environmentIds: ["env-1"], tryAnyway: true });
    await platform.openEnvironment("env-1");
    expect(invoke.mock.calls).toEqual([
      ["environments", undefined],
      ["environment_membership", { environmentId: "env-1" }],
      ["preflight", { environmentIds: ["env-1", "env-2"] }],
      ["add_me", { input: { environmentIds: ["env-1"], tryAnyway: true } }],
      ["open_environment", { environmentId: "env-1" }],
    ]);
  });

  it("subscribes to elevation-progress", async () => {
    const handlers: Record<string, (e: { payload: unknown }) => void> = {};
    listen.mockImplementation(async (name: string, handler: (e: { payload: unknown }) => void) => {
      handlers[name] = handler;
      return () => {};
    });
    const seen: unknown[] = [];
    await platform.onElevationProgress((p) => seen.push(p));
    const payload = { done: 1, total: 2, latest: { environmentId: "e", environmentName: "E", result: "elevated", message: "m" } };
    handlers["elevation-progress"]({ payload });
    expect(seen).toEqual([payload]);
  });
});

describe("system administrators at the boundary", () => {
  it("calls the inventory and clean-up commands with the documented arguments", async () => {
    invoke.mockResolvedValue({});
    const scope = { kind: "environments" as const, environmentIds: ["env-1"], geo: "" };
    const input = { holders: [{ environmentId: "env-1", systemUserId: "u-1", roleId: "r-1" }], upns: ["a@b.c"], includeSelf: false };
    await platform.inventory(scope);
    await platform.cancelInventory();
    await platform.inventoryExport("json");
    await platform.importUsersFile();
    await platform.planCleanup(input);
    await platform.runCleanup("plan-1", 12);
    await platform.cleanupRuns();
    await platform.resumeCleanup("run-1");
    await platform.rollbackCleanup("run-1");
    expect(invoke.mock.calls).toEqual([
      ["inventory", { scope }],
      ["cancel_inventory", undefined],
      ["inventory_export", { format: "json" }],
      ["import_users_file", undefined],
      ["plan_cleanup", { input }],
      ["run_cleanup", { planId: "plan-1", confirmCount: 12 }],
      ["cleanup_runs", undefined],
      ["resume_cleanup", { runId: "run-1" }],
      ["rollback_cleanup", { runId: "run-1" }],
    ]);
  });

  it("hands back null when a dialog is cancelled", async () => {
    invoke.mockResolvedValue(null);
    await expect(platform.inventoryExport("csv")).resolves.toBeNull();
    await expect(platform.importUsersFile()).resolves.toBeNull();
  });

  it("subscribes to inventory-progress and cleanup-progress", async () => {
    const handlers: Record<string, (e: { payload: unknown }) => void> = {};
    listen.mockImplementation(async (name: string, handler: (e: { payload: unknown }) => void) => {
      handlers[name] = handler;
      return () => {};
    });
    const inv: unknown[] = [];
    const clean: unknown[] = [];
    await platform.onInventoryProgress((p) => inv.push(p));
    await platform.onCleanupProgress((p) => clean.push(p));
    const a = { done: 1, total: 9, scan: { environmentId: "e", environmentName: "E", geo: "europe", status: "done", holders: 0 }, holders: [] };
    const b = { done: 1, total: 2, latest: { removal: {}, result: "removed" } };
    handlers["inventory-progress"]({ payload: a });
    handlers["cleanup-progress"]({ payload: b });
    expect(inv).toEqual([a]);
    expect(clean).toEqual([b]);
  });
});

describe("the boundary rule", () => {
  it("only src/platform/tauri.ts imports @tauri-apps", () => {
    const sources = import.meta.glob(["/src/**/*.{ts,tsx}", "!/src/tests/**"], {
      query: "?raw",
      import: "default",
      eager: true,
    }) as Record<string, string>;
    const importers = Object.entries(sources)
      .filter(([, text]) => /from\s+["']@tauri-apps\/|import\(\s*["']@tauri-apps\//.test(text))
      .map(([path]) => path);
    expect(Object.keys(sources).length).toBeGreaterThan(5);
    expect(importers).toEqual(["/src/platform/tauri.ts"]);
  });
});

describe("the one surface", () => {
  it("exports one function per declared command and event, and nothing undeclared", async () => {
    const camel = (s: string) => s.replace(/[_-](\w)/g, (_, c: string) => c.toUpperCase());
    const expected = [
      ...platform.COMMAND_NAMES.map(camel),
      ...platform.EVENT_NAMES.map((e) => `on${camel(e).replace(/^\w/, (c) => c.toUpperCase())}`),
    ];
    expect([...platform.FUNCTION_NAMES].sort()).toEqual(expected.sort());
    for (const name of platform.FUNCTION_NAMES) {
      expect(typeof (platform as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("the test mock has a vi.fn for exactly the declared functions", async () => {
    const { platformMock } = await import("./mockPlatform");
    const mock: Record<string, unknown> = await platformMock(async () => platform);
    for (const name of platform.FUNCTION_NAMES) {
      expect(vi.isMockFunction(mock[name]), name).toBe(true);
    }
    const extra = Object.keys(mock).filter(
      (k) => vi.isMockFunction(mock[k]) && !(platform.FUNCTION_NAMES as readonly string[]).includes(k) && k !== "call" && k !== "subscribe",
    );
    expect(extra).toEqual([]);
  });

  it("`call` sends the declared name and leaves out arguments not given", async () => {
    invoke.mockResolvedValue({ eligible: [] });
    await expect(platform.call("my_roles")).resolves.toEqual({ eligible: [] });
    await platform.call("sign_out", { endBrowserSession: undefined });
    expect(invoke.mock.calls).toEqual([
      ["my_roles", undefined],
      ["sign_out", undefined],
    ]);
  });
});
