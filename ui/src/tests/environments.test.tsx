import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import { ENVIRONMENTS, INTRANET, RETIRED, SALES, envList, many, membershipOf } from "./environmentsFixtures";
import { renderApp, signedIn } from "./helpers";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.environments.mockResolvedValue(envList());
  p.environmentMembership.mockResolvedValue(membershipOf());
});

async function openEnvironments() {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-environments"));
  await screen.findAllByTestId("env-row");
  return app;
}

const rowNamed = (name: string) => screen.getAllByTestId("env-row").find((r) => r.getAttribute("data-env-name") === name)!;
const shownNames = () => screen.getAllByTestId("env-row").map((r) => r.getAttribute("data-env-name"));

describe("environments list", () => {
  it("lists the environments with their columns, sorted by name", async () => {
    await openEnvironments();
    expect(document.title).toBe("Environments - Elevate");
    expect(shownNames()).toEqual(["Contoso (default)", "Contoso Teams Hub", "Finance Production", "Intranet", "Retired CRM", "Sales Production"]);
    const sales = within(rowNamed("Sales Production"));
    expect(rowNamed("Sales Production")).toHaveAttribute("data-env-id", SALES);
    expect(sales.getByText("United States (eastus)")).toBeInTheDocument();
    expect(sales.getByText("Sales Production Users")).toBeInTheDocument();
    expect(within(rowNamed("Finance Production")).getByText("e94da142-ef64-52e1-8a30-75b588c642ab")).toBeInTheDocument();
    expect(within(rowNamed("Retired CRM")).getByTestId("env-disabled")).toHaveTextContent("Disabled");
    expect(within(rowNamed("Intranet")).getAllByRole("gridcell")[5]).toHaveTextContent("No");
    expect(screen.getByTestId("env-count")).toHaveTextContent("6 environments");
    expect(screen.getByTestId("env-updated")).toHaveTextContent(/^Updated \d\d:\d\d$/);
    const grid = screen.getByRole("grid", { name: "Environments" });
    expect(grid).toHaveAttribute("aria-rowcount", "7");
    expect(screen.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "ascending");
    // Nothing selected: only Add me's siblings… all off.
    expect(screen.getByTestId("env-details")).toBeDisabled();
    expect(screen.getByTestId("env-membership")).toBeDisabled();
    expect(screen.getByTestId("env-add-me")).toBeDisabled();
  });

  it("renders only a window of rows out of 10,000", async () => {
    p.environments.mockResolvedValue(envList(many(10_000)));
    await openEnvironments();
    const rendered = screen.getAllByTestId("env-row").length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByRole("grid")).toHaveAttribute("aria-rowcount", "10001");
    expect(screen.getByTestId("env-count")).toHaveTextContent("10000 environments");
    // Scrolled to the middle: the rows there, and still only a window of them.
    const grid = screen.getByRole("grid");
    grid.scrollTop = 5000 * 40;
    fireEvent.scroll(grid);
    await waitFor(() => expect(shownNames()).toContain("Env 05000"));
    expect(screen.getAllByTestId("env-row").length).toBeLessThan(60);
    expect(shownNames()).not.toContain("Env 00000");
  });

  it("searches and filters, and says when nothing matches", async () => {
    const { user } = await openEnvironments();
    await user.type(screen.getByTestId("env-search"), "PRODUCTION");
    // The type counts too: Intranet and Retired CRM are Production environments.
    await waitFor(() => expect(shownNames()).toEqual(["Finance Production", "Intranet", "Retired CRM", "Sales Production"]));
    expect(screen.getByTestId("env-count")).toHaveTextContent("4 of 6 environments");
    await user.clear(screen.getByTestId("env-search"));
    await user.type(screen.getByTestId("env-search"), "nothing like this");
    expect(await screen.findByTestId("env-empty")).toHaveTextContent("No environment matches the search or filters.");
    await user.click(screen.getByTestId("env-empty-clear"));
    await waitFor(() => expect(shownNames()).toHaveLength(6));

    await user.click(screen.getByTestId("env-filter-state"));
    await user.click(await screen.findByRole("option", { name: "Disabled" }));
    await waitFor(() => expect(shownNames()).toEqual(["Retired CRM"]));
  });

  it("sorts by a header click, and the other way on a second click", async () => {
    const { user } = await openEnvironments();
    await user.click(screen.getByTestId("env-sort-created"));
    const created = screen.getByRole("columnheader", { name: "Created" });
    expect(created).toHaveAttribute("aria-sort", "ascending");
    expect(screen.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "none");
    expect(shownNames()[0]).toBe("Retired CRM");
    await user.click(screen.getByTestId("env-sort-created"));
    expect(created).toHaveAttribute("aria-sort", "descending");
    expect(shownNames()[0]).toBe("Contoso Teams Hub");
  });

  it("selects one row on click, several with the checkboxes", async () => {
    const { user } = await openEnvironments();
    await user.click(within(rowNamed("Sales Production")).getByText("Sales Production"));
    expect(rowNamed("Sales Production")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("env-selected-count")).toHaveTextContent("1 selected");
    expect(screen.getByTestId("env-details")).toBeEnabled();
    expect(screen.getByTestId("env-membership")).toBeEnabled();
    expect(screen.getByTestId("env-add-me")).toBeEnabled();

    await user.click(within(rowNamed("Intranet")).getByRole("checkbox"));
    await user.click(within(rowNamed("Retired CRM")).getByRole("checkbox"));
    expect(screen.getByTestId("env-selected-count")).toHaveTextContent("3 selected");
    expect(screen.getByTestId("env-details")).toBeDisabled();
    expect(screen.getByTestId("env-add-me")).toBeEnabled();

    // A plain click selects only that row again.
    await user.click(within(rowNamed("Intranet")).getByText("Intranet"));
    expect(screen.getByTestId("env-selected-count")).toHaveTextContent("1 selected");

    await user.click(screen.getByTestId("env-select-all"));
    expect(screen.getByTestId("env-selected-count")).toHaveTextContent("6 selected");
    await user.click(screen.getByTestId("env-select-all"));
    expect(screen.getByTestId("env-selected-count")).toBeEmptyDOMElement();
  });

  it("moves the selection with the arrow keys and opens Details with Enter; Escape closes it", async () => {
    const { user } = await openEnvironments();
    const grid = screen.getByRole("grid");
    act(() => grid.focus());
    await user.keyboard("{ArrowDown}");
    expect(rowNamed("Contoso (default)")).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(rowNamed("Finance Production")).toHaveAttribute("aria-selected", "true");
    expect(rowNamed("Contoso (default)")).toHaveAttribute("aria-selected", "false");
    expect(grid.getAttribute("aria-activedescendant")).toBe(rowNamed("Finance Production").id);
    await user.keyboard("{ArrowUp}");
    expect(rowNamed("Contoso Teams Hub")).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    const pane = await screen.findByTestId("env-details-pane");
    expect(within(pane).getByText("Microsoft 365 group (Teams)")).toBeInTheDocument();
    expect(within(pane).getByText("Contoso Operations")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("env-details-pane")).not.toBeInTheDocument());
    expect(grid).toHaveFocus();
  });

  it("shows Details and opens the URL through the platform, never window.open", async () => {
    const open = vi.spyOn(window, "open").mockImplementation(() => null);
    const { user } = await openEnvironments();
    await user.click(within(rowNamed("Sales Production")).getByText("Sales Production"));
    await user.click(screen.getByTestId("env-details"));
    const pane = within(await screen.findByTestId("env-details-pane"));
    expect(pane.getByTestId("env-detail-id")).toHaveTextContent(SALES);
    expect(pane.getByRole("button", { name: "Copy environment ID" })).toBeInTheDocument();
    expect(pane.getByTestId("env-detail-security-group")).toHaveTextContent("Sales Production Users7592d90c-93a3-5834-b25c-d9086eda38fd");
    expect(pane.getByText("d5f4b67f-76ae-5c51-b535-665c4d1eec49")).toBeInTheDocument();
    expect(pane.getByText("9.2.25021.00214")).toBeInTheDocument();
    await user.click(pane.getByTestId("env-open-url"));
    expect(p.openEnvironment).toHaveBeenCalledWith(SALES);
    expect(open).not.toHaveBeenCalled();
    // The pane follows the selection.
    await user.click(within(rowNamed("Intranet")).getByText("Intranet"));
    expect(within(screen.getByTestId("env-details-pane")).getByTestId("env-detail-url")).toHaveTextContent("None: no Dataverse database");
    await user.click(screen.getByTestId("env-pane-close"));
    expect(screen.queryByTestId("env-details-pane")).not.toBeInTheDocument();
    open.mockRestore();
  });

  it("lists the System Administrators with You, Disabled and Application user", async () => {
    const { user } = await openEnvironments();
    await user.click(within(rowNamed("Sales Production")).getByText("Sales Production"));
    await user.click(screen.getByTestId("env-membership"));
    const pane = within(await screen.findByTestId("env-membership-pane"));
    expect(pane.getByText("System Administrators")).toBeInTheDocument();
    const rows = await pane.findAllByTestId("sysadmin-row");
    expect(rows.map((r) => r.getAttribute("data-upn"))).toEqual([
      "MeganB@contoso.onmicrosoft.com",
      "PradeepG@contoso.onmicrosoft.com",
      "coe-sync-app@contoso.onmicrosoft.com",
      "adele.vance@demo.elevate.test",
    ]);
    expect(within(rows[1]).getByText("Disabled")).toBeInTheDocument();
    expect(within(rows[2]).getByText("Application user")).toBeInTheDocument();
    expect(within(rows[3]).getByText("You")).toBeInTheDocument();
    expect(within(rows[3]).getByText("Business unit: Inside Sales")).toBeInTheDocument();
    expect(p.environmentMembership).toHaveBeenCalledWith(SALES);
  });

  it("says why the list can't be read", async () => {
    p.environmentMembership.mockResolvedValue(membershipOf({ environmentId: INTRANET, administrators: [], youAreAdmin: false, unavailable: "This environment has no Dataverse database." }));
    const { user } = await openEnvironments();
    await user.click(within(rowNamed("Intranet")).getByText("Intranet"));
    await user.click(screen.getByTestId("env-membership"));
    expect(await screen.findByTestId("membership-unavailable")).toHaveTextContent("This environment has no Dataverse database.");
    expect(screen.queryByTestId("sysadmin-row")).not.toBeInTheDocument();
    expect(screen.getByTestId("membership-add-me")).toBeEnabled();
  });

  it("shows a failed fetch with Try again, and a partial list with the way to My roles", async () => {
    p.environments.mockRejectedValueOnce({ code: "forbidden", message: "Power Platform refused to list environments.", correlationId: "c-1" });
    p.environments.mockResolvedValueOnce(envList(ENVIRONMENTS.slice(0, 1), { partial: true }));
    const { user } = renderApp();
    await user.click(await screen.findByTestId("nav-environments"));
    expect(await screen.findByText("Power Platform refused to list environments.")).toBeInTheDocument();
    await user.click(screen.getByTestId("error-retry"));
    expect(await screen.findByTestId("env-partial")).toHaveTextContent("Only some environments are listed.");
    expect(screen.getAllByTestId("env-row")).toHaveLength(1);
    await user.click(screen.getByTestId("env-partial-roles"));
    expect(await screen.findByTestId("roles-tab-eligible")).toBeInTheDocument();
  });

  it("refreshes the list", async () => {
    const { user } = await openEnvironments();
    expect(p.environments).toHaveBeenCalledTimes(1);
    p.environments.mockResolvedValue(envList(ENVIRONMENTS.filter((e) => e.id !== RETIRED)));
    await user.click(screen.getByTestId("env-refresh"));
    await waitFor(() => expect(shownNames()).not.toContain("Retired CRM"));
    expect(p.environments).toHaveBeenCalledTimes(2);
  });

  it("shows System Administrators held through a team, and who comes from the team's Entra group", async () => {
    const team = { teamId: "t1", team: "Sales admins", group: "Sales Production Users", fromGroup: false };
    p.environmentMembership.mockResolvedValue(
      membershipOf({
        administrators: [
          { systemUserId: "u9", fullName: "Lee Gu", upn: "LeeG@contoso.onmicrosoft.com", isDisabled: false, isApplicationUser: false, businessUnit: "contososales", isYou: false, throughTeam: { teamId: "t0", team: "Owners", fromGroup: false } },
          { systemUserId: "u1", fullName: "Megan Bowen", upn: "MeganB@contoso.onmicrosoft.com", isDisabled: false, isApplicationUser: false, businessUnit: "contososales", isYou: false, throughTeam: team },
          { systemUserId: "o7", fullName: "Grady Archie", upn: "grady@contoso.onmicrosoft.com", isDisabled: false, isApplicationUser: false, businessUnit: "", isYou: false, throughTeam: { ...team, fromGroup: true } },
        ],
        teamsNote: "Elevate could not read the members of the group \"Finance\" from Microsoft Entra.",
      }),
    );
    const { user } = await openEnvironments();
    await user.click(within(rowNamed("Sales Production")).getByText("Sales Production"));
    await user.click(screen.getByTestId("env-membership"));
    const pane = within(await screen.findByTestId("env-membership-pane"));
    const lines = (await pane.findAllByTestId("sysadmin-through-team")).map((l) => l.textContent);
    expect(lines).toEqual([
      "Through team Owners",
      "Through team Sales admins (group Sales Production Users)",
      "Through team Sales admins: a member of the group Sales Production Users in Microsoft Entra (not listed in the environment until they open it)",
    ]);
    expect(pane.getByTestId("membership-teams-note")).toHaveTextContent("could not read the members");
  });

  it("shows what could be read of an environment and says what could not", async () => {
    const odd = { ...ENVIRONMENTS[0], type: "Unknown", unread: "Power Platform sent this environment's type in a form Elevate does not know, so it is not shown.", groupsUnknown: "Power Platform did not say whether this environment has a security group.", securityGroup: undefined };
    p.environments.mockResolvedValue(envList([odd, ...ENVIRONMENTS.slice(1)], { notShown: "Power Platform listed 1 more environment in a form Elevate could not read, so it is not shown here." }));
    const { user } = await openEnvironments();
    expect(screen.getByTestId("env-not-shown")).toHaveTextContent("1 more environment");
    await user.click(within(rowNamed(odd.displayName)).getByText(odd.displayName));
    await user.click(screen.getByTestId("env-details"));
    const pane = within(await screen.findByTestId("env-details-pane"));
    expect(pane.getByTestId("env-detail-unread")).toHaveTextContent("type in a form Elevate does not know");
    expect(pane.getByTestId("env-detail-groups-unknown")).toHaveTextContent("Unknown");
  });
});
