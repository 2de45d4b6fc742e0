import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import type { Inventory, InventoryProgress } from "../platform";
import { FINANCE, RETIRED, SALES, elevation, envList, preflightOf } from "./environmentsFixtures";
import { deferred, renderApp, signedIn } from "./helpers";
import { FORBIDDEN, SALES_HOLDERS, TEAMS, inventoryOf, progress, retried, scan } from "./inventoryFixtures";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);
vi.setConfig({ testTimeout: 30_000 });

let emit: (e: InventoryProgress) => void;

beforeEach(() => {
  emit = () => {};
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: signedIn().account!, activeRoles: [] });
  p.environments.mockResolvedValue(envList());
  p.onInventoryProgress.mockImplementation(async (cb) => {
    emit = (e) => act(() => cb(e));
    return () => {
      emit = () => {};
    };
  });
});

async function openInventory() {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-inventory"));
  await screen.findByTestId("inv-run");
  return app;
}

/** Open the page and run an inventory that resolves with `inv`. */
async function inventoried(inv: Inventory = inventoryOf()) {
  p.inventory.mockResolvedValueOnce(inv);
  const app = await openInventory();
  await app.user.click(screen.getByTestId("inv-run"));
  await waitFor(() => expect(screen.queryByTestId("inv-progress")).not.toBeInTheDocument());
  await screen.findAllByTestId("inv-holder-row");
  return app;
}

const envRows = () => screen.queryAllByTestId("inv-env-row");
const envRow = (id: string) => envRows().find((r) => r.getAttribute("data-env-id") === id)!;
const holderRows = () => screen.queryAllByTestId("inv-holder-row");
const ALL = { kind: "all", environmentIds: [], geo: "" };

