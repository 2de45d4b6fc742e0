// The Environments page's list logic and the Add-me words. Pure functions: the screens and
// their tests share them. Written for 10,000 rows: the search key is built once per fetch, a
// filter is one pass with `includes`, and a sort happens only when the data or the order changes.
import type { Elevation, Environment, GroupRef, Preflight, PreflightCheck, RoleToActivate, Verdict } from "../platform";
import { hhmm, localDay } from "./roles";

export type SortKey = "name" | "type" | "state" | "region" | "dataverse" | "securityGroup" | "created";
export type SortDir = "ascending" | "descending";
export type Sort = { key: SortKey; dir: SortDir };

/**
 * One environment with what is computed once per fetch: its lowercase search text, and its place
 * in name order (every sort breaks ties by name, so no sort needs the collator for that again).
 */
export type EnvRow = { env: Environment; key: string; nameRank: number };

/** The filter bar as typed; "" = any. `region` is a geo code (`unitedstates`). */
export type EnvFilter = { text: string; type: string; region: string; state: string };
export const NO_ENV_FILTER: EnvFilter = { text: "", type: "", region: "", state: "" };

// The admin center's geo codes in the words it shows.
const GEO_NAMES: Record<string, string> = {
  unitedstates: "United States",
  europe: "Europe",
  unitedkingdom: "United Kingdom",
  asia: "Asia",
  australia: "Australia",
  canada: "Canada",
  japan: "Japan",
  india: "India",
  southamerica: "South America",
  france: "France",
  germany: "Germany",
  switzerland: "Switzerland",
  norway: "Norway",
  sweden: "Sweden",
  korea: "Korea",
  southafrica: "South Africa",
  uae: "United Arab Emirates",
  singapore: "Singapore",
  italy: "Italy",
  poland: "Poland",
  spain: "Spain",
  israel: "Israel",
  usgov: "US Government (GCC)",
  usgovhigh: "US Government (GCC High)",
  usdod: "US Department of Defense",
  china: "China",
};

/** `unitedstates` → "United States"; an unknown code as it came. */
export function geoName(geo: string): string {
  return GEO_NAMES[geo.toLowerCase()] ?? geo;
}

/** "United States (westus)". */
export function regionLabel(env: Pick<Environment, "geo" | "azureRegion">): string {
  const geo = geoName(env.geo);
  return env.azureRegion ? `${geo} (${env.azureRegion})` : geo;
}

/** A group by its name, or by its id when Graph would not tell the name. */
export function groupLabel(g: GroupRef | undefined): string {
  return g ? (g.name ?? g.id) : "";
}

/** The State column: the API's word, and "Disabled" when it says Ready but the environment is off. */
export function stateLabel(env: Pick<Environment, "state" | "enabled">): string {
  if (!env.enabled && (!env.state || env.state.toLowerCase() === "ready")) return "Disabled";
  return env.state || (env.enabled ? "Ready" : "Disabled");
}

/** The Created column: a local date, "" when unknown. */
export function createdLabel(env: Pick<Environment, "created">): string {
  return env.created ? localDay(env.created) : "";
}

/** Name, id, URL, type and region, lowercased once: what the search box looks in. */
export function searchKey(env: Environment): string {
  return [env.displayName, env.id, env.url ?? "", env.type, env.geo, geoName(env.geo), env.azureRegion]
    .join("\n")
    .toLowerCase();
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function indexEnvironments(list: readonly Environment[]): EnvRow[] {
  const order = list.map((_, i) => i).sort((a, b) => collator.compare(list[a].displayName, list[b].displayName));
  const out = new Array<EnvRow>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = { env: list[i], key: searchKey(list[i]), nameRank: 0 };
  order.forEach((at, rank) => (out[at].nameRank = rank));
  return out;
}

function sortValue(env: Environment, key: SortKey): string {
  switch (key) {
    case "name":
      return env.displayName;
    case "type":
      return env.type;
    case "state":
      return stateLabel(env);
    case "region":
      return regionLabel(env);
    case "dataverse":
      return env.hasDataverse ? "Yes" : "No";
    case "securityGroup":
      return groupLabel(env.securityGroup);
    case "created":
      // ISO 8601 in UTC sorts as text; unknown dates last when ascending.
      return env.created ?? "\uffff";
  }
}

/** A sorted copy; ties keep name order, so the list never jumps between equal rows. */
export function sortRows(rows: readonly EnvRow[], sort: Sort): EnvRow[] {
  const sign = sort.dir === "ascending" ? 1 : -1;
  // 10,000 rows make ~140,000 comparisons: collate the distinct values once (a column has few:
  // 8 regions, 5 types) and compare numbers after that.
  let ranks: number[] | undefined;
  if (sort.key !== "name") {
    const values = rows.map((r) => sortValue(r.env, sort.key));
    const distinct = [...new Set(values)].sort(
      sort.key === "created" ? (a, b) => (a < b ? -1 : a > b ? 1 : 0) : collator.compare,
    );
    const at = new Map(distinct.map((v, i) => [v, i]));
    ranks = values.map((v) => at.get(v)!);
  }
  const keyed = rows.map((r, i) => ({ r, p: ranks ? ranks[i] : r.nameRank, n: r.nameRank }));
  keyed.sort((a, b) => sign * (a.p - b.p) || a.n - b.n);
  return keyed.map((k) => k.r);
}

/** The rows matching every word of the search and each chosen dropdown, in the given order. */
export function filterRows(rows: readonly EnvRow[], f: EnvFilter): readonly EnvRow[] {
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && !f.type && !f.region && !f.state) return rows;
  const out: EnvRow[] = [];
  outer: for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (f.type && r.env.type !== f.type) continue;
    if (f.region && r.env.geo !== f.region) continue;
    if (f.state && stateLabel(r.env) !== f.state) continue;
    for (const w of words) if (!r.key.includes(w)) continue outer;
    out.push(r);
  }
  return out;
}

