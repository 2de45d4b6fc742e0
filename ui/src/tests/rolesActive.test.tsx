import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { hhmm } from "../lib/roles";
import * as platform from "../platform";
import type { RoleNotice } from "../platform";
import { renderApp, signedIn } from "./helpers";
import { EXCHANGE_ADMIN, GLOBAL_READER, PPA, activeRole, inMinutes, myRolesData, prefs, request } from "./rolesFixtures";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
vi.setConfig({ testTimeout: 20_000 });

const SECOND = 1000;
const MIN = 60 * SECOND;

beforeEach(() => {
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.rolePreferences.mockResolvedValue(prefs());
});

async function openTab(tab: "active" | "requests") {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-roles"));
  await app.user.click(await screen.findByTestId(`roles-tab-${tab}`));
  return app;
}

const activeRow = (roleId: string) =>
  screen.getAllByTestId("active-role").find((r) => r.getAttribute("data-role-id") === roleId)!;

describe("my roles: active", () => {
  it("shows time left live, permanent assignments, and a role not yet in the sign-in", async () => {
    const end = new Date(Date.now() + 120 * MIN - 5 * SECOND).toISOString();
    p.myRoles.mockResolvedValue(
      myRolesData({
        active: [
          activeRole({ roleId: GLOBAL_READER, name: "Global Reader", assignmentType: "assigned", end: undefined, start: undefined, deactivateFrom: undefined }),
          activeRole({ roleId: PPA, name: "Power Platform Administrator", memberType: "group", end, inToken: false }),
          activeRole({ end: inMinutes(9.5) }),
        ],
      }),
    );
    await openTab("active");
    await screen.findAllByTestId("active-role");

    const ppa = within(activeRow(PPA));
    expect(ppa.getByTestId("countdown")).toHaveTextContent(`1 h 59 min left · until ${hhmm(end)}`);
    expect(ppa.getByTestId("membership")).toHaveTextContent(/^Group$/);
    expect(ppa.getByTestId("not-in-token")).toHaveTextContent("Not yet in your sign-in");
    expect(ppa.getByTestId("deactivate-button")).toBeInTheDocument();
    expect(ppa.getByTestId("extend-button")).toBeInTheDocument();

    const reader = within(activeRow(GLOBAL_READER));
    expect(reader.getByTestId("permanent")).toHaveTextContent("Permanent");
    expect(reader.queryByTestId("countdown")).not.toBeInTheDocument();
    expect(reader.queryByTestId("deactivate-button")).not.toBeInTheDocument();
    expect(reader.queryByTestId("extend-button")).not.toBeInTheDocument();
    expect(reader.queryByTestId("not-in-token")).not.toBeInTheDocument();

    const soon = within(activeRow(EXCHANGE_ADMIN)).getByTestId("countdown");
    expect(soon).toHaveTextContent(/^9 min left · until \d\d:\d\d$/);
    expect(soon).toHaveAttribute("data-ends-soon", "true");
    expect(ppa.getByTestId("countdown")).not.toHaveAttribute("data-ends-soon");
  });

  it("explains why it can't deactivate in the first 5 minutes, without asking PIM", async () => {
    const from = inMinutes(3);
    p.myRoles.mockResolvedValue(myRolesData({ active: [activeRole({ start: inMinutes(-2), deactivateFrom: from })] }));
    const { user } = await openTab("active");
    const button = await within(await screen.findByTestId("active-role")).findByTestId("deactivate-button");
    expect(button).toBeEnabled();
    await user.click(button);
    expect(screen.getByTestId("deactivate-too-early")).toHaveTextContent(
      `PIM keeps a role active for at least 5 minutes. You can deactivate it at ${hhmm(from)}.`,
    );
    expect(screen.queryByTestId("deactivate-confirm")).not.toBeInTheDocument();
    expect(p.deactivateRole).not.toHaveBeenCalled();
  });

  it("goes by PIM's clock for the 5 minutes (My roles' fetchedAt), not this computer's", async () => {
    // PIM's clock is 6 minutes ahead: the minimum is over there, though not by this computer's clock.
    p.myRoles.mockResolvedValue(
      myRolesData({ active: [activeRole({ start: inMinutes(-2), deactivateFrom: inMinutes(3) })], fetchedAt: inMinutes(6) }),
    );
    const { user } = await openTab("active");
    await user.click(await screen.findByTestId("deactivate-button"));
    expect(await screen.findByTestId("deactivate-confirm")).toBeInTheDocument();
    expect(screen.queryByTestId("deactivate-too-early")).not.toBeInTheDocument();
  });

  it("asks before deactivating, then deactivates and refreshes", async () => {
    p.myRoles.mockResolvedValueOnce(myRolesData());
    p.myRoles.mockResolvedValue(myRolesData({ active: [] }));
    p.deactivateRole.mockResolvedValue(undefined);
    const { user } = await openTab("active");
    await user.click(await screen.findByTestId("deactivate-button"));
    const confirm = await screen.findByTestId("deactivate-confirm");
    expect(confirm).toHaveTextContent("Deactivate Exchange Administrator?");
    expect(p.deactivateRole).not.toHaveBeenCalled();
    await user.click(within(confirm).getByTestId("deactivate-confirm-button"));
    await waitFor(() => expect(p.deactivateRole).toHaveBeenCalledWith(EXCHANGE_ADMIN));
    await waitFor(() => expect(screen.queryByTestId("deactivate-confirm")).not.toBeInTheDocument());
    expect(await screen.findByTestId("active-empty")).toHaveTextContent("No role is active right now.");
  });

  it("extends an activation by the chosen duration, under the role's policy", async () => {
    const expiresAt = inMinutes(180);
    p.myRoles.mockResolvedValue(myRolesData());
    p.extendRole.mockResolvedValue({ roleId: EXCHANGE_ADMIN, roleName: "Exchange Administrator", result: "active", expiresAt, inToken: true });
    const { user } = await openTab("active");
    await user.click(await screen.findByTestId("extend-button"));
    const dialog = await screen.findByTestId("activate-dialog");
    expect(dialog).toHaveAttribute("data-mode", "extend");
    expect(within(dialog).getByText("Extend Exchange Administrator")).toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("activate-duration"), "120");
    await user.click(screen.getByTestId("activate-submit"));
    await waitFor(() =>
      expect(p.extendRole).toHaveBeenCalledWith({ roleId: EXCHANGE_ADMIN, durationMinutes: 120, justification: "", ticketNumber: "", ticketSystem: "" }),
    );
    expect(await screen.findByTestId("activation-result")).toHaveTextContent(`Active until ${hhmm(expiresAt)}`);
    expect(p.activateRoles).not.toHaveBeenCalled();
  });
});

