import { describe, expect, it } from "vitest";
import {
  EMPTY_VIEW,
  applyProgress,
  applyResult,
  filterHolders,
  flatHolders,
  removeQuestion,
  scanCounts,
  sortHolders,
  startRun,
  summary,
} from "../lib/inventory";
import { FINANCE, SALES } from "./environmentsFixtures";
import { DEFAULT_HOLDERS, SALES_HOLDERS, TEAMS, inventoryOf, planOf, progress, retried, scan } from "./inventoryFixtures";

const ALL = { kind: "all" as const, environmentIds: [], geo: "" };

describe("the inventory view", () => {
  it("a full run waits, fills in as environments finish, then takes the result", () => {
    let v = startRun(EMPTY_VIEW, [scan(SALES, "queued"), scan(FINANCE, "queued")], false, ALL);
    expect(v.scans.map((s) => [s.environmentName, s.status])).toEqual([
      ["Finance Production", "queued"],
      ["Sales Production", "queued"],
    ]);
    v = applyProgress(v, [progress(1, 2, scan(SALES, "done", { holders: 4 }), SALES_HOLDERS)]);
    expect(flatHolders(v)).toHaveLength(4);
    expect(v.scans.find((s) => s.environmentId === SALES)?.status).toBe("done");
    v = applyResult(v, inventoryOf(), false);
    expect(v.scans).toHaveLength(6);
    expect(flatHolders(v).map((h) => h.fullName)).toEqual([...DEFAULT_HOLDERS, ...SALES_HOLDERS].map((h) => h.fullName));
    expect(v.scope).toEqual(ALL);
  });

  it("a retry replaces only its environments, keeping the rest and the full run's scope", () => {
    const full = applyResult(startRun(EMPTY_VIEW, [], false, ALL), inventoryOf(), false);
    const retry = { kind: "environments" as const, environmentIds: [TEAMS, FINANCE], geo: "" };
    let v = startRun(full, [scan(TEAMS, "queued"), scan(FINANCE, "queued")], true, retry);
    expect(v.scans.find((s) => s.environmentId === FINANCE)?.status).toBe("queued");
    v = applyResult(v, retried(), true);
    expect(v.scans).toHaveLength(6);
    expect(flatHolders(v)).toHaveLength(9);
    expect(v.scope).toEqual(ALL);
    expect(scanCounts(v.scans)).toBe("4 read · 2 skipped");
  });

  it("a row the result never mentions stops waiting", () => {
    const v = applyResult(startRun(EMPTY_VIEW, [scan(SALES, "queued"), scan("gone", "queued")], false, ALL), inventoryOf(), true);
    expect(v.scans.find((s) => s.environmentId === "gone")?.status).toBe("cancelled");
  });
});

describe("holders", () => {
  const all = [...DEFAULT_HOLDERS, ...SALES_HOLDERS];
  it("summarises, filters and sorts", () => {
    expect(summary(all, inventoryOf().environments)).toBe("6 holders in 2 environments · 4 standing");
    expect(filterHolders(all, { text: "", standingOnly: true, hideApps: true }).map((h) => h.fullName)).toEqual(["Pradeep Gupta", "Isaiah Langer", "Megan Bowen"]);
    expect(filterHolders(all, { text: "INSIDE", standingOnly: false, hideApps: false }).map((h) => h.fullName)).toEqual(["Isaiah Langer"]);
    expect(sortHolders(all, { key: "pim", dir: "ascending" }).map((h) => h.pim)).toEqual(["permanent", "noRole", "noRole", "unknown", "eligible", "justInTime"]);
    expect(sortHolders(all, { key: "name", dir: "descending" })[0].fullName).toBe("Pradeep Gupta");
  });

  it("words the removal question", () => {
    expect(removeQuestion(planOf())).toBe("Remove 3 System Administrator assignments in 2 environments?");
    expect(removeQuestion(planOf({ removals: planOf().removals.slice(0, 1), environments: 1 }))).toBe("Remove 1 System Administrator assignment in 1 environment?");
  });
});