export type Facets = {
  types: string[];
  regions: { value: string; label: string }[];
  states: string[];
};

/** The dropdowns' choices: what occurs in the list, sorted. */
export function facets(list: readonly Environment[]): Facets {
  const types = new Set<string>();
  const geos = new Set<string>();
  const states = new Set<string>();
  for (const e of list) {
    types.add(e.type);
    geos.add(e.geo);
    states.add(stateLabel(e));
  }
  const sorted = (s: Set<string>) => [...s].filter(Boolean).sort(collator.compare);
  return {
    types: sorted(types),
    regions: sorted(geos)
      .map((g) => ({ value: g, label: geoName(g) }))
      .sort((a, b) => collator.compare(a.label, b.label)),
    states: sorted(states),
  };
}

// ---- Add me ----

export const VERDICT_WORDS: Record<Verdict, string> = {
  ready: "Ready",
  alreadyAdmin: "Already System Administrator",
  needsActivation: "Needs a role activated",
  blocked: "Blocked",
};

/** Why it would not work: the first failing line, else the first warning. */
export function firstProblem(p: Preflight): PreflightCheck | undefined {
  return p.checks.find((c) => c.status === "fail") ?? p.checks.find((c) => c.status === "warn");
}

/** "4 ready, 1 already System Administrator, 1 needs a role activated, 2 blocked". */
export function verdictCounts(list: readonly Preflight[]): string {
  const n = (v: Verdict) => list.filter((p) => p.verdict === v).length;
  const parts: string[] = [];
  if (n("ready")) parts.push(`${n("ready")} ready`);
  if (n("alreadyAdmin")) parts.push(`${n("alreadyAdmin")} already System Administrator`);
  if (n("needsActivation"))
    parts.push(`${n("needsActivation")} ${n("needsActivation") === 1 ? "needs" : "need"} a role activated`);
  if (n("blocked")) parts.push(`${n("blocked")} blocked`);
  return parts.join(", ");
}

/** The one role the guided path activates: the first one any environment asks for. */
export function roleToActivate(list: readonly Preflight[]): RoleToActivate | undefined {
  return list.find((p) => p.verdict === "needsActivation" && p.activate)?.activate;
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "until 14:05" (with the date when not today), or that it has no end. */
export function endsWords(endsAt: string | undefined, now: Date = new Date()): string {
  if (!endsAt) return "no end — your admin role is permanent";
  const d = new Date(endsAt);
  if (Number.isNaN(d.getTime())) return `until ${endsAt}`;
  return sameDay(d, now) ? `until ${hhmm(d)}` : `until ${localDay(endsAt)} ${hhmm(d)}`;
}

/** Whether an elevation's end is worth a line: only where the user is System Administrator. */
export function holdsAdmin(e: Pick<Elevation, "result">): boolean {
  return e.result === "elevated" || e.result === "alreadyAdmin";
}

export const RESULT_WORDS: Record<Elevation["result"], string> = {
  elevated: "Added",
  alreadyAdmin: "Already System Administrator",
  refused: "Refused",
  unconfirmed: "Not confirmed yet",
  skipped: "Not sent",
};
