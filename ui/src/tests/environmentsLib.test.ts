import { describe, expect, it } from "vitest";
import {
  NO_ENV_FILTER,
  endsWords,
  facets,
  filterRows,
  firstProblem,
  geoName,
  groupLabel,
  indexEnvironments,
  regionLabel,
  roleToActivate,
  sortRows,
  stateLabel,
  verdictCounts,
  type EnvFilter,
} from "../lib/environments";
import { ENVIRONMENTS, FINANCE, INTRANET, RETIRED, SALES, environment, many, preflightOf } from "./environmentsFixtures";

const rows = indexEnvironments(ENVIRONMENTS);
const names = (list: readonly { env: { displayName: string } }[]) => list.map((r) => r.env.displayName);
const find = (f: Partial<EnvFilter>) => names(filterRows(rows, { ...NO_ENV_FILTER, ...f }));

describe("environment words", () => {
  it("names geos as the admin center does and keeps an unknown code", () => {
    expect(geoName("unitedstates")).toBe("United States");
    expect(geoName("UnitedKingdom")).toBe("United Kingdom");
    expect(geoName("mars")).toBe("mars");
    expect(regionLabel({ geo: "europe", azureRegion: "westeurope" })).toBe("Europe (westeurope)");
    expect(regionLabel({ geo: "europe", azureRegion: "" })).toBe("Europe");
  });

  it("shows a group by name, else by id", () => {
    expect(groupLabel({ id: "g1", name: "Sales Production Users" })).toBe("Sales Production Users");
    expect(groupLabel({ id: "g1" })).toBe("g1");
    expect(groupLabel(undefined)).toBe("");
  });

  it("says Disabled for a disabled environment the API still calls Ready", () => {
    expect(stateLabel({ state: "Ready", enabled: true })).toBe("Ready");
    expect(stateLabel({ state: "Ready", enabled: false })).toBe("Disabled");
    expect(stateLabel({ state: "Suspended", enabled: false })).toBe("Suspended");
    expect(stateLabel({ state: "", enabled: true })).toBe("Ready");
  });
});

describe("filtering", () => {
  it("returns the same rows when nothing is filtered", () => {
    expect(filterRows(rows, NO_ENV_FILTER)).toBe(rows);
    expect(filterRows(rows, { ...NO_ENV_FILTER, text: "   " })).toBe(rows);
  });

  it("searches name, id, URL, type and region, case-insensitively", () => {
    expect(find({ text: "SALES" })).toEqual(["Sales Production"]);
    expect(find({ text: RETIRED.slice(0, 8).toUpperCase() })).toEqual(["Retired CRM"]);
    expect(find({ text: "crm4.dynamics" })).toEqual(["Finance Production", "Contoso Teams Hub"]);
    expect(find({ text: "teams" })).toEqual(["Contoso Teams Hub"]);
    expect(find({ text: "Europe" })).toEqual(["Finance Production", "Contoso Teams Hub"]);
    expect(find({ text: "eastus2" })).toEqual(["Retired CRM"]);
  });

  it("needs every word to match, in any order", () => {
    expect(find({ text: "production finance" })).toEqual(["Finance Production"]);
    expect(find({ text: "production nowhere" })).toEqual([]);
  });

  it("narrows by type, region (geo) and state, together with the search", () => {
    expect(find({ type: "Default" })).toEqual(["Contoso (default)"]);
    expect(find({ region: "europe" })).toEqual(["Finance Production", "Contoso Teams Hub"]);
    expect(find({ state: "Disabled" })).toEqual(["Retired CRM"]);
    expect(find({ type: "Production", region: "unitedstates", text: "i" })).toEqual(["Sales Production", "Retired CRM", "Intranet"]);
  });

  it("filters 10,000 rows in one quick pass", () => {
    const big = indexEnvironments(many(10_000));
    const t0 = performance.now();
    const out = filterRows(big, { ...NO_ENV_FILTER, text: "env 0999" });
    expect(performance.now() - t0).toBeLessThan(200);
    // Env 09990 … Env 09999, and Env 00999.
    expect(out).toHaveLength(11);
  });

  it("offers what occurs in the list as the dropdowns' choices", () => {
    const f = facets(ENVIRONMENTS);
    expect(f.types).toEqual(["Default", "Production", "Teams"]);
    expect(f.regions).toEqual([
      { value: "europe", label: "Europe" },
      { value: "unitedstates", label: "United States" },
    ]);
    expect(f.states).toEqual(["Disabled", "Ready"]);
  });
});

