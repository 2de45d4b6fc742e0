import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import type { CleanupProgress, CleanupRun, CleanupRunSummary } from "../platform";
import { SALES, elevation, envList, preflightOf } from "./environmentsFixtures";
import { deferred, renderApp, signedIn } from "./helpers";
import { DEFAULT_ENV, DEFAULT_HOLDERS, NOT_ADMIN, SALES_HOLDERS, holder, inventoryOf, planOf, runOf, scan, summaryOf, usersFile } from "./inventoryFixtures";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
// These walk through Fluent dialogs in jsdom: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let emit: (e: CleanupProgress) => void;

beforeEach(() => {
  emit = () => {};
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.environments.mockResolvedValue(envList());
  p.inventory.mockResolvedValue(inventoryOf());
  p.onCleanupProgress.mockImplementation(async (cb) => {
    emit = (e) => act(() => cb(e));
    return () => {
      emit = () => {};
    };
  });
});

const holderRow = (upn: string, env: string) =>
  screen.getAllByTestId("inv-holder-row").find((r) => r.getAttribute("data-upn") === upn && r.getAttribute("data-env-id") === env)!;
const ref = (h: { environmentId: string; systemUserId: string; roleId: string }) => ({ environmentId: h.environmentId, systemUserId: h.systemUserId, roleId: h.roleId });
const [ISAIAH, , MEGAN] = SALES_HOLDERS;

/** The page with an inventory read. */
async function inventoried() {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-inventory"));
  await app.user.click(await screen.findByTestId("inv-run"));
  await waitFor(() => expect(screen.getAllByTestId("inv-holder-row")).toHaveLength(6));
  await waitFor(() => expect(screen.getByTestId("inv-run")).toBeEnabled());
  return app;
}

/** Tick Isaiah and Megan (Sales Production) and run the dry run; resolves with the plan shown. */
async function planned() {
  const app = await inventoried();
  await app.user.click(within(holderRow(ISAIAH.upn, SALES)).getByRole("checkbox"));
  await app.user.click(within(holderRow(MEGAN.upn, SALES)).getByRole("checkbox"));
  p.planCleanup.mockResolvedValue(planOf());
  await app.user.click(screen.getByTestId("inv-dry-run"));
  await screen.findByTestId("cleanup-plan");
  return app;
}

/** …and remove it, confirmed; resolves with the results shown. */
async function removed(run: CleanupRun = runOf()) {
  const app = await planned();
  p.runCleanup.mockResolvedValue(run);
  await app.user.click(screen.getByTestId("cleanup-remove"));
  await app.user.click(await screen.findByTestId("cleanup-confirm"));
  await screen.findByTestId("cleanup-results");
  return app;
}

