import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import type { JournalHealth, JournalPage, JournalRow } from "../platform";
import { toJournalFilter } from "../screens/Activity";
import { NO_FILTER } from "../components/ActivityFilters";
import { renderApp, signedIn, signedOut } from "./helpers";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);

const TENANT = { kind: "demo" as const, id: "8d1c3b2a-5f4e-4a7b-9c6d-1e2f3a4b5c6d" };
const ADELE = { name: "Adele Vance", upn: "adele@contoso.onmicrosoft.com", oid: "oid-adele" };

function row(seq: number, over: Partial<JournalRow["entry"]> = {}, verified = true): JournalRow {
  return {
    segment: 1,
    line: seq + 1,
    verified,
    mac: "ab".repeat(32),
    entry: {
      seq,
      time: `2026-05-01T08:0${seq}:00.000Z`,
      tenant: TENANT,
      account: ADELE,
      action: "signIn",
      target: { kind: "tenant", id: TENANT.id, name: "Demo tenant" },
      params: { signInMethod: "browser" },
      result: { outcome: "succeeded" },
      prev: "cd".repeat(32),
      ...over,
    },
  };
}

const ROWS: JournalRow[] = [
  row(3, {
    action: "selfElevate",
    target: { kind: "environment", id: "env-1", name: "Sales (Production)" },
    params: { roleName: "System Administrator", ticketNumber: "INC0042", ticketSystem: "ServiceNow", justification: "Fix roles" },
    result: { outcome: "failed", code: "forbidden", message: "Not in the security group." },
    correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8",
  }),
  row(2, { action: "signOut", params: {} }),
  row(1),
];

function page(rows = ROWS, over: Partial<JournalPage> = {}): JournalPage {
  return { rows, matching: rows.length, total: rows.length, environments: ["Sales (Production)"], roles: ["System Administrator"], ...over };
}

function health(over: Partial<JournalHealth> = {}): JournalHealth {
  return { status: "intact", issues: [], entries: 3, segments: 1, protection: "credentialStore", checkedAt: "2026-05-01T09:00:00Z", ...over };
}

async function openActivity() {
  const app = renderApp();
  await app.user.click(await screen.findByTestId("nav-activity"));
  await screen.findByTestId("activity-grid");
  return app;
}

beforeEach(() => {
  p.onSignInProgress.mockResolvedValue(() => {});
  p.session.mockResolvedValue(signedIn());
  p.home.mockResolvedValue({ account: { name: "Adele Vance", upn: ADELE.upn, tenantId: TENANT.id, kind: "demo" }, activeRoles: [] });
  p.journalEntries.mockResolvedValue(page());
  p.journalVerify.mockResolvedValue(health());
});

