import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { endsWords } from "../lib/environments";
import { hhmm } from "../lib/roles";
import * as platform from "../platform";
import type { ActivationOutcome, ActivationProgress, Elevation, ElevationProgress } from "../platform";
import { FINANCE, INTRANET, RETIRED, SALES, elevation, envList, membershipOf, preflightOf } from "./environmentsFixtures";
import { deferred, renderApp, signedIn } from "./helpers";
import { PPA, myRolesData, prefs } from "./rolesFixtures";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
// These walk through Fluent dialogs in jsdom: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let emit: (e: ElevationProgress) => void;

beforeEach(() => {
  emit = () => {};
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.environments.mockResolvedValue(envList());
  p.environmentMembership.mockResolvedValue(membershipOf());
  p.myRoles.mockResolvedValue(myRolesData());
  p.rolePreferences.mockResolvedValue(prefs());
  p.onElevationProgress.mockImplementation(async (cb) => {
    emit = (e) => act(() => cb(e));
    return () => {
      emit = () => {};
    };
  });
});

const rowNamed = (name: string) => screen.getAllByTestId("env-row").find((r) => r.getAttribute("data-env-name") === name)!;

/** Environments → select these rows → Add me; resolves once the preflight is shown. */
async function addMeFor(...names: string[]) {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-environments"));
  await screen.findAllByTestId("env-row");
  await app.user.click(within(rowNamed(names[0])).getByText(names[0]));
  for (const n of names.slice(1)) await app.user.click(within(rowNamed(n)).getByRole("checkbox"));
  await app.user.click(screen.getByTestId("env-add-me"));
  const dialog = await screen.findByTestId("addme-dialog");
  await waitFor(() => expect(screen.queryByTestId("addme-checking")).not.toBeInTheDocument());
  return { ...app, dialog: within(dialog) };
}

const buttons = () => ({
  confirm: screen.queryByTestId("addme-confirm"),
  activate: screen.queryByTestId("addme-activate-continue"),
  tryAnyway: screen.queryByTestId("addme-try-anyway"),
});