describe("clean-up: dry run", () => {
  it("sends the ticked holders and the users file's UPNs; lists the file's problems", async () => {
    const { user } = await inventoried();
    expect(screen.getByTestId("inv-dry-run")).toBeDisabled();
    expect(screen.getByTestId("inv-include-self")).not.toBeChecked();
    await user.click(within(holderRow(ISAIAH.upn, SALES)).getByRole("checkbox"));
    // A click anywhere on the row ticks it too.
    await user.click(within(holderRow(MEGAN.upn, SALES)).getByText("Megan Bowen"));
    expect(holderRow(MEGAN.upn, SALES)).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("inv-picked")).toHaveTextContent("2 holders ticked");
    expect(screen.getByTestId("inv-dry-run")).toBeEnabled();

    p.importUsersFile.mockResolvedValue(usersFile());
    await user.click(screen.getByTestId("inv-import"));
    expect(await screen.findByTestId("inv-import-summary")).toHaveTextContent("2 users from standing-admins.csv · 2 rows not used");
    const problems = screen.getAllByTestId("inv-import-problem");
    expect(problems.map((r) => r.textContent)).toEqual([
      "4Lee GuNot a user principal name: it has no @.",
      "7john@@contoso.comNot a user principal name: more than one @.",
    ]);
    expect(screen.getByTestId("inv-picked")).toHaveTextContent("2 holders ticked · 2 users from the file");

    p.planCleanup.mockResolvedValue(planOf());
    await user.click(screen.getByTestId("inv-dry-run"));
    expect(p.planCleanup).toHaveBeenCalledWith({
      holders: [ref(ISAIAH), ref(MEGAN)],
      upns: ["miriam@contoso.onmicrosoft.com", "former.admin@contoso.onmicrosoft.com"],
      includeSelf: false,
    });
    const plan = await screen.findByTestId("cleanup-plan");
    const rows = within(plan).getAllByTestId("cleanup-removal");
    expect(rows.map((r) => [r.getAttribute("data-upn"), r.getAttribute("data-env-id")])).toEqual([
      [ISAIAH.upn, SALES],
      [MEGAN.upn, SALES],
      [DEFAULT_HOLDERS[1].upn, DEFAULT_ENV],
    ]);
    expect(within(rows[2]).getByTestId("cleanup-last-admin")).toHaveTextContent("last System Administrator");
    expect(within(rows[0]).queryByTestId("cleanup-last-admin")).not.toBeInTheDocument();
    expect(within(plan).getByTestId("cleanup-skipped-reason")).toHaveTextContent(NOT_ADMIN);
    expect(within(plan).getByTestId("cleanup-skipped")).toHaveAttribute("data-env-id", DEFAULT_ENV);
    expect(within(plan).getByTestId("cleanup-skipped")).toHaveAttribute("data-reason", NOT_ADMIN);
    expect(within(plan).getByTestId("cleanup-skipped")).toHaveTextContent("Lee Gu");
    expect(within(plan).getAllByTestId("cleanup-unknown").map((r) => r.textContent)).toEqual(["former.admin@contoso.onmicrosoft.com"]);
    expect(screen.getByTestId("cleanup-remove")).toHaveTextContent("Remove 3 assignments…");
    expect(p.runCleanup).not.toHaveBeenCalled();
  });

  it("says when the choices changed since the dry run, and sends includeSelf when ticked", async () => {
    const { user } = await planned();
    expect(screen.getByTestId("cleanup-remove")).toBeEnabled();
    await user.click(screen.getByTestId("inv-include-self"));
    expect(await screen.findByTestId("cleanup-plan-stale")).toBeInTheDocument();
    expect(screen.getByTestId("cleanup-remove")).toBeDisabled();
    await user.click(screen.getByTestId("inv-dry-run"));
    expect(p.planCleanup).toHaveBeenLastCalledWith({ holders: [ref(ISAIAH), ref(MEGAN)], upns: [], includeSelf: true });
    await waitFor(() => expect(screen.queryByTestId("cleanup-plan-stale")).not.toBeInTheDocument());
  });

  it("offers Add me where the dry run left rows alone because you are not System Administrator", async () => {
    const { user } = await planned();
    const bar = screen.getByTestId("cleanup-not-admin");
    expect(bar).toHaveTextContent("You are not System Administrator in 1 environment of this list");
    p.preflight.mockResolvedValue([preflightOf("ready", { environmentId: DEFAULT_ENV, environmentName: "Contoso (default)" })]);
    p.addMe.mockResolvedValue([elevation({ environmentId: DEFAULT_ENV, environmentName: "Contoso (default)" })]);
    p.inventory.mockResolvedValueOnce({
      ...inventoryOf(),
      finishedAt: "2026-05-01T09:10:00Z",
      environments: [scan(DEFAULT_ENV, "done", { holders: 3 })],
      holders: [...DEFAULT_HOLDERS, holder(DEFAULT_ENV, "Adele Vance", { upn: "adele.vance@demo.elevate.test", pim: "justInTime", standing: false })],
    });
    await user.click(within(bar).getByTestId("cleanup-addme"));
    await waitFor(() => expect(p.inventory).toHaveBeenCalledTimes(2));
    expect(p.preflight).toHaveBeenCalledWith([DEFAULT_ENV]);
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [DEFAULT_ENV], tryAnyway: false });
    expect(p.inventory).toHaveBeenLastCalledWith({ kind: "environments", environmentIds: [DEFAULT_ENV], geo: "" });
    // Read again: you are there now, and the plan is from before.
    expect(await screen.findByTestId("inv-addme-done")).toHaveTextContent("You are System Administrator in 1 of 1 environment now.");
    expect(screen.queryByTestId("cleanup-not-admin")).not.toBeInTheDocument();
    expect(screen.getByTestId("cleanup-plan-stale")).toBeInTheDocument();
    expect(screen.getByTestId("cleanup-remove")).toBeDisabled();
  });

  it("keeps the ticks when the dry run fails, and tries again", async () => {
    const { user } = await inventoried();
    await user.click(within(holderRow(ISAIAH.upn, SALES)).getByRole("checkbox"));
    p.planCleanup.mockRejectedValueOnce({ code: "invalidInput", message: "Run an inventory first: the dry run works from its results." });
    await user.click(screen.getByTestId("inv-dry-run"));
    expect(await screen.findByText("Run an inventory first: the dry run works from its results.")).toBeInTheDocument();
    expect(screen.getByTestId("inv-picked")).toHaveTextContent("1 holder ticked");
    p.planCleanup.mockResolvedValueOnce(planOf());
    await user.click(screen.getByTestId("error-retry"));
    expect(await screen.findByTestId("cleanup-plan")).toBeInTheDocument();
    expect(p.planCleanup).toHaveBeenCalledTimes(2);
  });
});

