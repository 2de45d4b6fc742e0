// The fake platform's clean-up of standing System Administrators: the users file, the dry run,
// the removal with `cleanup-progress`, earlier runs (one interrupted on request), resume and
// rollback. Works on the fake inventory's assignments. Part of the fake chunk; never loaded by the app.
//
//   &fail=import|plan|cleanup   that call fails with an ApiError
//   &importCancel         the open dialog is cancelled
//   &interrupted          an earlier run was interrupted halfway (Resume finishes it)
//   &removeMs=N           time per removal (default 350)
import type { ApiError } from "./bindings/ApiError";
import type { CleanupInput } from "./bindings/CleanupInput";
import type { CleanupPlan } from "./bindings/CleanupPlan";
import type { CleanupProgress } from "./bindings/CleanupProgress";
import type { CleanupRun } from "./bindings/CleanupRun";
import type { CleanupRunSummary } from "./bindings/CleanupRunSummary";
import type { Holder } from "./bindings/Holder";
import type { Removal } from "./bindings/Removal";
import type { RemovalOutcome } from "./bindings/RemovalOutcome";
import type { UsersFile } from "./bindings/UsersFile";
import { ADELE_UPN, createFakeInventory, type Seat } from "./fakeInventory";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOGS = "/home/adele/.local/share/elevate/clean-up";
const ref = (h: { environmentId: string; systemUserId: string; roleId: string }) => `${h.environmentId}|${h.systemUserId}|${h.roleId}`;

type Inv = ReturnType<typeof createFakeInventory>;
type Run = CleanupRunSummary & { outcomes: RemovalOutcome[]; pending: Removal[] };

// Dataverse refuses to remove a role a user holds through a team: the outcome says what to do.
const TEAM_ROLE: ApiError = {
  code: "forbidden",
  message: "Dataverse refused: this user holds System Administrator through the team Fabrikam Contractors. Remove the user from the team instead.",
  correlationId: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
};