describe("add me: one environment", () => {
  it("shows the checklist and, when ready, Add me; the results say until when", async () => {
    p.preflight.mockResolvedValue([preflightOf("ready")]);
    p.addMe.mockResolvedValue([elevation()]);
    const { user, dialog } = await addMeFor("Sales Production");
    expect(p.preflight).toHaveBeenCalledWith([SALES]);
    expect(dialog.getByText("Add me to Sales Production")).toBeInTheDocument();
    const lines = dialog.getAllByTestId("preflight-check");
    expect(lines.map((l) => [l.getAttribute("data-kind"), l.getAttribute("data-status")])).toEqual([
      ["exists", "pass"],
      ["adminRole", "pass"],
      ["roleActive", "pass"],
      ["inToken", "warn"],
      ["environmentEnabled", "pass"],
      ["alreadyAdmin", "pass"],
    ]);
    expect(within(lines[3]).getByTestId("preflight-fix")).toHaveTextContent("How to fix: Wait a minute.");
    const verdict = dialog.getByTestId("preflight-verdict");
    expect(verdict).toHaveAttribute("data-verdict", "ready");
    expect(verdict).toHaveTextContent(`${endsWords("2026-05-01T14:05:00Z")}, through Power Platform Administrator`);
    const b = buttons();
    expect(b.confirm).toHaveTextContent("Add me");
    expect(b.activate).toBeNull();
    expect(b.tryAnyway).toBeNull();

    // The status region is there before the end, empty, so its text is heard when it changes.
    expect(screen.getByTestId("addme-announcement")).toBeEmptyDOMElement();
    await user.click(b.confirm!);
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [SALES], tryAnyway: false });
    const results = await screen.findByTestId("addme-results");
    expect(within(results).getByTestId("addme-success")).toHaveTextContent("You are System Administrator in Sales Production");
    expect(screen.getByTestId("addme-announcement")).toHaveTextContent("You are System Administrator in Sales Production");
    const row = within(results).getByTestId("elevation-row");
    expect(row).toHaveAttribute("data-result", "elevated");
    // "until 14:05" on the day itself; with the date on any other (endsWords is tested on its own).
    expect(within(row).getByTestId("elevation-ends")).toHaveTextContent(endsWords("2026-05-01T14:05:00Z"));
    expect(within(row).getByTestId("elevation-ends")).toHaveTextContent(`${hhmm("2026-05-01T14:05:00Z")}`);
    expect(within(row).getByTestId("elevation-correlation-id")).toHaveTextContent("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
    expect(within(row).getByRole("button", { name: "Copy correlation ID" })).toBeInTheDocument();
    await user.click(screen.getByTestId("addme-done"));
    await waitFor(() => expect(screen.queryByTestId("addme-dialog")).not.toBeInTheDocument());
  });

  it("sends nothing when already System Administrator", async () => {
    p.preflight.mockResolvedValue([preflightOf("alreadyAdmin", { environmentId: FINANCE, environmentName: "Finance Production" })]);
    const { user, dialog } = await addMeFor("Finance Production");
    expect(dialog.getByTestId("preflight-verdict")).toHaveAttribute("data-verdict", "alreadyAdmin");
    expect(dialog.getByTestId("preflight-verdict")).toHaveTextContent(
      "You already are System Administrator here. Microsoft's API would answer success anyway, so Elevate sends nothing.",
    );
    expect(buttons()).toEqual({ confirm: null, activate: null, tryAnyway: null });
    await user.click(screen.getByTestId("addme-cancel"));
    expect(p.addMe).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId("addme-dialog")).not.toBeInTheDocument());
  });

  it("puts the activation form under the preflight, with what needs attention first", async () => {
    p.preflight.mockResolvedValue([preflightOf("needsActivation")]);
    const { user, dialog } = await addMeFor("Sales Production");
    expect(dialog.getByTestId("preflight-verdict")).toHaveAttribute("data-verdict", "needsActivation");
    await waitFor(() => expect(buttons().activate).toBeEnabled());
    // Ready to type: four clicks plus a justification.
    expect(dialog.getByTestId("activate-justification")).toHaveFocus();
    // Only the lines that need attention until asked for all of them.
    const lines = () => dialog.getAllByTestId("preflight-check").map((l) => [l.getAttribute("data-kind"), l.getAttribute("data-status")]);
    expect(lines()).toEqual([
      ["roleActive", "fail"],
      ["inToken", "warn"],
    ]);
    await user.click(dialog.getByTestId("preflight-show-all"));
    expect(lines()).toHaveLength(6);
    expect(dialog.getByTestId("preflight-show-all")).toHaveAttribute("aria-expanded", "true");

    // My roles' form, built from the role's policy: ticket required, up to 8 hours.
    expect(dialog.getByText("Activate Power Platform Administrator")).toBeInTheDocument();
    expect(dialog.getByTestId("activate-duration")).toHaveValue("60");
    expect(dialog.getByTestId("activate-requirements")).toBeInTheDocument();
    expect(dialog.getByTestId("activate-ticket-system")).toBeInTheDocument();
    expect(dialog.getByTestId("activate-ticket-number")).toBeRequired();
    const b = buttons();
    expect(b.activate).toHaveTextContent("Activate Power Platform Administrator and add me");
    expect(b.confirm).toBeNull();
    expect(b.tryAnyway).toBeNull();
    expect(screen.queryByTestId("activate-dialog")).not.toBeInTheDocument();
  });

  it("asks before Try anyway, and only then sends with tryAnyway", async () => {
    p.preflight.mockResolvedValue([preflightOf("blocked", { environmentId: RETIRED, environmentName: "Retired CRM" })]);
    const err = { code: "forbidden" as const, message: "Power Platform refused: the environment is disabled.", correlationId: "c-9" };
    p.addMe.mockResolvedValue([elevation({ environmentId: RETIRED, environmentName: "Retired CRM", result: "refused", message: "Not added.", correlationId: undefined, endsAt: undefined, error: err })]);
    const { user, dialog } = await addMeFor("Retired CRM");
    expect(dialog.getByTestId("preflight-verdict")).toHaveAttribute("data-verdict", "blocked");
    const failing = dialog.getAllByTestId("preflight-check").filter((l) => l.getAttribute("data-status") === "fail");
    expect(failing.map((l) => l.getAttribute("data-kind"))).toEqual(["environmentEnabled"]);
    expect(buttons().confirm).toBeNull();

    await user.click(buttons().tryAnyway!);
    expect(screen.getByTestId("addme-try-anyway-prompt")).toHaveTextContent("The preflight says Power Platform will refuse this. Send the request anyway?");
    expect(p.addMe).not.toHaveBeenCalled();
    // Cancel goes back without sending.
    await user.click(screen.getByTestId("addme-try-anyway-cancel"));
    expect(screen.queryByTestId("addme-try-anyway-prompt")).not.toBeInTheDocument();
    expect(p.addMe).not.toHaveBeenCalled();

    await user.click(buttons().tryAnyway!);
    await user.click(screen.getByTestId("addme-try-anyway-confirm"));
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [RETIRED], tryAnyway: true });
    const row = await screen.findByTestId("elevation-row");
    expect(row).toHaveAttribute("data-result", "refused");
    expect(within(row).getByTestId("elevation-error")).toHaveTextContent("Power Platform refused: the environment is disabled.");
    expect(within(row).getByTestId("elevation-correlation-id")).toHaveTextContent("c-9");
    expect(within(row).queryByTestId("elevation-ends")).not.toBeInTheDocument();
    expect(screen.queryByTestId("addme-success")).not.toBeInTheDocument();
  });

  it("keeps the dialog open with the error when Add me itself fails, and tries again", async () => {
    p.preflight.mockResolvedValue([preflightOf("ready")]);
    p.addMe.mockRejectedValueOnce({ code: "network", message: "Elevate could not reach Power Platform. Check the connection.", correlationId: "n-1" });
    p.addMe.mockResolvedValueOnce([elevation({ endsAt: undefined })]);
    const { user } = await addMeFor("Sales Production");
    await user.click(buttons().confirm!);
    const bar = await screen.findByTestId("error-bar");
    expect(bar).toHaveTextContent("Elevate could not reach Power Platform. Check the connection.");
    expect(screen.getByTestId("addme-dialog")).toBeInTheDocument();
    await user.click(within(bar).getByTestId("error-retry"));
    const row = await screen.findByTestId("elevation-row");
    expect(within(row).getByTestId("elevation-ends")).toHaveTextContent("no end — your admin role is permanent");
    expect(p.addMe).toHaveBeenCalledTimes(2);
  });
});