describe("clean-up: removal", () => {
  it("asks first, naming the count; removes only after the confirmation, with progress", async () => {
    const { user } = await planned();
    await user.click(screen.getByTestId("cleanup-remove"));
    const dialog = await screen.findByTestId("cleanup-confirm-dialog");
    expect(within(dialog).getByTestId("cleanup-confirm-text")).toHaveTextContent(
      "Remove 3 System Administrator assignments in 2 environments? The plan is saved (sealed) first, so the run can be rolled back.",
    );
    expect(within(dialog).getByTestId("cleanup-confirm-last-admin")).toHaveTextContent("1 environment will have no enabled person left as System Administrator");
    expect(within(dialog).getByTestId("cleanup-confirm")).toHaveTextContent("Remove 3 assignments");
    expect(p.runCleanup).not.toHaveBeenCalled();
    // Escape closes it, and nothing is sent.
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("cleanup-confirm-dialog")).not.toBeInTheDocument());
    expect(p.runCleanup).not.toHaveBeenCalled();

    const run = deferred<CleanupRun>();
    p.runCleanup.mockReturnValue(run.promise);
    await user.click(screen.getByTestId("cleanup-remove"));
    await user.click(await screen.findByTestId("cleanup-confirm"));
    expect(p.runCleanup).toHaveBeenCalledWith("plan-1", 3);
    expect(await screen.findByTestId("cleanup-progress")).toBeInTheDocument();
    const plan = planOf();
    emit({ done: 1, total: 3, latest: { removal: plan.removals[0], result: "removed" } });
    await waitFor(() => expect(screen.getByTestId("cleanup-progress-text")).toHaveTextContent("Removing: 1 of 3 · Isaiah Langer in Sales Production"));

    run.resolve(runOf());
    const results = await screen.findByTestId("cleanup-results");
    expect(within(results).getAllByTestId("cleanup-outcome").map((r) => r.getAttribute("data-result"))).toEqual(["removed", "removed", "failed"]);
    expect(results).toHaveTextContent("Removed 2 of 3 assignments · 1 failed");
    expect(results).toHaveTextContent("Dataverse refused: the user holds the role through a team.");
    expect(within(results).getByTestId("cleanup-logs-folder")).toHaveTextContent("/home/adele/.local/share/elevate/clean-up/20260501-091000-ab12");
    expect(within(results).getByRole("button", { name: "Copy logs folder path" })).toBeInTheDocument();
    // The plan is used up and its ticks are gone; the earlier runs are read again.
    expect(screen.queryByTestId("cleanup-plan")).not.toBeInTheDocument();
    expect(screen.getByTestId("inv-picked")).toHaveTextContent("Nothing picked yet");
    await waitFor(() => expect(p.cleanupRuns).toHaveBeenCalledTimes(2));

    await user.click(screen.getByTestId("cleanup-rerun"));
    expect(p.inventory).toHaveBeenLastCalledWith({ kind: "all", environmentIds: [], geo: "" });
  });

  it("keeps the plan and the ticks when the removal fails", async () => {
    const { user } = await planned();
    p.runCleanup.mockRejectedValueOnce({ code: "invalidInput", message: "You confirmed 3 removals but the dry run has 4. Run the dry run again." });
    await user.click(screen.getByTestId("cleanup-remove"));
    await user.click(await screen.findByTestId("cleanup-confirm"));
    expect(await screen.findByText("You confirmed 3 removals but the dry run has 4. Run the dry run again.")).toBeInTheDocument();
    expect(screen.getByTestId("cleanup-plan")).toBeInTheDocument();
    expect(screen.getAllByTestId("cleanup-removal")).toHaveLength(3);
    expect(screen.getByTestId("inv-picked")).toHaveTextContent("2 holders ticked");
    // No Try again here: removing again goes through its confirmation.
    expect(screen.queryByTestId("error-retry")).not.toBeInTheDocument();
  });

  it("rolls back only after a confirmation that lists the rows it acts on", async () => {
    const done = runOf();
    // The run's sealed records: one row removed, one whose removal got no answer.
    p.cleanupRuns.mockResolvedValue([
      summaryOf({ ...done, outcomes: [done.outcomes[0], { ...done.outcomes[1], result: "unknown" }, done.outcomes[2]], removed: 1, unknown: 1 }),
    ]);
    const { user } = await removed(done);
    await user.click(screen.getByTestId("cleanup-rollback"));
    const dialog = await screen.findByTestId("cleanup-rollback-confirm");
    expect(dialog).toHaveTextContent("Put back 2 System Administrator assignments?");
    const rows = Array.from(within(dialog).getByTestId("cleanup-rollback-rows").querySelectorAll("li"));
    expect(rows.map((r) => r.getAttribute("data-result"))).toEqual(["removed", "unknown"]);
    expect(rows[0]).toHaveTextContent(`${done.outcomes[0].removal.fullName} (${done.outcomes[0].removal.upn}) in ${done.outcomes[0].removal.environmentName}`);
    expect(rows[1]).toHaveTextContent("no answer when removed");
    expect(dialog).toHaveTextContent("1 removal got no answer. Elevate checks it first");
    expect(p.rollbackCleanup).not.toHaveBeenCalled();
    await user.click(within(dialog).getByTestId("cleanup-rollback-cancel"));
    await waitFor(() => expect(screen.queryByTestId("cleanup-rollback-confirm")).not.toBeInTheDocument());
    expect(p.rollbackCleanup).not.toHaveBeenCalled();

    const run = runOf();
    p.rollbackCleanup.mockResolvedValue({ ...run, outcomes: run.outcomes.slice(0, 2).map((o) => ({ ...o, result: "restored" as const })), removed: 0, failed: 0 });
    await user.click(screen.getByTestId("cleanup-rollback"));
    await user.click(await screen.findByTestId("cleanup-rollback-go"));
    expect(p.rollbackCleanup).toHaveBeenCalledWith("20260501-091000-ab12");
    await waitFor(() => expect(screen.getByTestId("cleanup-results")).toHaveAttribute("data-kind", "rollback"));
    expect(screen.getAllByTestId("cleanup-outcome").map((r) => r.getAttribute("data-result"))).toEqual(["restored", "restored"]);
    expect(screen.getByTestId("cleanup-results")).toHaveTextContent("Put back 2 assignments");
    expect(screen.queryByTestId("cleanup-rollback")).not.toBeInTheDocument();
  });

  it("says plainly when a team keeps System Administrator after the direct role goes", async () => {
    const keeps = "Megan Bowen stays System Administrator here through the team \"Sales admins\": removing the direct role does not remove the team's.";
    const plan = planOf({ removals: planOf().removals.map((r) => (r.fullName === "Megan Bowen" ? { ...r, stillAdmin: keeps } : r)) });
    const app = await inventoried();
    await app.user.click(within(holderRow(MEGAN.upn, SALES)).getByRole("checkbox"));
    p.planCleanup.mockResolvedValue(plan);
    await app.user.click(screen.getByTestId("inv-dry-run"));
    expect(await screen.findByTestId("cleanup-still-admin")).toHaveTextContent(keeps);
    p.runCleanup.mockResolvedValue(runOf(plan));
    await app.user.click(screen.getByTestId("cleanup-remove"));
    await app.user.click(await screen.findByTestId("cleanup-confirm"));
    await screen.findByTestId("cleanup-results");
    expect(screen.getByTestId("cleanup-results-still-admin")).toHaveTextContent(keeps);
  });
});