export function createFakeCleanup(q: URLSearchParams, signedIn: () => boolean, inv: Inv) {
  const fail = new Set((q.get("fail") ?? "").split(",").filter(Boolean));
  const removeMs = Number(q.get("removeMs") ?? "350");
  const listeners = new Set<(p: CleanupProgress) => void>();
  const plans = new Map<string, CleanupPlan>();
  const runs: Run[] = [];

  const need = (what: string) => {
    if (!signedIn()) throw { code: "notSignedIn", message: "Sign in first." } satisfies ApiError;
    if (fail.has(what)) throw { code: "service", message: `The fake ${what} call failed, as asked by ?fail=${what}. Try again.`, correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8" } satisfies ApiError;
  };
  const removalOf = (h: Holder, over: Partial<Removal> = {}): Removal => ({
    environmentId: h.environmentId,
    environmentName: h.environmentName,
    systemUserId: h.systemUserId,
    roleId: h.roleId,
    businessUnit: h.businessUnit,
    fullName: h.fullName,
    upn: h.upn,
    isYou: h.upn.toLowerCase() === ADELE_UPN,
    lastAdmin: false,
    ...over,
  });
  const stamp = (d: Date) => d.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  const newRun = (removals: Removal[], startedAt = new Date()): Run => {
    const runId = `${stamp(startedAt)}-${Math.random().toString(16).slice(2, 6)}`;
    return {
      runId,
      logsFolder: `${LOGS}/${runId}`,
      startedAt: startedAt.toISOString(),
      startedBy: ADELE_UPN,
      planned: removals.length,
      removed: 0,
      failed: 0,
      unknown: 0,
      restored: 0,
      finished: false,
      rollbackRows: [],
      outcomes: [],
      pending: [...removals],
    };
  };
  const result = (r: Run): CleanupRun => ({ runId: r.runId, logsFolder: r.logsFolder, outcomes: r.outcomes, removed: r.removed, failed: r.failed, unknown: 0 });
  // What a rollback acts on: the rows the run removed (and not yet put back).
  const rollbackRows = (r: Run) =>
    r.outcomes.filter((o) => o.result === "removed" || o.result === "alreadyDone").map((o) => ({ removal: o.removal, result: "removed" as const }));

  // Earlier runs, as the logs folder would have them: yesterday's finished one, and on request
  // one interrupted after two of four removals (those two are gone from the environments).
  function seed(envName: string, seat: Seat): Removal | undefined {
    const env = inv.environmentNamed(envName);
    const h = env ? inv.holderFor(env.id, seat) : undefined;
    return h ? removalOf(h) : undefined;
  }
  const yesterday = [seed("Marketing Trial", { who: "megan" }), seed("HR Sandbox", { who: "patti" })].filter((r): r is Removal => !!r);
  if (yesterday.length) {
    const r = newRun(yesterday, new Date(Date.now() - 26 * 3600_000));
    r.outcomes = yesterday.map((removal) => ({ removal, result: "removed" }));
    r.pending = [];
    r.removed = yesterday.length;
    r.finished = true;
    runs.push(r);
  }
  if (q.has("interrupted")) {
    const planned = [
      seed("Customer Service Canada", { who: "isaiah" }),
      seed("Customer Service Canada", { who: "pradeep" }),
      seed("Contoso (default)", { who: "miriam" }),
      seed("Contoso Teams Hub", { who: "lynne" }),
    ].filter((r): r is Removal => !!r);
    const r = newRun(planned, new Date(Date.now() - 40 * 60_000));
    for (const removal of planned.slice(0, 2)) {
      inv.unseat(removal.environmentId, inv.seatOf(removal)!);
      r.outcomes.push({ removal, result: "removed" });
      r.removed++;
    }
    r.pending = planned.slice(2);
    runs.push(r);
  }

  async function work(r: Run, rows: Removal[], each: (x: Removal) => RemovalOutcome): Promise<void> {
    let done = 0;
    for (const removal of rows) {
      await sleep(removeMs);
      const outcome = each(removal);
      r.outcomes = [...r.outcomes.filter((o) => ref(o.removal) !== ref(removal)), outcome];
      done++;
      listeners.forEach((l) => l({ done, total: rows.length, latest: outcome }));
    }
  }

  function remove(r: Run, removal: Removal): RemovalOutcome {
    r.pending = r.pending.filter((x) => ref(x) !== ref(removal));
    if (removal.upn.startsWith("nestor.wilke")) {
      r.failed++;
      return { removal, result: "failed", error: TEAM_ROLE };
    }
    const seat = inv.seatOf(removal);
    if (seat) inv.unseat(removal.environmentId, seat);
    r.removed++;
    return { removal, result: "removed" };
  }

  return {
    async importUsersFile(): Promise<UsersFile | null> {
      await sleep(250);
      need("import");
      if (q.has("importCancel")) return null;
      return {
        fileName: "standing-admins.csv",
        upns: ["isaiahl@contoso.onmicrosoft.com", "miriamg@contoso.onmicrosoft.com", "pradeepg@contoso.onmicrosoft.com", "lynner@contoso.onmicrosoft.com", "nestor.wilke_fabrikam.com#ext#@contoso.onmicrosoft.com", "former.admin@contoso.onmicrosoft.com", ADELE_UPN],
        problems: [
          { line: 5, text: "Lee Gu", problem: "Not a user principal name: it has no @." },
          { line: 8, text: "MiriamG@contoso.onmicrosoft.com", problem: "Listed twice: line 3 is used." },
          { line: 10, text: "john@@contoso.com", problem: "Not a user principal name: more than one @." },
        ],
      };
    },
    async planCleanup(input: CleanupInput): Promise<CleanupPlan> {
      await sleep(400);
      need("plan");
      const all = inv.holders();
      if (all.length === 0) throw { code: "invalidInput", message: "Run an inventory first: the dry run works from its results." } satisfies ApiError;
      if (input.holders.length === 0 && input.upns.length === 0) throw { code: "invalidInput", message: "Pick holders in the list or import a users file first." } satisfies ApiError;
      const picked = new Set(input.holders.map(ref));
      const upns = new Set(input.upns.map((u) => u.toLowerCase()));
      const removals: Removal[] = [];
      const skipped: Removal[] = [];
      // Removing a role needs System Administrator there (Dataverse's prvAssignRole), as in Rust.
      const adminIn = new Set(all.filter((h) => h.upn === ADELE_UPN).map((h) => h.environmentId));
      for (const h of all) {
        const byHand = picked.has(ref(h));
        if (!byHand && !upns.has(h.upn.toLowerCase())) continue;
        const r = removalOf(h);
        if (r.isYou && !input.includeSelf) skipped.push({ ...r, skipReason: "Your own assignment: tick \"Also remove my own assignments\" to include it." });
        else if (!adminIn.has(h.environmentId))
          skipped.push({ ...r, skipReason: "You are not System Administrator in this environment, so Dataverse would refuse. Add yourself there first (Environments → Add me), then run the inventory again." });
        else removals.push(r);
      }
      // The last enabled person with the role in an environment: the plan says so, Rust still does it.
      const going = new Set(removals.map(ref));
      for (const r of removals) {
        const left = all.some((h) => h.environmentId === r.environmentId && !going.has(ref(h)) && !h.isApplicationUser && !h.isDisabled);
        if (!left) r.lastAdmin = true;
      }
      const seen = new Set(all.map((h) => h.upn.toLowerCase()));
      const plan: CleanupPlan = {
        planId: `plan-${Math.random().toString(16).slice(2, 10)}`,
        removals,
        skipped,
        unknownUpns: [...upns].filter((u) => !seen.has(u)),
        environments: new Set(removals.map((r) => r.environmentId)).size,
      };
      plans.set(plan.planId, plan);
      return plan;
    },
    async runCleanup(planId: string, confirmCount: number): Promise<CleanupRun> {
      need("cleanup");
      const plan = plans.get(planId);
      if (!plan) throw { code: "notFound", message: "This dry run is no longer valid. Run the dry run again." } satisfies ApiError;
      if (confirmCount !== plan.removals.length)
        throw { code: "invalidInput", message: `You confirmed ${confirmCount} removals but the dry run has ${plan.removals.length}. Run the dry run again.` } satisfies ApiError;
      plans.delete(planId);
      const r = newRun(plan.removals);
      runs.unshift(r);
      await work(r, plan.removals, (x) => remove(r, x));
      r.finished = true;
      return result(r);
    },
    async onCleanupProgress(cb: (p: CleanupProgress) => void) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async cleanupRuns(): Promise<CleanupRunSummary[]> {
      await sleep(200);
      need("cleanup");
      return runs
        .map((r) => {
          const { outcomes: _o, pending: _p, ...summary } = r;
          return { ...summary, rollbackRows: rollbackRows(r) };
        })
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
    async resumeCleanup(runId: string): Promise<CleanupRun> {
      need("cleanup");
      const r = runs.find((x) => x.runId === runId);
      if (!r) throw { code: "notFound", message: "This run's logs are gone: nothing to resume." } satisfies ApiError;
      const before = r.outcomes.map((o): RemovalOutcome => (o.result === "removed" ? { ...o, result: "alreadyDone" } : o));
      r.outcomes = before;
      await work(r, [...r.pending], (x) => remove(r, x));
      r.finished = true;
      return result(r);
    },
    async rollbackCleanup(runId: string): Promise<CleanupRun> {
      need("cleanup");
      const r = runs.find((x) => x.runId === runId);
      if (!r) throw { code: "notFound", message: "This run's rollback file is gone: nothing to put back." } satisfies ApiError;
      const back = r.outcomes.filter((o) => o.result === "removed" || o.result === "alreadyDone").map((o) => o.removal);
      if (back.length === 0) throw { code: "invalidInput", message: "This run removed nothing, so there is nothing to put back." } satisfies ApiError;
      await work(r, back, (removal) => {
        const seat = inv.seatOf(removal);
        if (seat) inv.seat(removal.environmentId, seat);
        r.restored++;
        r.removed--;
        return { removal, result: "restored" };
      });
      return result(r);
    },
  };
}