describe("add me: the guided path", () => {
  type User = Awaited<ReturnType<typeof addMeFor>>["user"];
  /** Type the justification and the ticket into the form under the preflight, then the one button. */
  async function activateAndAdd(user: User, justification = "Fix the Sales security roles", ticket = "INC0042") {
    await waitFor(() => expect(buttons().activate).toBeEnabled());
    if (justification) {
      await user.click(screen.getByTestId("activate-justification"));
      await user.paste(justification);
    }
    await user.click(screen.getByTestId("activate-ticket-number"));
    await user.paste(ticket);
    await user.click(buttons().activate!);
  }
  const active = { roleId: PPA, roleName: "Power Platform Administrator", result: "active" as const, inToken: true, expiresAt: "2026-05-01T14:05:00Z" };

  it("activates the role with what was typed, checks again and adds me, in one go", async () => {
    p.preflight.mockResolvedValueOnce([preflightOf("needsActivation")]).mockResolvedValueOnce([preflightOf("ready")]);
    const call = deferred<ActivationOutcome[]>();
    p.activateRoles.mockReturnValue(call.promise);
    let progress: (e: ActivationProgress) => void = () => {};
    p.onActivationProgress.mockImplementation(async (cb) => {
      progress = (e) => act(() => cb(e));
      return () => {};
    });
    p.addMe.mockResolvedValue([elevation()]);
    const { user, dialog } = await addMeFor("Sales Production");
    await waitFor(() => expect(p.myRoles).toHaveBeenCalledTimes(1));
    await activateAndAdd(user);

    expect(p.activateRoles).toHaveBeenCalledWith({
      roleIds: [PPA],
      durationMinutes: 60,
      justification: "Fix the Sales security roles",
      ticketNumber: "INC0042",
      ticketSystem: "",
    });
    // The stepper in the same dialog, fed by activation-progress; nothing closes it meanwhile.
    const stepper = await dialog.findByTestId("activation-stepper");
    expect(screen.getByTestId("addme-activating")).toBeInTheDocument();
    expect(screen.queryByTestId("activate-dialog")).not.toBeInTheDocument();
    progress({ roleId: PPA, roleName: "Power Platform Administrator", stage: "submitting", message: "Sending the request to PIM" });
    expect(within(stepper).getByTestId("stage-message")).toHaveTextContent("Sending the request to PIM");
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("addme-dialog")).toBeInTheDocument();
    expect(p.preflight).toHaveBeenCalledTimes(1);

    await act(async () => call.resolve([active]));
    await screen.findByTestId("addme-results");
    expect(p.preflight).toHaveBeenCalledTimes(2);
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [SALES], tryAnyway: false });
    const order = [p.preflight.mock.invocationCallOrder[0], p.activateRoles.mock.invocationCallOrder[0], p.preflight.mock.invocationCallOrder[1], p.addMe.mock.invocationCallOrder[0]];
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(screen.getByTestId("addme-success")).toHaveTextContent("You are System Administrator in Sales Production");
    expect(within(screen.getByTestId("addme-results")).getByTestId("elevation-row")).toHaveAttribute("data-result", "elevated");
    // My roles and Home learn about the activation.
    await waitFor(() => expect(p.myRoles).toHaveBeenCalledTimes(2));
  });

  it("refuses before sending anything when the justification is empty, and keeps what was typed", async () => {
    p.preflight.mockResolvedValue([preflightOf("needsActivation")]);
    const { user, dialog } = await addMeFor("Sales Production");
    await activateAndAdd(user, "", "INC0042");
    expect(await dialog.findByText("Say what you will do with the role: your organization requires a justification (for example: Reset password, MFA reset, login error investigation).")).toBeInTheDocument();
    expect(dialog.getByTestId("activate-justification")).toHaveFocus();
    expect(dialog.getByTestId("activate-ticket-number")).toHaveValue("INC0042");
    expect(p.activateRoles).not.toHaveBeenCalled();
    expect(p.addMe).not.toHaveBeenCalled();
    expect(p.preflight).toHaveBeenCalledTimes(1);
    expect(buttons().activate).toBeInTheDocument();
  });

  it("checks again when the role is active but not yet in the sign-in", async () => {
    p.preflight
      .mockResolvedValueOnce([preflightOf("needsActivation")])
      .mockResolvedValueOnce([preflightOf("needsActivation")])
      .mockResolvedValueOnce([preflightOf("ready")]);
    p.activateRoles.mockResolvedValue([{ ...active, inToken: false }]);
    p.addMe.mockResolvedValue([elevation()]);
    const { user } = await addMeFor("Sales Production");
    await activateAndAdd(user);
    expect(await screen.findByTestId("addme-note")).toHaveTextContent(
      "The role is active, but Power Platform does not see it yet. Wait a minute, then check again.",
    );
    expect(p.preflight).toHaveBeenCalledTimes(2);
    expect(p.addMe).not.toHaveBeenCalled();
    // The role is active: no form again, Check again instead.
    expect(buttons().activate).toBeNull();
    expect(screen.queryByTestId("activate-justification")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("addme-recheck"));
    await screen.findByTestId("addme-success");
    expect(p.activateRoles).toHaveBeenCalledTimes(1);
    expect(p.preflight).toHaveBeenCalledTimes(3);
  });

  it("waits for an approval instead of adding", async () => {
    p.preflight.mockResolvedValue([preflightOf("needsActivation")]);
    p.activateRoles.mockResolvedValue([{ roleId: PPA, roleName: "Power Platform Administrator", result: "pending", requestId: "r-1", inToken: false }]);
    const { user, dialog } = await addMeFor("Sales Production");
    await activateAndAdd(user);
    expect(await screen.findByTestId("addme-note")).toHaveTextContent(
      "Waiting for approval — Elevate will tell you when it is decided; then click Add me again.",
    );
    expect(dialog.getByTestId("activation-result")).toHaveAttribute("data-result", "pending");
    expect(buttons().activate).toBeNull();
    expect(p.preflight).toHaveBeenCalledTimes(1);
    expect(p.addMe).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("addme-cancel"));
    await waitFor(() => expect(screen.queryByTestId("addme-dialog")).not.toBeInTheDocument());
  });

  it("keeps the form, what was typed and PIM's reason when PIM refuses", async () => {
    p.preflight.mockResolvedValue([preflightOf("needsActivation")]);
    p.activateRoles.mockResolvedValueOnce([
      { roleId: PPA, roleName: "Power Platform Administrator", result: "failed", inToken: false, error: { code: "forbidden", message: "PIM refused: name the ticket." } },
    ]);
    p.activateRoles.mockResolvedValueOnce([active]);
    p.preflight.mockResolvedValueOnce([preflightOf("needsActivation")]).mockResolvedValueOnce([preflightOf("ready")]);
    p.addMe.mockResolvedValue([elevation()]);
    const { user, dialog } = await addMeFor("Sales Production");
    await activateAndAdd(user);
    expect(await dialog.findByTestId("activate-error")).toHaveTextContent("PIM refused: name the ticket.");
    expect(dialog.getByTestId("activate-justification")).toHaveValue("Fix the Sales security roles");
    expect(dialog.getByTestId("activate-ticket-number")).toHaveValue("INC0042");
    expect(p.addMe).not.toHaveBeenCalled();
    // Fix and press the one button again.
    await user.click(buttons().activate!);
    await screen.findByTestId("addme-success");
    expect(p.activateRoles).toHaveBeenCalledTimes(2);
  });
});