describe("system administrators: the run", () => {
  it("shows each environment's holders as it finishes, before the run resolves", async () => {
    const run = deferred<Inventory>();
    p.inventory.mockReturnValue(run.promise);
    const { user } = await openInventory();
    expect(document.title).toBe("System Administrators - Elevate");
    expect(screen.getByTestId("inv-empty")).toHaveTextContent("Run the inventory");
    await user.click(screen.getByTestId("inv-run"));
    expect(p.inventory).toHaveBeenCalledWith(ALL);

    // The scope's environments wait (their names from the Environments list) …
    await waitFor(() => expect(envRows()).toHaveLength(6));
    expect(envRows().map((r) => r.getAttribute("data-status"))).toEqual(Array(6).fill("queued"));
    expect(screen.getByTestId("inv-progress")).toBeInTheDocument();
    expect(screen.getByTestId("inv-cancel")).toBeInTheDocument();

    // … and one finishes: its row and holders are there while the run goes on.
    emit(progress(1, 6, scan(SALES, "done", { holders: 4 }), SALES_HOLDERS));
    await waitFor(() => expect(holderRows()).toHaveLength(4));
    expect(envRow(SALES)).toHaveAttribute("data-status", "done");
    expect(screen.getByTestId("inv-progress-text")).toHaveTextContent("1 of 6 environments · Sales Production done");
    expect(screen.getByTestId("inv-summary")).toHaveTextContent("4 holders in 1 environment · 3 standing");
    expect(p.inventory).toHaveBeenCalledTimes(1);

    run.resolve(inventoryOf());
    await waitFor(() => expect(screen.queryByTestId("inv-progress")).not.toBeInTheDocument());
    expect(holderRows()).toHaveLength(6);
    expect(screen.getByTestId("inv-summary")).toHaveTextContent("6 holders in 2 environments · 4 standing");
    expect(envRow(FINANCE)).toHaveAttribute("data-status", "failed");
    expect(within(envRow(FINANCE)).getByText(FORBIDDEN)).toBeInTheDocument();
    expect(within(envRow(RETIRED)).getByText("Disabled: its Dataverse does not answer.")).toBeInTheDocument();
    expect(screen.getByTestId("inv-env-counts")).toHaveTextContent("2 read · 2 skipped · 2 failed");
    expect(screen.getByTestId("inv-finished")).toHaveTextContent(/^Read at \d\d:\d\d$/);
    expect(screen.getByTestId("inv-failed-bar")).toHaveTextContent("2 environments could not be read");
  });

  it("lists the environments as waiting even when Run was pressed before the Environments list arrived", async () => {
    const list = deferred<ReturnType<typeof envList>>();
    p.environments.mockReturnValue(list.promise);
    p.inventory.mockReturnValue(deferred<Inventory>().promise);
    const { user } = await openInventory();
    await user.click(screen.getByTestId("inv-run"));
    expect(envRows()).toHaveLength(0);
    list.resolve(envList());
    await waitFor(() => expect(envRows()).toHaveLength(6));
    expect(envRows().map((r) => r.getAttribute("data-status"))).toEqual(Array(6).fill("queued"));
  });

  it("cancels through the platform; what was not read says so", async () => {
    const run = deferred<Inventory>();
    p.inventory.mockReturnValue(run.promise);
    const { user } = await openInventory();
    await user.click(screen.getByTestId("inv-run"));
    await user.click(await screen.findByTestId("inv-cancel"));
    expect(p.cancelInventory).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("inv-cancel")).toBeDisabled();
    run.resolve(inventoryOf({ cancelled: true, environments: [scan(SALES, "done", { holders: 4 }), scan(FINANCE, "cancelled")], holders: SALES_HOLDERS }));
    expect(await screen.findByTestId("inv-finished")).toHaveTextContent(/^Cancelled at/);
    expect(envRow(FINANCE)).toHaveAttribute("data-status", "cancelled");
    expect(envRow(FINANCE)).toHaveTextContent("Not read: the run was cancelled");
    expect(holderRows()).toHaveLength(4);
    expect(screen.getByTestId("inv-run")).toBeEnabled();
  });

  it("retries the failed environments only, and merges them into the list", async () => {
    const { user } = await inventoried();
    p.inventory.mockResolvedValueOnce(retried());
    await user.click(screen.getByTestId("inv-retry-failed"));
    expect(p.inventory).toHaveBeenLastCalledWith({ kind: "environments", environmentIds: [TEAMS, FINANCE], geo: "" });
    await waitFor(() => expect(envRow(FINANCE)).toHaveAttribute("data-status", "done"));
    expect(holderRows()).toHaveLength(9);
    expect(holderRows().filter((r) => r.getAttribute("data-env-id") === SALES)).toHaveLength(4);
    expect(screen.getByTestId("inv-summary")).toHaveTextContent("9 holders in 4 environments · 6 standing");
    expect(screen.queryByTestId("inv-failed-bar")).not.toBeInTheDocument();
  });

  it("adds the admin to the failed environments (preflight, Add me), then reads them again", async () => {
    const { user } = await inventoried();
    p.preflight.mockResolvedValue([
      preflightOf("ready", { environmentId: TEAMS, environmentName: "Contoso Teams Hub" }),
      preflightOf("ready", { environmentId: FINANCE, environmentName: "Finance Production" }),
    ]);
    p.addMe.mockResolvedValue([
      elevation({ environmentId: TEAMS, environmentName: "Contoso Teams Hub" }),
      elevation({ environmentId: FINANCE, environmentName: "Finance Production" }),
    ]);
    p.inventory.mockResolvedValueOnce(retried());
    await user.click(screen.getByTestId("inv-addme-failed"));
    await waitFor(() => expect(p.inventory).toHaveBeenCalledTimes(2));
    expect(p.preflight).toHaveBeenCalledWith([TEAMS, FINANCE]);
    expect(p.addMe).toHaveBeenCalledWith({ environmentIds: [TEAMS, FINANCE], tryAnyway: false });
    expect(p.inventory).toHaveBeenLastCalledWith({ kind: "environments", environmentIds: [TEAMS, FINANCE], geo: "" });
    expect(p.preflight.mock.invocationCallOrder[0]).toBeLessThan(p.addMe.mock.invocationCallOrder[0]);
    expect(p.addMe.mock.invocationCallOrder[0]).toBeLessThan(p.inventory.mock.invocationCallOrder[1]);
    expect(await screen.findByTestId("inv-addme-done")).toHaveTextContent("You are System Administrator in 2 of 2 environments now. Read again.");
    expect(envRow(TEAMS)).toHaveAttribute("data-status", "done");
    expect(holderRows()).toHaveLength(9);
  });

  it("sends nothing when the preflight says Add me would not work, and points to My roles", async () => {
    const { user } = await inventoried();
    p.preflight.mockResolvedValue([preflightOf("needsActivation", { environmentId: TEAMS }), preflightOf("needsActivation", { environmentId: FINANCE })]);
    await user.click(screen.getByTestId("inv-addme-failed"));
    const blocked = await screen.findByTestId("inv-addme-blocked");
    expect(blocked).toHaveTextContent("Power Platform Administrator is not active. Activate Power Platform Administrator in My roles, then try again.");
    expect(p.addMe).not.toHaveBeenCalled();
    expect(p.inventory).toHaveBeenCalledTimes(1);
    await user.click(within(blocked).getByTestId("inv-addme-roles"));
    expect(await screen.findByTestId("roles-tab-eligible")).toBeInTheDocument();
  });

  it("shows a failed run with Try again, keeping what was there; shows the PIM note", async () => {
    const { user } = await inventoried();
    p.inventory.mockRejectedValueOnce({ code: "network", message: "Elevate could not reach Power Platform. Check the connection.", correlationId: "c-9" });
    await user.click(screen.getByTestId("inv-run"));
    expect(await screen.findByText("Elevate could not reach Power Platform. Check the connection.")).toBeInTheDocument();
    expect(holderRows()).toHaveLength(6);
    expect(envRows()).toHaveLength(6);
    p.inventory.mockResolvedValueOnce(inventoryOf({ pimNote: "PIM could not be read: the PIM column says Unknown." }));
    await user.click(screen.getByTestId("error-retry"));
    expect(await screen.findByTestId("inv-pim-note")).toHaveTextContent("PIM could not be read");
    expect(screen.queryByTestId("error-bar")).not.toBeInTheDocument();
  });

  it("runs one geo, or the chosen environments", async () => {
    const { user } = await inventoried();
    await user.click(screen.getByTestId("inv-scope-geo"));
    expect(screen.getByTestId("inv-run")).toBeDisabled();
    await user.click(screen.getByTestId("inv-geo"));
    await user.click(await screen.findByRole("option", { name: "Europe (2)" }));
    p.inventory.mockResolvedValueOnce(inventoryOf());
    await user.click(screen.getByTestId("inv-run"));
    expect(p.inventory).toHaveBeenLastCalledWith({ kind: "geo", environmentIds: [], geo: "europe" });
    await waitFor(() => expect(screen.getByTestId("inv-run")).toBeEnabled());

    await user.click(screen.getByTestId("inv-scope-environments"));
    await user.type(screen.getByTestId("inv-environments"), "sales");
    // Fluent gives a multiselect combobox's list menu semantics.
    await user.click(await screen.findByRole("menuitemcheckbox", { name: "Sales Production" }));
    await user.type(screen.getByTestId("inv-environments"), "intra");
    await user.click(await screen.findByRole("menuitemcheckbox", { name: "Intranet" }));
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("inv-env-tags")).toHaveTextContent("Sales ProductionIntranet");
    p.inventory.mockResolvedValueOnce(inventoryOf());
    await user.click(screen.getByTestId("inv-run"));
    expect(p.inventory).toHaveBeenLastCalledWith({ kind: "environments", environmentIds: [SALES, "25cb1790-d6a8-5d6e-9098-e243dc1b7a1b"], geo: "" });
  });

  it("says before and after the run that without an admin role only some environments are covered, and offers the activation", async () => {
    p.environments.mockResolvedValue(envList(undefined, { partial: true }));
    const partial = "Only some environments were read. Activate one of those roles in My roles, then run the inventory again.";
    const { user } = await inventoried(inventoryOf({ partial }));
    expect(screen.getByTestId("inv-partial")).toHaveTextContent(partial);
    await user.click(screen.getByTestId("inv-partial-roles"));
    expect(await screen.findByTestId("roles-tab-eligible")).toBeInTheDocument();
  });

  it("warns before the run when the environment list is partial", async () => {
    p.environments.mockResolvedValue(envList(undefined, { partial: true }));
    await openInventory();
    expect(await screen.findByTestId("inv-partial")).toHaveTextContent("an inventory would miss the others");
  });
});

