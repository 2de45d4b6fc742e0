// The fake platform's System Administrator inventory: who holds the role in each demo environment,
// joined with a made-up PIM, read a few environments at a time with `inventory-progress` events,
// cancel and export. The clean-up (./fakeCleanup) removes from and restores to the same
// assignments, so a second run shows its effect. Part of the fake chunk; never loaded by the app.
//
//   &scanMs=N             time to read one environment (default 450; 10 with &envs=N)
//   &fail=inventory|pim|export   the run fails / PIM can't be read (PIM says Unknown) / export fails
//   &exportCancel         the save dialog is cancelled
import type { ApiError } from "./bindings/ApiError";
import type { Environment } from "./bindings/Environment";
import type { EnvironmentScan } from "./bindings/EnvironmentScan";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { Holder } from "./bindings/Holder";
import type { Inventory } from "./bindings/Inventory";
import type { InventoryProgress } from "./bindings/InventoryProgress";
import type { InventoryScope } from "./bindings/InventoryScope";
import type { JournalExport } from "./bindings/JournalExport";
import type { PimStatus } from "./bindings/PimStatus";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, "0").slice(-width);

export const ADELE_UPN = "adele.vance@demo.elevate.test";
const ADELE_OID = "5a7f0c3e-8d1b-4c2a-9e6f-1b2c3d4e5f60";
const FORBIDDEN =
  "Dataverse shows its System Administrators only to its own users with a role, and you are not one here. Add yourself (Environments → Add me), then retry this environment.";

/** A person (or application user) as the directory and PIM know them. */
type Person = { name: string; upn: string; oid?: string; pim: PimStatus; disabled?: boolean; app?: boolean };

const P = {
  megan: { name: "Megan Bowen", upn: "MeganB@contoso.onmicrosoft.com", oid: "353c05d8-cb61-5f28-924b-89e94eff9e59", pim: "permanent" },
  lee: { name: "Lee Gu", upn: "LeeG@contoso.onmicrosoft.com", oid: "6e1a52c0-2d8b-5a43-9f10-3c4d5e6f7a81", pim: "eligible" },
  isaiah: { name: "Isaiah Langer", upn: "IsaiahL@contoso.onmicrosoft.com", oid: "a0b680ff-8636-5269-a43a-1b0610c01240", pim: "noRole" },
  johanna: { name: "Johanna Lorenz", upn: "JohannaL@contoso.onmicrosoft.com", oid: "0c7d9e2f-4a6b-5c8d-8e0f-1a2b3c4d5e6f", pim: "justInTime" },
  miriam: { name: "Miriam Graham", upn: "MiriamG@contoso.onmicrosoft.com", oid: "9b8a7c6d-5e4f-5a3b-9c2d-1e0f9a8b7c6d", pim: "noRole" },
  pradeep: { name: "Pradeep Gupta", upn: "PradeepG@contoso.onmicrosoft.com", oid: "5ff53d44-989e-56a4-98ad-d4554213e90d", pim: "noRole", disabled: true },
  patti: { name: "Patti Fernandez", upn: "PattiF@contoso.onmicrosoft.com", oid: "2b3c4d5e-6f70-5182-93a4-b5c6d7e8f901", pim: "permanent" },
  lynne: { name: "Lynne Robbins", upn: "LynneR@contoso.onmicrosoft.com", oid: "7d6c5b4a-3928-5716-a5b4-c3d2e1f0a9b8", pim: "eligible" },
  nestor: { name: "Nestor Wilke (Fabrikam)", upn: "nestor.wilke_fabrikam.com#EXT#@contoso.onmicrosoft.com", oid: "4c5d6e7f-8091-52a3-b4c5-d6e7f8091a2b", pim: "noRole" },
  coe: { name: "CoE Sync (app)", upn: "coe-sync-app@contoso.onmicrosoft.com", pim: "unknown", app: true },
  backup: { name: "Dataverse Backup (app)", upn: "dv-backup-app@contoso.onmicrosoft.com", pim: "unknown", app: true },
} satisfies Record<string, Person>;
type Who = keyof typeof P | "adele";

/** One assignment: a person, and the business unit whose copy of the role they hold. */
export type Seat = { who: Who; bu?: string };