describe("add me: several environments", () => {
  it("sums up the verdicts, adds all with progress, and lists the results", async () => {
    p.preflight.mockResolvedValue([
      preflightOf("ready"),
      preflightOf("alreadyAdmin", { environmentId: FINANCE, environmentName: "Finance Production" }),
      preflightOf("blocked", { environmentId: INTRANET, environmentName: "Intranet" }),
    ]);
    const call = deferred<Elevation[]>();
    p.addMe.mockReturnValue(call.promise);
    const { user, dialog } = await addMeFor("Sales Production", "Finance Production", "Intranet");
    expect(dialog.getByText("Add me to 3 environments")).toBeInTheDocument();
    expect(dialog.getByTestId("addme-counts")).toHaveTextContent("1 ready, 1 already System Administrator, 1 blocked");
    const rows = dialog.getAllByTestId("preflight-summary-row");
    expect(rows.map((r) => r.getAttribute("data-verdict"))).toEqual(["ready", "alreadyAdmin", "blocked"]);
    expect(rows[2]).toHaveTextContent("The environment is disabled");
    expect(buttons().confirm).toHaveTextContent("Add me to 1 environment");
    expect(buttons().tryAnyway).toBeInTheDocument();

    await user.click(buttons().confirm!);
    // In the order shown: by name.
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [FINANCE, INTRANET, SALES], tryAnyway: false });
    expect(await screen.findByTestId("addme-progress")).toBeInTheDocument();
    emit({ done: 1, total: 3, latest: elevation() });
    expect(screen.getByTestId("addme-progress-text")).toHaveTextContent("Adding you… 1 of 3 done (last: Sales Production)");
    // Running: Escape does not close the dialog.
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("addme-dialog")).toBeInTheDocument();

    await act(async () =>
      call.resolve([
        elevation(),
        elevation({ environmentId: FINANCE, environmentName: "Finance Production", result: "alreadyAdmin", message: "Already.", correlationId: undefined }),
        elevation({ environmentId: INTRANET, environmentName: "Intranet", result: "skipped", message: "Not sent: no Dataverse.", correlationId: undefined, endsAt: undefined }),
      ]),
    );
    const results = await screen.findAllByTestId("elevation-row");
    expect(results.map((r) => r.getAttribute("data-result"))).toEqual(["elevated", "alreadyAdmin", "skipped"]);
    expect(screen.getByTestId("addme-result-counts")).toHaveTextContent("1 added, 1 already System Administrator, 1 not sent");
    expect(screen.getByTestId("addme-announcement")).toHaveTextContent("Add me finished: 1 added, 1 already System Administrator, 1 not sent");
    expect(screen.queryByTestId("addme-success")).not.toBeInTheDocument();
  });

  it("activates the role once for all, then adds everywhere", async () => {
    p.preflight
      .mockResolvedValueOnce([preflightOf("needsActivation"), preflightOf("needsActivation", { environmentId: FINANCE, environmentName: "Finance Production" })])
      .mockResolvedValueOnce([preflightOf("ready"), preflightOf("ready", { environmentId: FINANCE, environmentName: "Finance Production" })]);
    p.activateRoles.mockResolvedValue([{ roleId: PPA, roleName: "Power Platform Administrator", result: "alreadyActive", inToken: true }]);
    p.addMe.mockResolvedValue([elevation(), elevation({ environmentId: FINANCE, environmentName: "Finance Production" })]);
    const { user, dialog } = await addMeFor("Sales Production", "Finance Production");
    expect(dialog.getByTestId("addme-counts")).toHaveTextContent("2 need a role activated");
    expect(dialog.getAllByTestId("preflight-summary-row")).toHaveLength(2);
    expect(buttons().confirm).toBeNull();
    await waitFor(() => expect(buttons().activate).toBeEnabled());
    expect(buttons().activate).toHaveTextContent("Activate Power Platform Administrator and add me");
    expect(dialog.getByTestId("addme-needs-activation")).toBeInTheDocument();
    await user.click(screen.getByTestId("activate-justification"));
    await user.paste("Quarterly access review");
    await user.click(screen.getByTestId("activate-ticket-number"));
    await user.paste("CHG0001");
    await user.click(buttons().activate!);
    await waitFor(() => expect(screen.getAllByTestId("elevation-row")).toHaveLength(2));
    expect(p.activateRoles).toHaveBeenCalledTimes(1);
    expect(p.activateRoles).toHaveBeenCalledWith(expect.objectContaining({ roleIds: [PPA], justification: "Quarterly access review", ticketNumber: "CHG0001" }));
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [FINANCE, SALES], tryAnyway: false });
  });
});