describe("my roles: requests", () => {
  it("words each request's action and status, and cancels one that waits", async () => {
    p.myRoles.mockResolvedValueOnce(
      myRolesData({
        requests: [
          request(),
          request({ id: "req-2", phase: "provisioning", status: "Granted", canCancel: false }),
          request({ id: "req-3", action: "selfDeactivate", phase: "completed", status: "Revoked", canCancel: false, durationMinutes: undefined, justification: undefined, ticketNumber: undefined }),
          request({ id: "req-4", action: "selfExtend", phase: "denied", status: "Denied", canCancel: false }),
          request({ id: "req-5", phase: "canceled", status: "Canceled", canCancel: false }),
          request({ id: "req-6", phase: "failed", status: "Failed", canCancel: false }),
        ],
      }),
    );
    p.myRoles.mockResolvedValue(myRolesData({ requests: [request({ phase: "canceled", status: "Canceled", canCancel: false })] }));
    p.cancelRequest.mockResolvedValue(undefined);
    const { user } = await openTab("requests");
    const rows = await screen.findAllByTestId("role-request");
    expect(rows.map((r) => r.getAttribute("data-request-id"))).toEqual(["req-1", "req-2", "req-3", "req-4", "req-5", "req-6"]);
    expect(rows.map((r) => within(r).getByTestId("request-status").textContent)).toEqual([
      "Waiting for approval",
      "Activating",
      "Completed",
      "Denied",
      "Canceled",
      "Failed",
    ]);
    expect(rows.map((r) => within(r).getByTestId("request-action").textContent)).toEqual([
      "Activate",
      "Activate",
      "Deactivate",
      "Extend",
      "Activate",
      "Activate",
    ]);
    expect(rows[0]).toHaveTextContent("2 hours");
    expect(rows[0]).toHaveTextContent("Reset MFA for a user");
    expect(rows[0]).toHaveTextContent("INC0042");
    expect(screen.getAllByTestId("cancel-request-button")).toHaveLength(1);

    await user.click(within(rows[0]).getByTestId("cancel-request-button"));
    await waitFor(() => expect(p.cancelRequest).toHaveBeenCalledWith("req-1"));
    await waitFor(() => expect(within(screen.getByTestId("role-request")).getByTestId("request-status")).toHaveTextContent("Canceled"));
    expect(screen.queryByTestId("cancel-request-button")).not.toBeInTheDocument();
  });

  it("shows a refused cancel", async () => {
    p.myRoles.mockResolvedValue(myRolesData({ requests: [request()] }));
    p.cancelRequest.mockRejectedValue({ code: "invalidInput", message: "This request was decided already." });
    const { user } = await openTab("requests");
    await user.click(await screen.findByTestId("cancel-request-button"));
    expect(await screen.findByTestId("error-bar")).toHaveTextContent("This request was decided already.");
  });
});