describe("system administrators: the list", () => {
  it("filters to standing holders, hides application users, searches", async () => {
    const { user } = await inventoried();
    expect(holderRows()).toHaveLength(6);
    await user.click(screen.getByTestId("inv-standing-only"));
    await waitFor(() => expect(holderRows()).toHaveLength(4));
    expect(holderRows().every((r) => r.getAttribute("data-standing") === "true")).toBe(true);
    expect(screen.getByTestId("inv-summary")).toHaveTextContent("6 holders in 2 environments · 4 standing · 4 shown");
    await user.click(screen.getByTestId("inv-hide-apps"));
    await waitFor(() => expect(holderRows()).toHaveLength(3));
    expect(holderRows().map((r) => r.getAttribute("data-upn"))).not.toContain("coe-sync-app@contoso.onmicrosoft.com");
    await user.type(screen.getByTestId("inv-search"), "inside sales");
    await waitFor(() => expect(holderRows().map((r) => r.getAttribute("data-upn"))).toEqual(["Isaiah@contoso.onmicrosoft.com"]));
    await user.type(screen.getByTestId("inv-search"), " nobody");
    expect(await screen.findByTestId("inv-empty")).toHaveTextContent("No holder matches");
    await user.click(screen.getByTestId("inv-clear-filters"));
    await waitFor(() => expect(holderRows()).toHaveLength(6));
  });

  it("is one tab stop: the arrow keys move, Space ticks", async () => {
    const { user } = await inventoried();
    const grid = screen.getByTestId("inv-grid");
    act(() => grid.focus());
    await user.keyboard("{ArrowDown}{ArrowDown} ");
    const third = holderRows()[2];
    expect(third).toHaveAttribute("aria-selected", "true");
    expect(grid.getAttribute("aria-activedescendant")).toBe(third.id);
    expect(screen.getByTestId("inv-picked")).toHaveTextContent("1 holder ticked");
    await user.keyboard(" ");
    expect(third).toHaveAttribute("aria-selected", "false");
  });

  it("says the PIM words, Disabled and Application user", async () => {
    await inventoried();
    const row = (name: string) => holderRows().find((r) => r.textContent?.includes(name))!;
    expect(within(row("Johanna Lorenz")).getByTestId("inv-pim")).toHaveTextContent("Just in time");
    expect(within(row("Megan Bowen")).getByTestId("inv-pim")).toHaveTextContent("Permanent admin");
    expect(within(row("Lee Gu")).getByTestId("inv-pim")).toHaveTextContent("Eligible");
    expect(within(row("Isaiah Langer")).getByTestId("inv-pim")).toHaveTextContent("No admin role");
    expect(within(row("CoE Sync (app)")).getByText("Application user")).toBeInTheDocument();
    expect(within(row("Pradeep Gupta")).getByTestId("inv-disabled")).toHaveTextContent("Disabled");
    expect(within(row("Isaiah Langer")).getByText("Inside Sales")).toBeInTheDocument();
  });

  it("exports the inventory as CSV or JSON and says where", async () => {
    p.inventoryExport.mockResolvedValueOnce({ path: "/home/adele/Documents/elevate-system-administrators.csv", count: 57 });
    p.inventoryExport.mockResolvedValueOnce(null);
    const { user } = await openInventory();
    expect(screen.getByTestId("inv-export-csv")).toBeDisabled();
    p.inventory.mockResolvedValueOnce(inventoryOf());
    await user.click(screen.getByTestId("inv-run"));
    await waitFor(() => expect(screen.getByTestId("inv-export-csv")).toBeEnabled());
    await user.click(screen.getByTestId("inv-export-csv"));
    expect(p.inventoryExport).toHaveBeenCalledWith("csv");
    expect(await screen.findByTestId("inv-export-done")).toHaveTextContent("Saved 57 rows to /home/adele/Documents/elevate-system-administrators.csv");
    // Cancelled in the save dialog: nothing new to say.
    await user.click(screen.getByTestId("inv-export-json"));
    expect(p.inventoryExport).toHaveBeenLastCalledWith("json");
    await waitFor(() => expect(screen.queryByTestId("inv-export-done")).not.toBeInTheDocument());
    expect(screen.queryByTestId("error-bar")).not.toBeInTheDocument();
  });

  it("keeps the results when leaving the page and coming back", async () => {
    const { user } = await inventoried();
    await user.click(screen.getByTestId("inv-standing-only"));
    await user.click(screen.getByTestId("nav-home"));
    await user.click(screen.getByTestId("nav-inventory"));
    await waitFor(() => expect(holderRows()).toHaveLength(4));
    expect(envRows()).toHaveLength(6);
  });
});
