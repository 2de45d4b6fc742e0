import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import { renderApp, signedIn } from "./helpers";
import { eligibleRole, myRolesData, policy, prefs } from "./rolesFixtures";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
vi.setConfig({ testTimeout: 20_000 });

const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const SALES = "/administrativeUnits/8a3c1f2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b";
const MARKETING = "/administrativeUnits/9b4d2a3f-6c7e-4f80-8b1c-2d3e4f5a6b7c";

beforeEach(() => {
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.rolePreferences.mockResolvedValue(prefs());
  p.onActivationProgress.mockImplementation(async () => () => {});
  const helpdesk = (scope: string, scopeId: string) =>
    eligibleRole({ roleId: HELPDESK, name: "Helpdesk Administrator", scope, scopeId, grantsSelfElevation: false, policy: policy() });
  p.myRoles.mockResolvedValue(
    myRolesData({
      eligible: [helpdesk("Marketing (administrative unit)", MARKETING), helpdesk("Sales (administrative unit)", SALES)],
    }),
  );
});

describe("my roles: a role for two administrative units", () => {
  it("is two rows with the unit's name, and a row activates at its own scope", async () => {
    const { user } = renderApp();
    await user.click(await screen.findByTestId("nav-roles"));
    const rows = await screen.findAllByTestId("eligible-role");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent("Scope: Sales (administrative unit)");
    expect(rows[1]).not.toHaveTextContent("administrativeUnits");
    p.activateRoles.mockReturnValue(new Promise(() => {}));
    await user.click(within(rows[1]).getByTestId("activate-button"));
    await screen.findByTestId("activate-dialog");
    await user.click(screen.getByTestId("activate-justification"));
    await user.paste("Password resets for the sales team");
    await user.click(screen.getByTestId("activate-submit"));
    await waitFor(() =>
      expect(p.activateRoles).toHaveBeenCalledWith(expect.objectContaining({ roleIds: [HELPDESK], scopeIds: { [HELPDESK]: SALES } })),
    );
  });
});
