// The System Administrators page's logic: the view a run builds up from its events and its
// result, the holders' filter, sort and summary, and the words. Pure functions: the screen and
// its tests share them. Written for 10,000 holders: one pass per filter, a sort only on change.
import type {
  CleanupPlan,
  EnvironmentScan,
  Holder,
  HolderRef,
  Inventory,
  InventoryProgress,
  InventoryScope,
  PimStatus,
  RemovalResult,
  ScanStatus,
  TeamHold,
} from "../platform";

/** What the page shows of the inventory: kept across runs so a retry merges into it. */
export type InventoryView = {
  /** In name order. */
  scans: EnvironmentScan[];
  /** By environment id, so a retry replaces exactly its environments' holders. */
  holders: Record<string, Holder[]>;
  pimNote?: string;
  /** The run covered only the environments Power Platform shows without an admin role. */
  partial?: string;
  finishedAt?: string;
  cancelled: boolean;
  /** The scope of the last full run (not a retry): what "Run the inventory again" repeats. */
  scope: InventoryScope | null;
};

export const EMPTY_VIEW: InventoryView = { scans: [], holders: {}, cancelled: false, scope: null };

export const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** How a team-held holder holds System Administrator, in the admin center's words. */
export function teamLine(t: TeamHold): string {
  if (t.fromGroup && t.group)
    return `Through team ${t.team}: a member of the group ${t.group} in Microsoft Entra (not listed in the environment until they open it)`;
  if (t.group) return `Through team ${t.team} (group ${t.group})`;
  return `Through team ${t.team}`;
}

/** A holder's identity in the inventory (one user, one copy of the role, one environment). */
export const holderKey = (h: HolderRef) => `${h.environmentId}|${h.systemUserId}|${h.roleId}`;
export const refOf = (h: HolderRef): HolderRef => ({ environmentId: h.environmentId, systemUserId: h.systemUserId, roleId: h.roleId });

const byName = (a: { environmentName: string }, b: { environmentName: string }) =>
  a.environmentName.localeCompare(b.environmentName, undefined, { sensitivity: "base" });

function upsert(scans: readonly EnvironmentScan[], next: readonly EnvironmentScan[]): EnvironmentScan[] {
  const map = new Map(scans.map((s) => [s.environmentId, s]));
  for (const s of next) map.set(s.environmentId, s);
  return [...map.values()].sort(byName);
}

/**
 * A run starts: a full run replaces the view with its environments as Waiting (the names come
 * from the Environments list, when it is known); a retry marks only its own as Waiting again.
 */
export function startRun(view: InventoryView, queued: readonly EnvironmentScan[], retry: boolean, scope: InventoryScope): InventoryView {
  if (!retry) return { scans: [...queued].sort(byName), holders: {}, cancelled: false, scope };
  const holders = { ...view.holders };
  for (const s of queued) delete holders[s.environmentId];
  return { ...view, scans: upsert(view.scans, queued), holders };
}

/**
 * The Environments list arrived after the run started: its environments not heard of yet wait as
 * rows too. Rows already there (finished, failed) stay as they are.
 */
export function addWaiting(view: InventoryView, queued: readonly EnvironmentScan[]): InventoryView {
  const known = new Set(view.scans.map((s) => s.environmentId));
  const missing = queued.filter((q) => !known.has(q.environmentId));
  return missing.length === 0 ? view : { ...view, scans: [...view.scans, ...missing].sort(byName) };
}

/** Environments finished (one event each): their rows and their holders, before the run resolves. */
export function applyProgress(view: InventoryView, events: readonly InventoryProgress[]): InventoryView {
  if (events.length === 0) return view;
  const holders = { ...view.holders };
  for (const p of events) holders[p.scan.environmentId] = p.holders;
  return { ...view, scans: upsert(view.scans, events.map((p) => p.scan)), holders };
}

/** The run's result is the truth for its environments: a full run's replaces, a retry's merges. */
export function applyResult(view: InventoryView, inv: Inventory, retry: boolean): InventoryView {
  const holders: Record<string, Holder[]> = retry ? { ...view.holders } : {};
  for (const s of inv.environments) holders[s.environmentId] = [];
  for (const h of inv.holders) (holders[h.environmentId] ??= []).push(h);
  const scans = retry ? upsert(view.scans, inv.environments) : [...inv.environments].sort(byName);
  // Waiting rows the run never reached (a list changed in between) would wait forever.
  const settled = scans.map((s) => (s.status === "queued" || s.status === "running" ? { ...s, status: "cancelled" as const } : s));
  return { ...view, scans: settled, holders, pimNote: inv.pimNote, partial: inv.partial, finishedAt: inv.finishedAt, cancelled: inv.cancelled };
}

/** Every holder, environment by environment then by name (the order Rust exports). */
export function flatHolders(view: InventoryView): Holder[] {
  const out: Holder[] = [];
  for (const s of view.scans) for (const h of view.holders[s.environmentId] ?? []) out.push(h);
  return out;
}

export const failedIds = (scans: readonly EnvironmentScan[]) => scans.filter((s) => s.status === "failed").map((s) => s.environmentId);

/** "57 holders in 11 environments · 48 standing". */
export function summary(holders: readonly Holder[], scans: readonly EnvironmentScan[]): string {
  const read = scans.filter((s) => s.status === "done").length;
  const standing = holders.reduce((c, h) => c + (h.standing ? 1 : 0), 0);
  return `${n(holders.length, "holder")} in ${n(read, "environment")} · ${standing} standing`;
}