describe("add me from Membership", () => {
  it("says so instead of offering Add me to a System Administrator", async () => {
    const { user } = renderApp();
    await user.click(await screen.findByTestId("nav-environments"));
    await user.click(within((await screen.findAllByTestId("env-row")).find((r) => r.getAttribute("data-env-id") === SALES)!).getByText("Sales Production"));
    await user.click(screen.getByTestId("env-membership"));
    expect(await screen.findByTestId("membership-you-are-admin")).toHaveTextContent("You are System Administrator here");
    expect(screen.queryByTestId("membership-add-me")).toBeNull();
  });

  it("starts Add me for that environment and reads the list again afterwards", async () => {
    p.environmentMembership.mockResolvedValue(membershipOf({ youAreAdmin: false, administrators: membershipOf().administrators.filter((a) => !a.isYou) }));
    p.preflight.mockResolvedValue([preflightOf("ready")]);
    p.addMe.mockResolvedValue([elevation()]);
    const { user } = renderApp();
    await user.click(await screen.findByTestId("nav-environments"));
    await user.click(within((await screen.findAllByTestId("env-row")).find((r) => r.getAttribute("data-env-id") === SALES)!).getByText("Sales Production"));
    await user.click(screen.getByTestId("env-membership"));
    await screen.findAllByTestId("sysadmin-row");
    expect(p.environmentMembership).toHaveBeenCalledTimes(1);
    await user.click(screen.getByTestId("membership-add-me"));
    await screen.findByTestId("addme-dialog");
    await waitFor(() => expect(buttons().confirm).toBeInTheDocument());
    await user.click(buttons().confirm!);
    await screen.findByTestId("addme-results");
    expect(p.preflight).toHaveBeenCalledWith([SALES]);
    await waitFor(() => expect(p.environmentMembership).toHaveBeenCalledTimes(2));
  });
});