describe("clean-up: earlier runs", () => {
  const interrupted: CleanupRunSummary = {
    runId: "20260430-170000-aa11",
    logsFolder: "/home/adele/.local/share/elevate/clean-up/20260430-170000-aa11",
    startedAt: "2026-04-30T17:00:00Z",
    startedBy: "adele@contoso.onmicrosoft.com",
    planned: 4,
    removed: 2,
    failed: 0,
    unknown: 0,
    restored: 0,
    finished: false,
    rollbackRows: planOf().removals.slice(0, 2).map((removal) => ({ removal, result: "removed" as const })),
  };
  const finished: CleanupRunSummary = { ...interrupted, runId: "20260429-090000-bb22", startedAt: "2026-04-29T09:00:00Z", planned: 2, finished: true };
  const changed: CleanupRunSummary = {
    ...finished,
    runId: "20260428-090000-cc33",
    startedAt: "2026-04-28T09:00:00Z",
    rollbackRows: [],
    problem: "Elevate will not resume or roll back this run: its plan file was changed, or was not written by Elevate on this computer.",
  };

  it("a run whose files were changed offers neither resume nor rollback, and says why", async () => {
    p.cleanupRuns.mockResolvedValue([{ ...changed, finished: false }]);
    const app = renderApp();
    await app.user.click(await screen.findByTestId("nav-inventory"));
    const run = await screen.findByTestId("cleanup-run");
    expect(within(run).getByTestId("cleanup-run-problem")).toHaveTextContent("its plan file was changed");
    expect(within(run).queryByTestId("cleanup-resume")).not.toBeInTheDocument();
    expect(within(run).queryByTestId("cleanup-run-rollback")).not.toBeInTheDocument();
  });

  it("resumes an interrupted run and rolls back a finished one (after a confirmation)", async () => {
    p.cleanupRuns.mockResolvedValue([interrupted, finished]);
    const app = renderApp();
    await app.user.click(await screen.findByTestId("nav-inventory"));
    // An interrupted run opens the section by itself.
    const runs = await screen.findAllByTestId("cleanup-run");
    expect(runs.map((r) => [r.getAttribute("data-run-id"), r.getAttribute("data-finished")])).toEqual([
      [interrupted.runId, "false"],
      [finished.runId, "true"],
    ]);
    expect(runs[0]).toHaveTextContent("4 planned · 2 removed · 0 failed");
    expect(within(runs[1]).queryByTestId("cleanup-resume")).not.toBeInTheDocument();

    p.resumeCleanup.mockResolvedValue(runOf(planOf(), { runId: interrupted.runId }));
    await app.user.click(within(runs[0]).getByTestId("cleanup-resume"));
    expect(p.resumeCleanup).toHaveBeenCalledWith(interrupted.runId);
    await waitFor(() => expect(screen.getByTestId("cleanup-results")).toHaveAttribute("data-kind", "resume"));

    await app.user.click(within(screen.getAllByTestId("cleanup-run")[1]).getByTestId("cleanup-run-rollback"));
    expect(await screen.findByTestId("cleanup-rollback-confirm")).toHaveTextContent("Put back 2 System Administrator assignments");
    expect(p.rollbackCleanup).not.toHaveBeenCalled();
    p.rollbackCleanup.mockResolvedValue(runOf(planOf(), { runId: finished.runId }));
    await app.user.click(screen.getByTestId("cleanup-rollback-go"));
    expect(p.rollbackCleanup).toHaveBeenCalledWith(finished.runId);
  });
});