/** "9 read · 2 skipped · 3 failed". */
export function scanCounts(scans: readonly EnvironmentScan[]): string {
  const c: Partial<Record<ScanStatus, number>> = {};
  for (const s of scans) c[s.status] = (c[s.status] ?? 0) + 1;
  const parts = [
    c.done ? `${c.done} read` : "",
    c.queued || c.running ? `${(c.queued ?? 0) + (c.running ?? 0)} waiting` : "",
    c.skipped ? `${c.skipped} skipped` : "",
    c.failed ? `${c.failed} failed` : "",
    c.cancelled ? `${c.cancelled} cancelled` : "",
  ];
  return parts.filter(Boolean).join(" · ");
}

export const SCAN_WORDS: Record<ScanStatus, string> = {
  queued: "Waiting",
  running: "Reading",
  done: "Done",
  skipped: "Skipped",
  failed: "Failed",
  cancelled: "Cancelled",
};
export const SCAN_COLORS: Record<ScanStatus, "subtle" | "informative" | "success" | "warning" | "danger"> = {
  queued: "subtle",
  running: "informative",
  done: "success",
  skipped: "subtle",
  failed: "danger",
  cancelled: "warning",
};

export const PIM_WORDS: Record<PimStatus, string> = {
  justInTime: "Just in time",
  eligible: "Eligible",
  permanent: "Permanent admin",
  noRole: "No admin role",
  unknown: "Unknown",
};
export const PIM_HELP: Record<PimStatus, string> = {
  justInTime: "Holds Global, Power Platform or Dynamics 365 Administrator through a PIM activation right now. Microsoft removes System Administrator again when the activation ends.",
  eligible: "Eligible for Global, Power Platform or Dynamics 365 Administrator in PIM, not active now: can become System Administrator again just in time, when needed.",
  permanent: "Holds Global, Power Platform or Dynamics 365 Administrator permanently, so nothing ever takes System Administrator away. Make the role eligible in PIM instead.",
  noRole: "Holds no tenant admin role, eligible or active (or is not a person of this directory). The assignment stays until someone removes it.",
  unknown: "PIM could not be read for this holder (see the note above the list), or it is an application user, which PIM does not manage.",
};

export type HolderFilter = { text: string; standingOnly: boolean; hideApps: boolean };
export const NO_HOLDER_FILTER: HolderFilter = { text: "", standingOnly: false, hideApps: false };

export const isFiltered = (f: HolderFilter) => f.text.trim() !== "" || f.standingOnly || f.hideApps;

export function filterHolders(rows: readonly Holder[], f: HolderFilter): readonly Holder[] {
  const text = f.text.trim().toLowerCase();
  if (!text && !f.standingOnly && !f.hideApps) return rows;
  return rows.filter(
    (h) =>
      (!f.standingOnly || h.standing) &&
      (!f.hideApps || !h.isApplicationUser) &&
      (!text ||
        h.fullName.toLowerCase().includes(text) ||
        h.upn.toLowerCase().includes(text) ||
        h.environmentName.toLowerCase().includes(text) ||
        h.businessUnit.toLowerCase().includes(text)),
  );
}

export type HolderSortKey = "name" | "upn" | "environment" | "businessUnit" | "kind" | "pim" | "standing";
export type HolderSort = { key: HolderSortKey; dir: "ascending" | "descending" };
export const DEFAULT_HOLDER_SORT: HolderSort = { key: "environment", dir: "ascending" };

const PIM_ORDER: Record<PimStatus, number> = { permanent: 0, noRole: 1, unknown: 2, eligible: 3, justInTime: 4 };
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const kindOf = (h: Holder) => (h.isApplicationUser ? 1 : 0) * 2 + (h.isDisabled ? 1 : 0);

/** Sorted copy; ties keep the inventory's order (environment, then name). */
export function sortHolders(rows: readonly Holder[], sort: HolderSort): readonly Holder[] {
  if (sort.key === "environment" && sort.dir === "ascending") return rows;
  const key: (h: Holder) => string | number = {
    name: (h: Holder) => h.fullName,
    upn: (h: Holder) => h.upn,
    environment: (h: Holder) => h.environmentName,
    businessUnit: (h: Holder) => h.businessUnit,
    kind: kindOf,
    pim: (h: Holder) => PIM_ORDER[h.pim],
    standing: (h: Holder) => (h.standing ? 0 : 1),
  }[sort.key];
  const sign = sort.dir === "ascending" ? 1 : -1;
  return rows
    .map((h, i) => ({ h, i, k: key(h) }))
    .sort((a, b) => {
      const c = typeof a.k === "number" && typeof b.k === "number" ? a.k - b.k : collator.compare(String(a.k), String(b.k));
      return c !== 0 ? c * sign : a.i - b.i;
    })
    .map((x) => x.h);
}

export const REMOVAL_WORDS: Record<RemovalResult, string> = {
  removed: "Removed",
  alreadyDone: "Already removed",
  failed: "Failed",
  restored: "Put back",
  unknown: "No answer",
};
export const REMOVAL_COLORS: Record<RemovalResult, "success" | "subtle" | "danger" | "informative" | "warning"> = {
  removed: "success",
  alreadyDone: "subtle",
  failed: "danger",
  restored: "informative",
  unknown: "warning",
};

/** "Remove 12 System Administrator assignments in 5 environments?" */
export function removeQuestion(plan: Pick<CleanupPlan, "removals" | "environments">): string {
  return `Remove ${n(plan.removals.length, "System Administrator assignment")} in ${n(plan.environments, "environment")}?`;
}