// The demo environments' System Administrators, by name. Adele is added where Add me made her one.
const SEATS: Record<string, Seat[]> = {
  "Contoso (default)": [{ who: "megan" }, { who: "patti" }, { who: "lee" }, { who: "coe" }, { who: "miriam" }],
  "Sales Production": [{ who: "megan" }, { who: "megan", bu: "Inside Sales" }, { who: "isaiah", bu: "Inside Sales" }, { who: "pradeep" }, { who: "johanna" }, { who: "lee" }, { who: "coe" }, { who: "nestor" }],
  "Finance Production": [{ who: "megan" }, { who: "patti" }, { who: "lynne" }, { who: "miriam" }, { who: "coe" }],
  "HR Sandbox": [{ who: "megan" }, { who: "johanna" }, { who: "miriam" }, { who: "lee" }],
  "Field Service UAT": [{ who: "megan" }, { who: "nestor" }, { who: "patti" }],
  "Marketing Trial": [{ who: "lynne" }, { who: "isaiah" }],
  "Adele's Developer": [{ who: "megan" }],
  "Contoso Teams Hub": [{ who: "megan" }, { who: "patti" }, { who: "johanna" }, { who: "coe" }, { who: "lynne" }],
  "Data Lake Sandbox": [{ who: "megan" }, { who: "miriam" }, { who: "backup" }],
  "Customer Service Canada": [{ who: "megan" }, { who: "patti" }, { who: "isaiah" }, { who: "pradeep" }, { who: "lee" }, { who: "coe" }],
  "Research Australia": [{ who: "lynne" }, { who: "nestor" }, { who: "backup" }],
  "Legal Hold Production": [{ who: "megan" }, { who: "patti" }, { who: "miriam" }, { who: "johanna" }, { who: "coe" }, { who: "isaiah" }],
};
// Where Dataverse refuses to list its System Administrators until Adele is one of its users.
const LOCKED = new Set(["Field Service UAT", "Data Lake Sandbox", "Research Australia"]);
// Busy on the first read (429), fine on a retry.
const BUSY_ONCE = new Set(["Legal Hold Production"]);
const ROTA: Who[] = ["megan", "lee", "isaiah", "johanna", "miriam", "pradeep", "patti", "lynne", "nestor", "coe"];

type RoleState = { active?: { name: string; end?: string }; eligible?: { roleId: string; name: string } };
type Envs = { all(): readonly Environment[]; youAreAdmin(id: string): boolean };