describe("roles changed in the background", () => {
  it("refreshes My roles and Home, and shows the notice", async () => {
    let notify: (n: RoleNotice | null) => void = () => {};
    p.onRolesChanged.mockImplementation(async (cb) => {
      notify = cb;
      return () => {};
    });
    p.myRoles.mockResolvedValue(myRolesData());
    const { user } = await openTab("active");
    await screen.findAllByTestId("active-role");
    const roles = p.myRoles.mock.calls.length;
    const homes = p.home.mock.calls.length;

    act(() => notify(null));
    await waitFor(() => expect(p.myRoles.mock.calls.length).toBe(roles + 1));
    expect(screen.queryByTestId("roles-notice")).not.toBeInTheDocument();

    act(() => notify({ title: "Approved: User Administrator", body: "Gloria Mueller approved your request." }));
    const toast = await screen.findByTestId("roles-notice");
    expect(toast).toHaveTextContent("Approved: User Administrator");
    expect(toast).toHaveTextContent("Gloria Mueller approved your request.");
    await waitFor(() => expect(p.myRoles.mock.calls.length).toBe(roles + 2));
    // Home's summary (cached for 30 s) was marked stale: showing Home fetches it again.
    expect(p.home.mock.calls.length).toBe(homes);
    await user.click(screen.getByTestId("nav-home"));
    await waitFor(() => expect(p.home.mock.calls.length).toBe(homes + 1));
  });
});

describe("home: active roles", () => {
  it("counts down each activation and leads to My roles", async () => {
    p.myRoles.mockResolvedValue(
      myRolesData({
        active: [
          activeRole({ roleId: PPA, name: "Power Platform Administrator", end: new Date(Date.now() + 60 * MIN - 5 * SECOND).toISOString() }),
          activeRole({ roleId: GLOBAL_READER, name: "Global Reader", assignmentType: "assigned", end: undefined }),
        ],
      }),
    );
    const { user } = renderApp();
    const lines = await screen.findAllByTestId("home-countdown");
    expect(lines.map((l) => l.textContent)).toEqual(["Power Platform Administrator — 59 min left"]);
    await user.click(screen.getByTestId("home-my-roles"));
    expect(await screen.findByTestId("roles-tab-eligible")).toBeInTheDocument();
  });

  it("says when no activation runs", async () => {
    p.myRoles.mockResolvedValue(myRolesData({ active: [] }));
    renderApp();
    expect(await screen.findByTestId("home-no-activations")).toHaveTextContent("No role activation is running.");
  });
});
