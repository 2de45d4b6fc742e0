import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { hhmm } from "../lib/roles";
import * as platform from "../platform";
import type { ActivationOutcome, ActivationProgress, ApiError, RolePreferences } from "../platform";
import { deferred, renderApp, signedIn } from "./helpers";
import { EXCHANGE_ADMIN, PPA, USER_ADMIN, eligibleRole, inMinutes, myRolesData, prefs } from "./rolesFixtures";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
// These walk through Fluent dialogs and menus in jsdom: slow on a busy machine.
vi.setConfig({ testTimeout: 20_000 });

let emit: (e: ActivationProgress) => void;

beforeEach(() => {
  emit = () => {};
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.myRoles.mockResolvedValue(myRolesData());
  p.rolePreferences.mockResolvedValue(prefs());
  p.onActivationProgress.mockImplementation(async (cb) => {
    emit = (e) => act(() => cb(e));
    return () => {
      emit = () => {};
    };
  });
});

async function openRoles() {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-roles"));
  await screen.findAllByTestId("eligible-role");
  return app;
}

const rowOf = (testId: string, roleId: string) =>
  screen.getAllByTestId(testId).find((r) => r.getAttribute("data-role-id") === roleId)!;

async function openDialogFor(user: Awaited<ReturnType<typeof openRoles>>["user"], roleId: string) {
  await user.click(within(rowOf("eligible-role", roleId)).getByTestId("activate-button"));
  return screen.findByTestId("activate-dialog");
}

const at = (iso: string) => hhmm(iso);

/** Types into a field the fast way (one paste), as a person pasting would. */
async function fill(user: Awaited<ReturnType<typeof openRoles>>["user"], testId: string, text: string) {
  await user.click(screen.getByTestId(testId));
  await user.paste(text);
}

describe("my roles: eligible", () => {
  it("lists each eligible role with scope, membership, end, what its policy needs, and Activate", async () => {
    p.myRoles.mockResolvedValue(
      myRolesData({
        eligible: [
          ...myRolesData().eligible,
          eligibleRole({ roleId: "x", name: "Dynamics 365 Administrator", memberType: "group", groupName: "D365 Admins", hint: "Held through a group: Power Platform will not let you self-elevate with it.", policy: undefined }),
        ],
      }),
    );
    await openRoles();
    expect(document.title).toBe("My roles - Elevate");
    const ppa = within(rowOf("eligible-role", PPA));
    expect(ppa.getByText("Power Platform Administrator")).toBeInTheDocument();
    expect(ppa.getByTestId("membership")).toHaveTextContent("Direct");
    expect(ppa.getByTestId("eligibility-end")).toHaveTextContent("Permanent");
    expect(ppa.getByTestId("policy-badges")).toHaveTextContent("Up to 8 hJustificationTicket");
    expect(ppa.getByTestId("activate-button")).toBeEnabled();

    const ua = within(rowOf("eligible-role", USER_ADMIN));
    expect(ua.getByTestId("membership")).toHaveTextContent("Group: Helpdesk Tier 2");
    expect(ua.getByTestId("eligibility-end")).toHaveTextContent(/Eligible until .*2027/);
    expect(ua.getByTestId("policy-badges")).toHaveTextContent("Up to 4 hJustificationApproval");

    const d365 = within(rowOf("eligible-role", "x"));
    expect(d365.getByTestId("eligible-hint")).toHaveTextContent("Power Platform will not let you self-elevate");
    expect(d365.getByTestId("policy-badges")).toHaveTextContent("Settings unknown");

    const active = within(rowOf("eligible-role", EXCHANGE_ADMIN)).getByTestId("activate-button");
    expect(active).toHaveTextContent("Active");
    expect(active).toBeDisabled();
    expect(screen.getByTestId("activate-selected")).toHaveTextContent("Activate selected (0)");
    expect(screen.getByTestId("activate-selected")).toBeDisabled();
  });

  it("says so when there is nothing to activate", async () => {
    p.myRoles.mockResolvedValue(myRolesData({ eligible: [] }));
    const { user } = renderApp();
    await user.click(await screen.findByTestId("nav-roles"));
    expect(await screen.findByTestId("eligible-empty")).toHaveTextContent(
      "You have no eligible roles. Ask your administrator to make you eligible in PIM.",
    );
  });
});