describe("sorting", () => {
  it("sorts by name both ways without changing the input", () => {
    const before = names(rows);
    expect(names(sortRows(rows, { key: "name", dir: "ascending" }))).toEqual([
      "Contoso (default)",
      "Contoso Teams Hub",
      "Finance Production",
      "Intranet",
      "Retired CRM",
      "Sales Production",
    ]);
    expect(names(sortRows(rows, { key: "name", dir: "descending" }))[0]).toBe("Sales Production");
    expect(names(rows)).toEqual(before);
  });

  it("sorts by created date with unknown dates last, and ties by name", () => {
    expect(names(sortRows(rows, { key: "created", dir: "ascending" }))).toEqual([
      "Retired CRM",
      "Contoso (default)",
      "Sales Production",
      "Finance Production",
      "Intranet",
      "Contoso Teams Hub",
    ]);
    // Four Production environments: ordered by name among themselves.
    expect(names(sortRows(rows, { key: "type", dir: "ascending" }))).toEqual([
      "Contoso (default)",
      "Finance Production",
      "Intranet",
      "Retired CRM",
      "Sales Production",
      "Contoso Teams Hub",
    ]);
  });

  it("sorts by Dataverse, state, region and security group", () => {
    expect(names(sortRows(rows, { key: "dataverse", dir: "ascending" }))[0]).toBe("Intranet");
    expect(names(sortRows(rows, { key: "state", dir: "ascending" }))[0]).toBe("Retired CRM");
    expect(names(sortRows(rows, { key: "region", dir: "ascending" })).slice(0, 2)).toEqual(["Contoso Teams Hub", "Finance Production"]);
    const bySg = sortRows(rows, { key: "securityGroup", dir: "descending" });
    // Names and ids compare as text: "Sales …" after "e94da142-…"; no group sorts first ascending.
    expect(names(bySg).slice(0, 2)).toEqual(["Sales Production", "Finance Production"]);
  });

  it("sorts numbers in names as numbers", () => {
    const list = indexEnvironments([environment({ id: "a", displayName: "Env 10" }), environment({ id: "b", displayName: "Env 9" })]);
    expect(names(sortRows(list, { key: "name", dir: "ascending" }))).toEqual(["Env 9", "Env 10"]);
  });
});

describe("add me words", () => {
  it("counts the verdicts in words", () => {
    const list = [
      preflightOf("ready"),
      preflightOf("ready", { environmentId: "b" }),
      preflightOf("alreadyAdmin", { environmentId: FINANCE }),
      preflightOf("blocked", { environmentId: RETIRED }),
      preflightOf("blocked", { environmentId: INTRANET }),
    ];
    expect(verdictCounts(list)).toBe("2 ready, 1 already System Administrator, 2 blocked");
    expect(verdictCounts([preflightOf("needsActivation")])).toBe("1 needs a role activated");
    expect(verdictCounts([preflightOf("needsActivation"), preflightOf("needsActivation")])).toBe("2 need a role activated");
  });

  it("names the first failing line, else the first warning", () => {
    expect(firstProblem(preflightOf("blocked"))?.title).toBe("The environment is disabled");
    expect(firstProblem(preflightOf("ready"))?.title).toBe("Not in your sign-in yet");
    expect(firstProblem(preflightOf("ready", { checks: [] }))).toBeUndefined();
  });

  it("activates the first role any environment asks for", () => {
    expect(roleToActivate([preflightOf("ready"), preflightOf("needsActivation", { environmentId: SALES })])?.name).toBe("Power Platform Administrator");
    expect(roleToActivate([preflightOf("ready")])).toBeUndefined();
  });

  it("says when System Administrator ends, in local time", () => {
    const now = new Date(2026, 4, 1, 9, 0);
    const later = new Date(2026, 4, 1, 14, 5);
    expect(endsWords(later.toISOString(), now)).toBe("until 14:05");
    expect(endsWords(new Date(2026, 4, 2, 8, 30).toISOString(), now)).toMatch(/^until .*2026 08:30$/);
    expect(endsWords(undefined, now)).toBe("no end — your admin role is permanent");
  });
});