describe("activity", () => {
  it("lists the entries newest first with action, target, account, result and ticket", async () => {
    await openActivity();
    const rows = screen.getAllByTestId("activity-row");
    expect(rows.map((r) => r.getAttribute("data-seq"))).toEqual(["3", "2", "1"]);
    const first = within(rows[0]);
    expect(first.getByText("Self-elevate")).toBeInTheDocument();
    expect(first.getByText("Sales (Production)")).toBeInTheDocument();
    expect(first.getByText("Adele Vance")).toBeInTheDocument();
    expect(first.getByText("Failed")).toBeInTheDocument();
    expect(first.getByText("ServiceNow INC0042")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Sign out")).toBeInTheDocument();
    expect(screen.getByTestId("activity-badge")).toHaveTextContent("Journal intact · 3 entries");
    expect(screen.getByTestId("activity-count")).toHaveTextContent("3 entries");
    expect(p.journalEntries).toHaveBeenCalledWith({});
    expect(document.title).toBe("Activity - Elevate");
  });

  it("is there before anyone signs in", async () => {
    p.session.mockResolvedValue(signedOut());
    await openActivity();
    expect(screen.getAllByTestId("activity-row")).toHaveLength(3);
  });

  it("says where the journal was changed, and marks what it cannot vouch for", async () => {
    p.journalVerify.mockResolvedValue(
      health({
        status: "changed",
        entries: 1,
        issues: [
          { kind: "changed", segment: 1, entry: 2, line: 3, reason: "Entry 2 was changed after it was written." },
          { kind: "tornTail", segment: 2, entry: 9 },
        ],
      }),
    );
    p.journalEntries.mockResolvedValue(page([ROWS[0], { ...ROWS[1], verified: false }, ROWS[2]]));
    await openActivity();
    expect(screen.getByTestId("activity-badge")).toHaveTextContent("Changed or cut at entry 2 in segment 1");
    const bar = screen.getByTestId("activity-health");
    expect(bar).toHaveTextContent("Entry 2 was changed after it was written.");
    expect(bar).toHaveTextContent("journal-0001.jsonl, line 3");
    expect(bar).toHaveTextContent("Elevate was interrupted while writing entry 9");
    expect(bar).toHaveAttribute("role", "alert");
    expect(within(screen.getAllByTestId("activity-row")[1]).getByLabelText(/Not verified/)).toBeInTheDocument();
  });

  it("explains a torn last entry, a foreign file, limited protection and a write failure", async () => {
    p.journalVerify.mockResolvedValue(health({ status: "tornTail", issues: [{ kind: "tornTail", segment: 1, entry: 4 }] }));
    const { unmount } = await openActivity();
    expect(screen.getByTestId("activity-badge")).toHaveTextContent(
      "Elevate was interrupted while writing entry 4; entries before it are intact",
    );
    unmount();

    p.journalVerify.mockResolvedValue(
      health({
        status: "foreign",
        protection: "fileOnly",
        writeError: "No space left on device",
        issues: [{ kind: "foreign", segment: 2, reason: "It is not an Elevate activity journal." }],
      }),
    );
    await openActivity();
    expect(screen.getByTestId("activity-badge")).toHaveTextContent("Segment 2 cannot be verified");
    const bar = screen.getByTestId("activity-health");
    expect(bar).toHaveTextContent("It is not an Elevate activity journal. Elevate left journal-0002.jsonl as it is");
    expect(bar).toHaveTextContent("a deliberate edit might not be");
    expect(screen.getByTestId("activity-write-error")).toHaveTextContent("No space left on device");
  });

  it("shows every detail of a selected entry, with the correlation ID to copy", async () => {
    const { user } = await openActivity();
    await user.click(within(screen.getAllByTestId("activity-row")[0]).getByText("Self-elevate"));
    const details = await screen.findByTestId("activity-details");
    for (const text of [
      "Not in the security group.",
      "forbidden",
      "adele@contoso.onmicrosoft.com",
      "System Administrator",
      "Fix roles",
      "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8",
      "journal-0001.jsonl, line 4",
    ]) {
      expect(details).toHaveTextContent(text);
    }
    expect(within(details).getByRole("button", { name: "Copy correlation ID" })).toBeInTheDocument();
    await user.click(within(details).getByRole("button", { name: "Close details" }));
    await waitFor(() => expect(screen.queryByTestId("activity-details")).not.toBeInTheDocument());
  });

  it("filters by action and by search text", async () => {
    const { user } = await openActivity();
    await user.click(screen.getByTestId("activity-filter-action"));
    await user.click(await screen.findByRole("option", { name: "Sign out" }));
    await waitFor(() => expect(p.journalEntries).toHaveBeenLastCalledWith({ action: "signOut" }));
    await user.type(screen.getByTestId("activity-search"), "INC0042");
    await waitFor(() => expect(p.journalEntries).toHaveBeenLastCalledWith({ action: "signOut", text: "INC0042" }));
    await user.click(screen.getByTestId("activity-filter-clear"));
    await waitFor(() => expect(p.journalEntries).toHaveBeenLastCalledWith({}));
  });

  it("says when only part of the matches is shown, and when nothing matches", async () => {
    p.journalEntries.mockResolvedValue(page(ROWS.slice(0, 2), { matching: 700, total: 900 }));
    await openActivity();
    expect(screen.getByTestId("activity-count")).toHaveTextContent("700 of 900 entries match · showing the newest 2");
  });

  it("exports through the platform with the current filter and names the file", async () => {
    p.journalExport.mockResolvedValueOnce({ path: "/home/adele/elevate-activity.csv", count: 3 });
    const { user } = await openActivity();
    await user.click(screen.getByTestId("activity-export-csv"));
    expect(await screen.findByTestId("activity-export-done")).toHaveTextContent(
      "Exported 3 entries to /home/adele/elevate-activity.csv",
    );
    expect(p.journalExport).toHaveBeenCalledWith("csv", {});

    // Cancelling the save dialog is not an error and says nothing.
    p.journalExport.mockResolvedValueOnce(null);
    await user.click(screen.getByTestId("activity-export-json"));
    await waitFor(() => expect(p.journalExport).toHaveBeenLastCalledWith("json", {}));
    await waitFor(() => expect(screen.queryByTestId("activity-export-done")).not.toBeInTheDocument());
    expect(screen.queryByTestId("error-bar")).not.toBeInTheDocument();

    p.journalExport.mockRejectedValueOnce({ code: "invalidInput", message: "Elevate could not save the export there." });
    await user.click(screen.getByTestId("activity-export-json"));
    expect(await screen.findByTestId("error-bar")).toHaveTextContent("Elevate could not save the export there.");
  });

  it("shows an empty journal plainly", async () => {
    p.journalEntries.mockResolvedValue(page([]));
    p.journalVerify.mockResolvedValue(health({ entries: 0 }));
    const { user } = renderApp();
    await user.click(await screen.findByTestId("nav-activity"));
    expect(await screen.findByTestId("activity-empty")).toHaveTextContent("Nothing recorded yet.");
    expect(screen.getByTestId("activity-badge")).toHaveTextContent("Journal intact · 0 entries");
  });
});

describe("activity filter", () => {
  it("turns local days into instants, the 'to' day included", () => {
    expect(toJournalFilter(NO_FILTER)).toEqual({});
    const f = toJournalFilter({ ...NO_FILTER, period: "custom", from: "2026-05-01", to: "2026-05-01", text: "  adele ", action: "signIn" });
    expect(f.action).toBe("signIn");
    expect(f.text).toBe("adele");
    expect(new Date(f.from!).getTime()).toBe(new Date(2026, 4, 1).getTime());
    expect(new Date(f.to!).getTime()).toBe(new Date(2026, 4, 2).getTime());
    expect(toJournalFilter({ ...NO_FILTER, period: "custom", from: "not a date" })).toEqual({});
    const now = new Date(2026, 4, 10, 15, 30);
    expect(toJournalFilter({ ...NO_FILTER, period: "today" }, now)).toEqual({ from: new Date(2026, 4, 10).toISOString() });
    expect(toJournalFilter({ ...NO_FILTER, period: "week" }, now)).toEqual({ from: new Date(2026, 4, 4).toISOString() });
    expect(toJournalFilter({ ...NO_FILTER, period: "month" }, now)).toEqual({ from: new Date(2026, 3, 11).toISOString() });
  });

  it("offers custom dates that start as today, so what is shown is what is applied", async () => {
    const { user } = await openActivity();
    await user.click(screen.getByTestId("activity-filter-period"));
    await user.click(await screen.findByRole("option", { name: "Custom dates" }));
    const from = screen.getByTestId("activity-filter-from") as HTMLInputElement;
    expect(from.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((screen.getByTestId("activity-filter-to") as HTMLInputElement).value).toBe(from.value);
    await waitFor(() => expect(p.journalEntries).toHaveBeenLastCalledWith({ from: expect.any(String), to: expect.any(String) }));
  });

  it("debounces typing into one query", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { user } = await openActivity();
      const before = p.journalEntries.mock.calls.length;
      await user.type(screen.getByTestId("activity-search"), "sales");
      await act(async () => {
        vi.advanceTimersByTime(300);
      });
      await waitFor(() => expect(p.journalEntries).toHaveBeenLastCalledWith({ text: "sales" }));
      expect(p.journalEntries.mock.calls.length - before).toBeLessThanOrEqual(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