describe("activate dialog", () => {
  it("builds the form from the policy and refuses an empty justification without calling PIM", async () => {
    const { user } = await openRoles();
    const dialog = await openDialogFor(user, PPA);
    expect(within(dialog).getByText("Activate Power Platform Administrator")).toBeInTheDocument();
    const duration = screen.getByTestId("activate-duration") as HTMLSelectElement;
    expect([...duration.options].map((o) => o.textContent)).toEqual(
      ["0.5 hours", "1 hour", "1.5 hours", "2 hours", "2.5 hours", "3 hours", "3.5 hours", "4 hours", "4.5 hours", "5 hours", "5.5 hours", "6 hours", "6.5 hours", "7 hours", "7.5 hours", "8 hours"],
    );
    expect(duration.value).toBe("60");
    const justification = screen.getByTestId("activate-justification");
    await waitFor(() => expect(justification).toHaveFocus());
    expect(justification).toHaveAttribute("placeholder", "What will you do? e.g. Reset password, MFA reset, login error investigation");
    expect(screen.getByTestId("activate-justification-count")).toHaveTextContent("0 / 500");

    await user.type(justification, "   ");
    await user.click(screen.getByTestId("activate-submit"));
    expect(within(dialog).getByText("Say what you will do with the role: your organization requires a justification (for example: Reset password, MFA reset, login error investigation).")).toBeInTheDocument();
    expect(within(dialog).getByText("Enter the ticket number of your change or incident: your organization requires one for this role.")).toBeInTheDocument();
    await waitFor(() => expect(justification).toHaveFocus());
    expect(p.activateRoles).not.toHaveBeenCalled();
    expect(screen.queryByTestId("activation-stepper")).not.toBeInTheDocument();
  });

  it("sends the trimmed values and the chosen duration; Enter in the ticket field submits", async () => {
    p.activateRoles.mockReturnValue(new Promise(() => {}));
    const { user } = await openRoles();
    await openDialogFor(user, PPA);
    await fill(user, "activate-justification", "  Reset MFA for Megan  ");
    expect(screen.getByTestId("activate-justification-count")).toHaveTextContent("19 / 500");
    await user.selectOptions(screen.getByTestId("activate-duration"), "90");
    await fill(user, "activate-ticket-system", " ServiceNow ");
    await user.type(screen.getByTestId("activate-ticket-number"), " INC0042 {Enter}");
    await waitFor(() =>
      expect(p.activateRoles).toHaveBeenCalledWith({
        roleIds: [PPA],
        durationMinutes: 90,
        justification: "Reset MFA for Megan",
        ticketNumber: "INC0042",
        ticketSystem: "ServiceNow",
      }),
    );
    expect(p.activateRoles).toHaveBeenCalledTimes(1);
    // Running: Escape does not close the dialog.
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("activation-stepper")).toBeInTheDocument();
  });

  it("shows each stage from the progress events and finishes with the outcome", async () => {
    const call = deferred<ActivationOutcome[]>();
    p.activateRoles.mockReturnValue(call.promise);
    const { user } = await openRoles();
    await openDialogFor(user, PPA);
    await fill(user, "activate-justification", "Fix environment roles");
    await fill(user, "activate-ticket-number", "INC1");
    await user.click(screen.getByTestId("activate-submit"));

    const stepper = await screen.findByTestId("activation-stepper");
    const stages = () => within(stepper).getAllByTestId("stage").map((s) => `${s.dataset.stage}:${s.dataset.state}`);
    expect(stages()).toEqual(["validating:current", "submitting:todo", "activating:todo", "updatingSignIn:todo", "active:todo"]);

    const ev = (stage: ActivationProgress["stage"], roleId = PPA) => emit({ roleId, roleName: "Power Platform Administrator", stage });
    ev("validating");
    ev("signingIn");
    expect(stages()).toEqual(["validating:done", "signingIn:current", "submitting:todo", "activating:todo", "updatingSignIn:todo", "active:todo"]);
    expect(within(stepper).getByTestId("stage-message")).toHaveTextContent("Confirm in your browser…");
    ev("activating", USER_ADMIN); // another role's event: not ours
    ev("submitting");
    ev("activating");
    expect(stages()).toEqual(["validating:done", "signingIn:done", "submitting:done", "activating:current", "updatingSignIn:todo", "active:todo"]);
    expect(screen.queryByTestId("activate-done")).not.toBeInTheDocument();

    const expiresAt = inMinutes(60);
    const before = p.myRoles.mock.calls.length;
    await act(async () => call.resolve([{ roleId: PPA, roleName: "Power Platform Administrator", result: "active", expiresAt, inToken: true }]));
    expect(await screen.findByTestId("activation-result")).toHaveTextContent(`Active until ${at(expiresAt)}`);
    expect(stages().every((s) => s.endsWith(":done"))).toBe(true);
    await user.click(screen.getByTestId("activate-done"));
    await waitFor(() => expect(screen.queryByTestId("activate-dialog")).not.toBeInTheDocument());
    await waitFor(() => expect(p.myRoles.mock.calls.length).toBeGreaterThan(before));
  });

  it("goes back to the form with everything typed when PIM refuses", async () => {
    const refusal: ApiError = { code: "forbidden", message: "PIM refused: the ticket is closed.", correlationId: "corr-1" };
    p.activateRoles.mockResolvedValueOnce([{ roleId: PPA, roleName: "Power Platform Administrator", result: "failed", inToken: false, error: refusal }]);
    p.activateRoles.mockRejectedValueOnce({ code: "network", message: "Elevate can't reach Microsoft." });
    const { user } = await openRoles();
    await openDialogFor(user, PPA);
    await fill(user, "activate-justification", "Reset MFA");
    await fill(user, "activate-ticket-system", "Jira");
    await fill(user, "activate-ticket-number", "OPS-12");
    await user.selectOptions(screen.getByTestId("activate-duration"), "120");
    await user.click(screen.getByTestId("activate-submit"));

    const error = await screen.findByTestId("activate-error");
    expect(error).toHaveTextContent("PIM refused: the ticket is closed.");
    expect(error).toHaveTextContent("corr-1");
    expect(screen.queryByTestId("activation-stepper")).not.toBeInTheDocument();
    expect(screen.getByTestId("activate-justification")).toHaveValue("Reset MFA");
    expect(screen.getByTestId("activate-ticket-system")).toHaveValue("Jira");
    expect(screen.getByTestId("activate-ticket-number")).toHaveValue("OPS-12");
    expect(screen.getByTestId("activate-duration")).toHaveValue("120");

    // A thrown error (not an outcome) does the same.
    await user.click(screen.getByTestId("activate-submit"));
    await waitFor(() => expect(screen.getByTestId("activate-error")).toHaveTextContent("Elevate can't reach Microsoft."));
    expect(screen.getByTestId("activate-justification")).toHaveValue("Reset MFA");
    expect(p.activateRoles).toHaveBeenCalledTimes(2);
    // Not running any more: Escape closes.
    expect(screen.getByTestId("activate-justification")).toHaveFocus();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("activate-dialog")).not.toBeInTheDocument());
  });

  it("activates several selected roles in one dialog, with the strictest policy", async () => {
    p.activateRoles.mockResolvedValue([
      { roleId: PPA, roleName: "Power Platform Administrator", result: "alreadyActive", inToken: true },
      { roleId: USER_ADMIN, roleName: "User Administrator", result: "pending", requestId: "req-9", inToken: false },
    ]);
    const { user } = await openRoles();
    expect(within(rowOf("eligible-role", EXCHANGE_ADMIN)).getByRole("checkbox")).toBeDisabled();
    await user.click(within(rowOf("eligible-role", PPA)).getByRole("checkbox"));
    await user.click(within(rowOf("eligible-role", USER_ADMIN)).getByRole("checkbox"));
    expect(screen.getByTestId("activate-selected")).toHaveTextContent("Activate selected (2)");
    await user.click(screen.getByTestId("activate-selected"));

    const dialog = await screen.findByTestId("activate-dialog");
    expect(within(dialog).getByText("Activate 2 roles")).toBeInTheDocument();
    expect(within(dialog).getByTestId("activate-roles")).toHaveTextContent("Power Platform AdministratorUser Administrator");
    const duration = screen.getByTestId("activate-duration") as HTMLSelectElement;
    expect([...duration.options].at(-1)?.textContent).toBe("4 hours");
    expect(screen.getByTestId("activate-requirements")).toHaveTextContent(
      "User Administrator needs approval by Gloria Mueller; Elevate tells you when it is decided.",
    );
    await fill(user, "activate-justification", "Helpdesk");
    await fill(user, "activate-ticket-number", "INC7");
    await user.click(screen.getByTestId("activate-submit"));

    await screen.findByTestId("activate-done");
    const results = screen.getAllByTestId("activation-result").map((r) => r.textContent);
    expect(results).toEqual(["Already active — nothing changed", "Waiting for approval. Elevate will notify you when it is decided."]);
    expect(p.activateRoles).toHaveBeenCalledWith(expect.objectContaining({ roleIds: [PPA, USER_ADMIN], durationMinutes: 60 }));
  });

  it("explains the extra checks of MFA and authentication contexts before anything is sent", async () => {
    const { user } = await openRoles();
    await openDialogFor(user, "194ae4cb-b126-40b2-bd5b-6091b380977d");
    const req = screen.getByTestId("activate-requirements");
    expect(req).toHaveTextContent("You will be asked to confirm with multi-factor authentication in your browser.");
    expect(req).toHaveTextContent("Your organization requires an extra sign-in check (authentication context c1) for this role.");
  });

  const helpdesk = { name: "Helpdesk", roleIds: [USER_ADMIN, PPA], durationMinutes: 120, ticketSystem: "ServiceNow", justification: "Helpdesk shift" };
  const other = { name: "Audit", roleIds: [PPA], durationMinutes: 60, ticketSystem: "", justification: "" };

  async function openPreset(user: Awaited<ReturnType<typeof openRoles>>["user"]) {
    await user.click(screen.getByTestId("preset-menu"));
    await user.click(await screen.findByRole("menuitem", { name: /Helpdesk/ }));
    return screen.findByTestId("activate-dialog");
  }

  it("opens a preset pre-filled, and offers recent values", async () => {
    p.rolePreferences.mockResolvedValue(prefs({ presets: [helpdesk, other], recentTickets: ["INC0042017"] }));
    const { user } = await openRoles();
    const dialog = await openPreset(user);
    expect(within(dialog).getByText("Activate 2 roles")).toBeInTheDocument();
    expect(screen.getByTestId("activate-duration")).toHaveValue("120");
    expect(screen.getByTestId("activate-justification")).toHaveValue("Helpdesk shift");
    expect(screen.getByTestId("activate-ticket-system")).toHaveValue("ServiceNow");
    // The ticket number is required and empty: that is where the cursor is.
    await waitFor(() => expect(screen.getByTestId("activate-ticket-number")).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Use recent ticket: INC0042017" }));
    expect(screen.getByTestId("activate-ticket-number")).toHaveValue("INC0042017");
  });

  it("saves a preset, replacing one with the same name", async () => {
    p.rolePreferences.mockResolvedValue(prefs({ presets: [helpdesk, other] }));
    p.saveRolePreferences.mockImplementation(async (next: RolePreferences) => next);
    const { user } = await openRoles();
    await openPreset(user);
    await user.selectOptions(screen.getByTestId("activate-duration"), "180");
    await user.click(screen.getByTestId("save-preset"));
    await fill(user, "preset-name", " helpdesk ");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(p.saveRolePreferences).toHaveBeenCalledTimes(1));
    expect(p.saveRolePreferences.mock.calls[0][0].presets).toEqual([
      other,
      { name: "helpdesk", roleIds: [PPA, USER_ADMIN], durationMinutes: 180, ticketSystem: "ServiceNow", justification: "Helpdesk shift" },
    ]);
    expect(await screen.findByTestId("preset-saved")).toHaveTextContent("Saved preset “helpdesk”.");
    expect(screen.getByTestId("activate-dialog")).toBeInTheDocument();
    expect(p.activateRoles).not.toHaveBeenCalled();
  });
});