export function createFakeInventory(q: URLSearchParams, signedIn: () => boolean, envs: Envs, role: () => RoleState) {
  const fail = new Set((q.get("fail") ?? "").split(",").filter(Boolean));
  const generated = Number(q.get("envs") ?? "0") > 0;
  const scanMs = Number(q.get("scanMs") ?? (generated ? "10" : "450"));
  const list = envs.all();
  const index = new Map(list.map((e, i) => [e.id, i]));
  const listeners = new Set<(p: InventoryProgress) => void>();
  // The assignments as they are now (the clean-up changes them), created on first read.
  const seats = new Map<string, Seat[]>();
  const busy = new Set<string>();
  // What the export and the clean-up work from: the last run, with a retry's environments merged in.
  const known = new Map<string, { scan: EnvironmentScan; holders: Holder[] }>();
  let pimNote: string | undefined;
  let cancelled: (() => void) | undefined;

  const need = (what: string) => {
    if (!signedIn()) throw { code: "notSignedIn", message: "Sign in first." } satisfies ApiError;
    if (fail.has(what)) throw { code: "service", message: `The fake ${what} call failed, as asked by ?fail=${what}. Try again.`, correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8" } satisfies ApiError;
  };

  function seatsOf(e: Environment): Seat[] {
    let s = seats.get(e.id);
    if (!s) {
      const i = index.get(e.id) ?? 0;
      s = SEATS[e.displayName]?.map((x) => ({ ...x })) ?? Array.from({ length: 3 + (i % 5) }, (_, k) => ({ who: ROTA[(i + k * 3) % ROTA.length] }));
      seats.set(e.id, s);
    }
    return s;
  }

  function adelePim(): PimStatus {
    const r = role();
    if (r.active) return r.active.end ? "justInTime" : "permanent";
    return r.eligible ? "eligible" : "noRole";
  }

  function holderOf(e: Environment, seat: Seat, pimKnown: boolean): Holder {
    const person: Person = seat.who === "adele" ? { name: "Adele Vance", upn: ADELE_UPN, oid: ADELE_OID, pim: adelePim() } : P[seat.who];
    const i = index.get(e.id) ?? 0;
    const who = seat.who === "adele" ? 99 : ROTA.indexOf(seat.who) + 1 || 11;
    const root = e.url ? new URL(e.url).hostname.split(".")[0] : e.displayName;
    const bu = seat.bu ?? root;
    const pim: PimStatus = person.app || !pimKnown ? "unknown" : person.pim;
    return {
      environmentId: e.id,
      environmentName: e.displayName,
      systemUserId: `${hex(who * 2654435761 + i, 8)}-1b36-583b-9cc2-${hex(i * 977 + who, 12)}`,
      roleId: `${hex(i * 40503 + bu.length, 8)}-7e1d-5c2b-a3f4-${hex(bu.length * 131 + i, 12)}`,
      businessUnit: bu,
      fullName: person.name,
      upn: person.upn,
      ...(person.oid ? { objectId: person.oid } : {}),
      isDisabled: !!person.disabled,
      isApplicationUser: !!person.app,
      pim,
      standing: pim !== "justInTime" && pim !== "eligible",
    };
  }

  function scanOf(e: Environment, pimKnown: boolean): { scan: EnvironmentScan; holders: Holder[] } {
    const scan: EnvironmentScan = { environmentId: e.id, environmentName: e.displayName, geo: e.geo, status: "done", holders: 0 };
    if (!e.url) return { scan: { ...scan, status: "skipped", note: "No Dataverse database: no System Administrator role." }, holders: [] };
    if (!e.enabled) return { scan: { ...scan, status: "skipped", note: "Disabled: its Dataverse does not answer." }, holders: [] };
    const i = index.get(e.id) ?? 0;
    const locked = generated ? i % 9 === 4 : LOCKED.has(e.displayName);
    const you = envs.youAreAdmin(e.id);
    const correlationId = `${hex(Date.now(), 8)}-2c3d-4e5f-8a9b-${hex(i * 7919, 12)}`;
    if (locked && !you)
      return { scan: { ...scan, status: "failed", error: { code: "forbidden", message: FORBIDDEN, detail: "0x80040220: Principal user is missing prvReadSystemUser privilege.", correlationId } }, holders: [] };
    if (BUSY_ONCE.has(e.displayName) && !busy.has(e.id)) {
      busy.add(e.id);
      return { scan: { ...scan, status: "failed", error: { code: "throttled", message: "Dataverse is busy and asked Elevate to wait (429 Too Many Requests). Retry this environment in a minute.", correlationId } }, holders: [] };
    }
    const list = [...seatsOf(e)];
    if (you && !list.some((x) => x.who === "adele")) list.unshift({ who: "adele" });
    const holders = list.map((x) => holderOf(e, x, pimKnown));
    return { scan: { ...scan, holders: holders.length }, holders };
  }

  function inScope(scope: InventoryScope): Environment[] {
    if (scope.kind === "all") return [...list];
    if (scope.kind === "geo") return list.filter((e) => e.geo === scope.geo.trim().toLowerCase());
    return scope.environmentIds.map((id) => list[index.get(id) ?? -1]).filter((e): e is Environment => !!e);
  }

  const byName = (a: { environmentName: string }, b: { environmentName: string }) => a.environmentName.localeCompare(b.environmentName);

  return {
    async inventory(scope: InventoryScope): Promise<Inventory> {
      need("inventory");
      cancelled?.();
      const startedAt = new Date().toISOString();
      const jobs = inScope(scope);
      if (jobs.length === 0) throw { code: "notFound", message: "No environment is in that scope. Check the geo, or refresh the Environments list." } satisfies ApiError;
      const pimKnown = !fail.has("pim");
      let stop = false;
      let wake: () => void = () => {};
      const stopped = new Promise<void>((r) => (wake = r));
      cancelled = () => {
        stop = true;
        wake();
      };
      const total = jobs.length;
      const found: { scan: EnvironmentScan; holders: Holder[] }[] = [];
      const finish = (r: { scan: EnvironmentScan; holders: Holder[] }) => {
        found.push(r);
        const p: InventoryProgress = { done: found.length, total, scan: r.scan, holders: r.holders };
        listeners.forEach((l) => l(p));
      };
      // A few at a time, as Rust does (24 there; 3 here so the rows visibly arrive one by one).
      const queue = [...jobs];
      const worker = async () => {
        for (let e = queue.shift(); e; e = queue.shift()) {
          if (stop) {
            finish({ scan: { environmentId: e.id, environmentName: e.displayName, geo: e.geo, status: "cancelled", holders: 0 }, holders: [] });
            continue;
          }
          const cost = e.url && e.enabled ? scanMs * (0.6 + ((index.get(e.id) ?? 0) % 5) * 0.2) : scanMs / 5;
          await Promise.race([sleep(cost), stopped]);
          finish(stop ? { scan: { environmentId: e.id, environmentName: e.displayName, geo: e.geo, status: "cancelled", holders: 0 }, holders: [] } : scanOf(e, pimKnown));
        }
      };
      await Promise.all(Array.from({ length: generated ? 24 : 3 }, worker));
      cancelled = undefined;
      pimNote = pimKnown ? undefined : "PIM could not be read: seeing everyone's admin roles needs Global Reader or Privileged Role Administrator. The PIM column says Unknown, and every holder counts as standing.";
      if (scope.kind !== "environments") known.clear();
      for (const r of found) known.set(r.scan.environmentId, r);
      const environments = found.map((r) => r.scan).sort(byName);
      const holders = found.flatMap((r) => r.holders).sort((a, b) => byName(a, b) || a.fullName.localeCompare(b.fullName));
      return { startedAt, finishedAt: new Date().toISOString(), environments, holders, cancelled: stop, ...(pimNote ? { pimNote } : {}) };
    },
    async cancelInventory(): Promise<void> {
      cancelled?.();
    },
    async onInventoryProgress(cb: (p: InventoryProgress) => void) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async inventoryExport(format: ExportFormat): Promise<JournalExport | null> {
      await sleep(300);
      need("export");
      if (known.size === 0) throw { code: "invalidInput", message: "Run an inventory first: there is nothing to export yet." } satisfies ApiError;
      if (q.has("exportCancel")) return null;
      const count = [...known.values()].reduce((n, r) => n + r.holders.length, 0);
      return { path: `/home/adele/Documents/elevate-system-administrators-2026-05-01-0930.${format}`, count };
    },
    /** For the clean-up: every holder of the last inventory (retries merged in). */
    holders: (): Holder[] => [...known.values()].flatMap((r) => r.holders),
    /** For the clean-up's seeded runs. */
    environmentNamed: (name: string): Environment | undefined => list.find((e) => e.displayName === name),
    /** The clean-up takes a seat away (and forgets it in the last inventory); a rollback puts it back. */
    unseat(environmentId: string, seat: Seat): void {
      const e = list[index.get(environmentId) ?? -1];
      if (!e) return;
      const s = seatsOf(e);
      const at = s.findIndex((x) => x.who === seat.who && x.bu === seat.bu);
      if (at >= 0) s.splice(at, 1);
      const k = known.get(e.id);
      if (k) {
        const gone = holderOf(e, seat, true);
        known.set(e.id, { scan: k.scan, holders: k.holders.filter((x) => x.systemUserId !== gone.systemUserId || x.roleId !== gone.roleId) });
      }
    },
    seat(environmentId: string, seat: Seat): void {
      const e = list[index.get(environmentId) ?? -1];
      if (e && seat.who !== "adele") seatsOf(e).push(seat);
    },
    /** The seat behind a holder of the inventory. */
    seatOf(h: Pick<Holder, "upn" | "businessUnit" | "environmentId">): Seat | undefined {
      const who = h.upn === ADELE_UPN ? "adele" : (Object.keys(P) as (keyof typeof P)[]).find((k) => P[k].upn === h.upn);
      const e = list[index.get(h.environmentId) ?? -1];
      const root = e?.url ? new URL(e.url).hostname.split(".")[0] : e?.displayName;
      return who ? { who, ...(h.businessUnit !== root ? { bu: h.businessUnit } : {}) } : undefined;
    },
    /** A holder as the inventory would show it, for the clean-up's seeded runs. */
    holderFor(environmentId: string, seat: Seat): Holder | undefined {
      const e = list[index.get(environmentId) ?? -1];
      return e ? holderOf(e, seat, true) : undefined;
    },
  };
}
