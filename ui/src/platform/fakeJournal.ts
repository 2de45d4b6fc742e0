// The fake platform's activity journal: a morning on the demo tenant, for looking at the
// Activity page in a plain browser. Part of the fake chunk; never loaded by the desktop app.
//
//   &journal=changed|torn|foreign|empty|fileOnly   the journal's state
import type { ExportFormat } from "./bindings/ExportFormat";
import type { JournalEntry } from "./bindings/JournalEntry";
import type { JournalExport } from "./bindings/JournalExport";
import type { JournalFilter } from "./bindings/JournalFilter";
import type { JournalHealth } from "./bindings/JournalHealth";
import type { JournalPage } from "./bindings/JournalPage";
import type { JournalRow } from "./bindings/JournalRow";

const TENANT = { kind: "demo" as const, id: "8d1c3b2a-5f4e-4a7b-9c6d-1e2f3a4b5c6d" };
const ADELE = { name: "Adele Vance", upn: "adele.vance@demo.elevate.test", oid: "5a7f0c3e-8d1b-4c2a-9e6f-1b2c3d4e5f60" };
const PPA = { kind: "directoryRole" as const, id: "11648597-926c-4cf3-9c36-bcebb0ba8dcc", name: "Power Platform Administrator" };

function mac(i: number): string {
  return (i * 2654435761).toString(16).padStart(8, "0").repeat(8).slice(0, 64);
}

function morning(): JournalRow[] {
  const day = new Date();
  day.setHours(8, 2, 0, 0);
  const at = (minutes: number) => new Date(day.getTime() + minutes * 60_000).toISOString();
  const entries: Omit<JournalEntry, "seq" | "prev">[] = [
    { time: at(0), tenant: TENANT, account: ADELE, action: "signIn", target: { kind: "tenant", id: TENANT.id, name: "Demo tenant" }, params: { signInMethod: "browser" }, result: { outcome: "succeeded" } },
    { time: at(3), tenant: TENANT, account: ADELE, action: "roleActivate", target: PPA, params: { durationMinutes: 120, ticketNumber: "INC0012345", ticketSystem: "ServiceNow", justification: "Restore the Sales environment's security roles after the import." }, result: { outcome: "succeeded" }, requestId: "b1f2c3d4-0000-4000-8000-000000000001", correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8", expiresAt: at(123) },
    { time: at(5), tenant: TENANT, account: ADELE, action: "selfElevate", target: { kind: "environment", id: "3c2d1e0f-aaaa-4bbb-8ccc-123456789abc", name: "Sales (Production)" }, params: { roleName: "System Administrator", ticketNumber: "INC0012345" }, result: { outcome: "succeeded" }, correlationId: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", expiresAt: at(123) },
    { time: at(6), tenant: TENANT, account: ADELE, action: "selfElevate", target: { kind: "environment", id: "9f8e7d6c-bbbb-4ccc-8ddd-abcdef012345", name: "Contoso HR" }, params: { roleName: "System Administrator" }, result: { outcome: "failed", code: "forbidden", message: "You are not a member of this environment's security group." }, correlationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
    { time: at(6.5), tenant: TENANT, account: ADELE, action: "selfElevate", target: { kind: "environment", id: "3c2d1e0f-aaaa-4bbb-8ccc-123456789abc", name: "Sales (Production)" }, params: { roleName: "System Administrator" }, result: { outcome: "alreadyDone", message: "Already System Administrator." } },
    { time: at(48), tenant: TENANT, account: ADELE, action: "roleDeactivate", target: PPA, params: { justification: "Done." }, result: { outcome: "succeeded" } },
    { time: at(50), tenant: TENANT, account: ADELE, action: "signOut", target: { kind: "tenant", id: TENANT.id, name: "Demo tenant" }, params: {}, result: { outcome: "succeeded" } },
  ];
  return entries.map((e, i) => ({
    segment: 1,
    line: i + 2,
    verified: true,
    mac: mac(i + 1),
    entry: { ...e, seq: i + 1, prev: i === 0 ? mac(0) : mac(i) },
  }));
}

export function createFakeJournal(q: URLSearchParams) {
  const state = q.get("journal");
  let rows = state === "empty" ? [] : morning();
  if (state === "changed") rows = rows.map((r) => (r.entry.seq >= 3 ? { ...r, verified: false } : r));

  const health = (): JournalHealth => ({
    status: state === "changed" ? "changed" : state === "torn" ? "tornTail" : state === "foreign" ? "foreign" : "intact",
    issues:
      state === "changed"
        ? [{ kind: "changed", segment: 1, entry: 3, line: 4, reason: "Entry 3 was changed after it was written." }]
        : state === "torn"
          ? [{ kind: "tornTail", segment: 1, entry: rows.length + 1 }]
          : state === "foreign"
            ? [{ kind: "foreign", segment: 2, reason: "It is not an Elevate activity journal." }]
            : [],
    entries: rows.filter((r) => r.verified).length,
    segments: state === "foreign" ? 2 : 1,
    protection: state === "fileOnly" ? "fileOnly" : "credentialStore",
    checkedAt: new Date().toISOString(),
  });

  const matches = (r: JournalRow, f: JournalFilter) => {
    const e = r.entry;
    const text = JSON.stringify(e).toLowerCase();
    return (
      (!f.action || f.action === e.action) &&
      (!f.outcome || f.outcome === e.result.outcome) &&
      (!f.environment || (e.target?.kind === "environment" && e.target.name === f.environment)) &&
      (!f.role || e.target?.name === f.role || e.params.roleName === f.role) &&
      (!f.text || text.includes(f.text.toLowerCase())) &&
      (!f.from || e.time >= f.from) &&
      (!f.to || e.time < f.to)
    );
  };

  return {
    async journalEntries(f: JournalFilter): Promise<JournalPage> {
      const matching = [...rows].reverse().filter((r) => matches(r, f));
      const names = (pick: (r: JournalRow) => string | undefined) =>
        [...new Set(rows.map(pick).filter((x): x is string => !!x))].sort();
      return {
        rows: matching.slice(0, f.limit ?? 500),
        matching: matching.length,
        total: rows.length,
        environments: names((r) => (r.entry.target?.kind === "environment" ? r.entry.target.name : undefined)),
        roles: names((r) => (r.entry.target?.kind === "directoryRole" ? r.entry.target.name : r.entry.params.roleName)),
      };
    },
    async journalVerify(): Promise<JournalHealth> {
      return health();
    },
    async journalExport(format: ExportFormat, f: JournalFilter): Promise<JournalExport | null> {
      return { path: `/home/adele/Documents/elevate-activity.${format}`, count: rows.filter((r) => matches(r, f)).length };
    },
    /** The fake's sign-in and sign-out add entries, like the real one. */
    record(e: Omit<JournalEntry, "seq" | "prev" | "time">) {
      const seq = rows.length + 1;
      rows = [...rows, { segment: 1, line: seq + 1, verified: true, mac: mac(seq), entry: { ...e, seq, prev: mac(seq - 1), time: new Date().toISOString() } }];
    },
  };
}
