// System Administrators test data, shaped as the Rust side sends it. The environments are those
// of environmentsFixtures (Sales, Finance, Retired, Intranet, Default, Teams Hub).
import type { CleanupPlan, CleanupRun, CleanupRunSummary, EnvironmentScan, Holder, Inventory, InventoryProgress, Removal, UsersFile } from "../platform";
import { FINANCE, INTRANET, RETIRED, SALES } from "./environmentsFixtures";

export const DEFAULT_ENV = "Default-8d1c3b2a";
export const TEAMS = "c43c6aca";
export const NOT_ADMIN =
  "You are not System Administrator in this environment, so Dataverse would refuse. Add yourself there first (Environments → Add me), then run the inventory again.";
export const FORBIDDEN =
  "Dataverse shows its System Administrators only to its own users with a role, and you are not one here. Add yourself (Environments → Add me), then retry this environment.";

const NAMES: Record<string, string> = {
  [SALES]: "Sales Production",
  [FINANCE]: "Finance Production",
  [RETIRED]: "Retired CRM",
  [INTRANET]: "Intranet",
  [DEFAULT_ENV]: "Contoso (default)",
  [TEAMS]: "Contoso Teams Hub",
};

export function holder(env: string, name: string, over: Partial<Holder> = {}): Holder {
  const first = name.split(" ")[0];
  return {
    environmentId: env,
    environmentName: NAMES[env] ?? env,
    systemUserId: `su-${first.toLowerCase()}-${env.slice(0, 4)}`,
    roleId: `role-${env.slice(0, 4)}`,
    businessUnit: "contoso",
    fullName: name,
    upn: `${first}@contoso.onmicrosoft.com`,
    isDisabled: false,
    isApplicationUser: false,
    pim: "noRole",
    standing: true,
    ...over,
  };
}

export function scan(env: string, status: EnvironmentScan["status"], over: Partial<EnvironmentScan> = {}): EnvironmentScan {
  const base: EnvironmentScan = { environmentId: env, environmentName: NAMES[env] ?? env, geo: env === FINANCE || env === TEAMS ? "europe" : "unitedstates", status, holders: 0 };
  if (status === "failed") base.error = { code: "forbidden", message: FORBIDDEN, correlationId: "c-forbidden" };
  if (status === "skipped") base.note = env === INTRANET ? "No Dataverse database: no System Administrator role." : "Disabled: its Dataverse does not answer.";
  return { ...base, ...over };
}

export const SALES_HOLDERS: Holder[] = [
  holder(SALES, "Isaiah Langer", { businessUnit: "Inside Sales" }),
  holder(SALES, "Johanna Lorenz", { pim: "justInTime", standing: false }),
  holder(SALES, "Megan Bowen", { pim: "permanent" }),
  holder(SALES, "CoE Sync (app)", { upn: "coe-sync-app@contoso.onmicrosoft.com", isApplicationUser: true, pim: "unknown" }),
];
export const DEFAULT_HOLDERS: Holder[] = [
  holder(DEFAULT_ENV, "Lee Gu", { pim: "eligible", standing: false }),
  holder(DEFAULT_ENV, "Pradeep Gupta", { isDisabled: true }),
];
export const FINANCE_HOLDERS: Holder[] = [holder(FINANCE, "Miriam Graham"), holder(FINANCE, "Patti Fernandez", { pim: "permanent" })];
export const TEAMS_HOLDERS: Holder[] = [holder(TEAMS, "Lynne Robbins", { pim: "eligible", standing: false })];

/** A finished run: Sales and Default read, Finance and Teams failed, Retired and Intranet skipped. */
export function inventoryOf(over: Partial<Inventory> = {}): Inventory {
  const environments = [
    scan(DEFAULT_ENV, "done", { holders: 2 }),
    scan(TEAMS, "failed"),
    scan(FINANCE, "failed"),
    scan(INTRANET, "skipped"),
    scan(RETIRED, "skipped"),
    scan(SALES, "done", { holders: 4 }),
  ];
  return {
    startedAt: "2026-05-01T09:00:00Z",
    finishedAt: "2026-05-01T09:01:00Z",
    environments,
    holders: [...DEFAULT_HOLDERS, ...SALES_HOLDERS],
    cancelled: false,
    ...over,
  };
}

export function progress(done: number, total: number, s: EnvironmentScan, holders: Holder[] = []): InventoryProgress {
  return { done, total, scan: s, holders };
}

/** The retry of Finance and Teams after Add me: both read. */
export function retried(): Inventory {
  return {
    startedAt: "2026-05-01T09:05:00Z",
    finishedAt: "2026-05-01T09:05:20Z",
    environments: [scan(TEAMS, "done", { holders: 1 }), scan(FINANCE, "done", { holders: 2 })],
    holders: [...FINANCE_HOLDERS, ...TEAMS_HOLDERS],
    cancelled: false,
  };
}

export const usersFile = (over: Partial<UsersFile> = {}): UsersFile => ({
  fileName: "standing-admins.csv",
  upns: ["miriam@contoso.onmicrosoft.com", "former.admin@contoso.onmicrosoft.com"],
  problems: [
    { line: 4, text: "Lee Gu", problem: "Not a user principal name: it has no @." },
    { line: 7, text: "john@@contoso.com", problem: "Not a user principal name: more than one @." },
  ],
  ...over,
});

export function removal(h: Holder, over: Partial<Removal> = {}): Removal {
  return {
    environmentId: h.environmentId,
    environmentName: h.environmentName,
    systemUserId: h.systemUserId,
    roleId: h.roleId,
    businessUnit: h.businessUnit,
    fullName: h.fullName,
    upn: h.upn,
    isYou: false,
    lastAdmin: false,
    ...over,
  };
}

export function planOf(over: Partial<CleanupPlan> = {}): CleanupPlan {
  return {
    planId: "plan-1",
    removals: [removal(SALES_HOLDERS[0]), removal(SALES_HOLDERS[2]), removal(DEFAULT_HOLDERS[1], { lastAdmin: true })],
    skipped: [removal(DEFAULT_HOLDERS[0], { skipReason: NOT_ADMIN })],
    unknownUpns: ["former.admin@contoso.onmicrosoft.com"],
    environments: 2,
    ...over,
  };
}

export function runOf(plan: CleanupPlan = planOf(), over: Partial<CleanupRun> = {}): CleanupRun {
  const [a, b, c] = plan.removals;
  return {
    runId: "20260501-091000-ab12",
    logsFolder: "/home/adele/.local/share/elevate/clean-up/20260501-091000-ab12",
    outcomes: [
      { removal: a, result: "removed" },
      { removal: b, result: "removed" },
      { removal: c, result: "failed", error: { code: "forbidden", message: "Dataverse refused: the user holds the role through a team." } },
    ],
    removed: 2,
    failed: 1,
    unknown: 0,
    ...over,
  };
}

/** The runs list's entry for `run`: its removed (and unanswered) rows are what a rollback acts on. */
export function summaryOf(run: CleanupRun, over: Partial<CleanupRunSummary> = {}): CleanupRunSummary {
  const rollbackRows = run.outcomes
    .filter((o) => o.result === "removed" || o.result === "unknown")
    .map((o) => ({ removal: o.removal, result: o.result }));
  return {
    runId: run.runId,
    logsFolder: run.logsFolder,
    startedAt: "2026-05-01T09:10:00Z",
    startedBy: "adele@contoso.onmicrosoft.com",
    planned: run.outcomes.length,
    removed: run.removed,
    failed: run.failed,
    unknown: run.unknown,
    restored: 0,
    finished: true,
    rollbackRows,
    ...over,
  };
}
