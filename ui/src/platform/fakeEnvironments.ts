// The fake platform's Power Platform: the demo tenant's environments (as the Rust tenant
// emulator's demo scenario has them), their System Administrators, a preflight that follows the
// fake PIM's state, and Add me. Part of the fake chunk; never loaded by the desktop app.
//
//   &envs=N               N generated environments instead of the demo ones (e.g. 10000)
//   &partial              the list is partial (as when no admin role is active)
//   &fail=environments|membership|preflight|addMe   that call fails with an ApiError
//   &elevateMs=N          how long Add me takes per environment (default 900)
import { hhmm } from "../lib/roles";
import type { AddMeInput } from "./bindings/AddMeInput";
import type { ApiError } from "./bindings/ApiError";
import type { Elevation } from "./bindings/Elevation";
import type { ElevationProgress } from "./bindings/ElevationProgress";
import type { Environment } from "./bindings/Environment";
import type { EnvironmentList } from "./bindings/EnvironmentList";
import type { JournalEntry } from "./bindings/JournalEntry";
import type { Membership } from "./bindings/Membership";
import type { Preflight } from "./bindings/Preflight";
import type { PreflightCheck } from "./bindings/PreflightCheck";
import type { SystemAdministrator } from "./bindings/SystemAdministrator";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TENANT = "8d1c3b2a-5f4e-4a7b-9c6d-1e2f3a4b5c6d";
const ADELE = { name: "Adele Vance", upn: "adele.vance@demo.elevate.test", oid: "5a7f0c3e-8d1b-4c2a-9e6f-1b2c3d4e5f60" };

// The Dataverse host per geo, as Microsoft assigns them.
const CRM: Record<string, string> = {
  unitedstates: "crm",
  europe: "crm4",
  unitedkingdom: "crm11",
  asia: "crm5",
  australia: "crm6",
  canada: "crm3",
  japan: "crm7",
  india: "crm8",
};

type Seed = [id: string, name: string, type: string, geo: string, region: string, domain: string | null, created: string, extra?: Partial<Environment>];

const DEMO: Seed[] = [
  [`Default-${TENANT}`, "Contoso (default)", "Default", "unitedstates", "westus", "contoso", "2019-03-04T17:12:45Z"],
  ["87260dde-2046-5ab2-9ba1-a11d7734a2f2", "Sales Production", "Production", "unitedstates", "eastus", "contososales", "2020-10-22T04:38:17Z", { securityGroup: { id: "7592d90c-93a3-5834-b25c-d9086eda38fd", name: "Sales Production Users" } }],
  ["517517f4-d9ca-53f1-bc38-3f35725ca516", "Finance Production", "Production", "europe", "westeurope", "contosofinance", "2021-02-15T09:20:00Z", { securityGroup: { id: "e94da142-ef64-52e1-8a30-75b588c642ab" } }],
  ["aca36cfe-9ac5-5d83-8a07-7940979312bd", "HR Sandbox", "Sandbox", "unitedstates", "westus2", "contosohr-sbx", "2022-05-09T13:01:10Z"],
  ["2ed975e2-452d-51be-bf1c-3e4b73afc252", "Field Service UAT", "Sandbox", "unitedkingdom", "uksouth", "contosofs-uat", "2023-01-17T10:45:33Z"],
  ["c981c4a6-ded3-5769-9283-c28bec03406a", "Marketing Trial", "Trial", "unitedstates", "centralus", "contosomkt-trial", "2025-06-02T08:00:00Z"],
  ["e0cdeb38-cb38-5eda-bd4f-2991f122b4ae", "Adele's Developer", "Developer", "unitedstates", "westus", "adele-dev", "2024-09-12T15:30:00Z"],
  ["c43c6aca-53f1-5cca-bc1f-a21c9e8b1166", "Contoso Teams Hub", "Teams", "europe", "northeurope", "contosoteams", "2023-08-21T11:11:11Z", { connectedGroup: { id: "aa29cf17-fee1-596b-8489-029ff9491ccb", name: "Contoso Operations" } }],
  ["a61657f3-e683-5c2b-b4fd-dde66e85bc76", "Retired CRM", "Production", "unitedstates", "eastus2", "contosocrm-old", "2018-11-05T09:00:00Z", { state: "Disabled", enabled: false }],
  ["25cb1790-d6a8-5d6e-9098-e243dc1b7a1b", "Intranet", "Production", "unitedstates", "westus", null, "2021-07-01T07:07:07Z"],
  ["dd51311c-48e9-59d0-9400-5b723e75fb91", "Data Lake Sandbox", "Sandbox", "asia", "southeastasia", "contosodatalake", "2024-03-18T03:25:00Z"],
  ["6b48fedc-867d-5c27-8b3d-1a54d79112c7", "Customer Service Canada", "Production", "canada", "canadacentral", "contosocs-ca", "2022-11-30T16:40:00Z"],
  ["f64fba0c-132e-5e4d-aea6-09dfda5cfd2c", "Research Australia", "Sandbox", "australia", "australiaeast", "contosoresearch", "2025-02-20T22:10:00Z"],
  ["3f1a9c2e-7b4d-5e60-8a1f-2c3d4e5f6a7b", "Legal Hold Production", "Production", "europe", "westeurope", "contosolegal", "2020-04-01T12:00:00Z"],
];

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, "0").slice(-width);
}

function env([id, displayName, type, geo, azureRegion, domain, created, extra]: Seed, n: number): Environment {
  const base: Environment = { id, displayName, type, state: "Ready", enabled: true, geo, azureRegion, hasDataverse: !!domain, created };
  if (domain) {
    base.url = `https://${domain}.${CRM[geo] ?? "crm"}.dynamics.com/`;
    base.organizationId = `${hex(n * 2654435761, 8)}-5f4e-4a7b-9c6d-${hex(n * 40503, 12)}`;
    base.version = "9.2.25021.00214";
  }
  return { ...base, ...extra };
}

const TEAMS = ["Sales", "Finance", "HR", "Operations", "Marketing", "Support", "Legal", "Research"];
const SKUS = ["Production", "Sandbox", "Developer", "Trial"];
const GEOS = Object.entries({ unitedstates: "westus", europe: "westeurope", unitedkingdom: "uksouth", asia: "southeastasia", australia: "australiaeast", canada: "canadacentral", japan: "japaneast", india: "centralindia" });

/** Like the emulator's `large` scenario: every 10th with Dataverse, a few disabled, some with a group. */
function generated(count: number): Environment[] {
  return Array.from({ length: count }, (_, i) => {
    const [geo, region] = GEOS[i % GEOS.length];
    const type = i === 0 ? "Default" : SKUS[i % SKUS.length];
    const team = TEAMS[Math.floor(i / 7) % TEAMS.length];
    const id = i === 0 ? `Default-${TENANT}` : `${hex(i * 2654435761, 8)}-${hex(i, 4)}-5${hex(i * 7, 3)}-8${hex(i * 13, 3)}-${hex(i * 40503, 12)}`;
    const name = i === 0 ? "Contoso (default)" : `${team} ${type} ${String(i).padStart(5, "0")}`;
    const created = `2023-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}T08:${String(i % 60).padStart(2, "0")}:00Z`;
    const extra: Partial<Environment> = i % 97 === 5 ? { state: "Disabled", enabled: false } : {};
    if (i % 13 === 3) extra.securityGroup = { id: `${hex(i * 31, 8)}-93a3-5834-b25c-${hex(i, 12)}`, name: `${team} Users` };
    return env([id, name, type, geo, region, i % 10 === 0 ? `org${String(i).padStart(5, "0")}` : null, created, extra], i + 100);
  });
}

type Journal = { record(e: Omit<JournalEntry, "seq" | "prev" | "time">): void };
type RoleState = { active?: { name: string; end?: string }; eligible?: { roleId: string; name: string } };

// Standing System Administrators: the demo scenario's Sales Production holders, on every org.
function standing(env: Environment): SystemAdministrator[] {
  const bu = env.url ? new URL(env.url).hostname.split(".")[0] : env.displayName;
  const id = (n: number) => `${hex(n * 97 + env.displayName.length, 8)}-1b36-583b-9cc2-${hex(n, 12)}`;
  const out: SystemAdministrator[] = [
    { systemUserId: id(1), fullName: "Megan Bowen", upn: "MeganB@contoso.onmicrosoft.com", objectId: "353c05d8-cb61-5f28-924b-89e94eff9e59", isDisabled: false, isApplicationUser: false, businessUnit: bu, isYou: false },
    { systemUserId: id(4), fullName: "CoE Sync (app)", upn: "coe-sync-app@contoso.onmicrosoft.com", isDisabled: false, isApplicationUser: true, businessUnit: bu, isYou: false },
  ];
  if (env.displayName === "Sales Production")
    out.splice(
      1,
      0,
      { systemUserId: id(2), fullName: "Isaiah Langer", upn: "IsaiahL@contoso.onmicrosoft.com", objectId: "a0b680ff-8636-5269-a43a-1b0610c01240", isDisabled: false, isApplicationUser: false, businessUnit: "Inside Sales", isYou: false },
      { systemUserId: id(3), fullName: "Pradeep Gupta", upn: "PradeepG@contoso.onmicrosoft.com", objectId: "5ff53d44-989e-56a4-98ad-d4554213e90d", isDisabled: true, isApplicationUser: false, businessUnit: bu, isYou: false },
    );
  return out;
}

export function createFakeEnvironments(q: URLSearchParams, journal: Journal, signedIn: () => boolean, role: () => RoleState) {
  const fail = new Set((q.get("fail") ?? "").split(",").filter(Boolean));
  const elevateMs = Number(q.get("elevateMs") ?? "900");
  const count = Number(q.get("envs") ?? "0");
  const list: Environment[] = count > 0 ? generated(count) : DEMO.map((s, i) => env(s, i + 1));
  const byId = new Map(list.map((e) => [e.id, e]));
  // Where Adele already is System Administrator: her own developer environment and Finance.
  const admins = new Set<string>(list.filter((e) => e.type === "Developer" || e.displayName === "Finance Production").slice(0, 50).map((e) => e.id));
  const progress = new Set<(p: ElevationProgress) => void>();

  const need = (what: string) => {
    if (!signedIn()) throw { code: "notSignedIn", message: "Sign in first." } satisfies ApiError;
    if (fail.has(what)) throw { code: "service", message: `The fake ${what} call failed, as asked by ?fail=${what}. Try again.`, correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8" } satisfies ApiError;
  };
  const find = (id: string): Environment => {
    const e = byId.get(id);
    if (!e) throw { code: "notFound", message: "This environment no longer exists. Refresh the list." } satisfies ApiError;
    return e;
  };

  function preflightOf(e: Environment): Preflight {
    const r = role();
    const roleName = r.active?.name ?? r.eligible?.name ?? "Power Platform Administrator";
    const checks: PreflightCheck[] = [{ kind: "exists", status: "pass", title: "The environment exists", detail: "Power Platform still lists it." }];
    if (!r.active && !r.eligible)
      checks.push({ kind: "adminRole", status: "fail", title: "You hold none of the roles that may add themselves", detail: "Only Global, Power Platform and Dynamics 365 Administrators can make themselves System Administrator of an environment.", fix: "Ask your administrator to make you eligible for Power Platform Administrator in Privileged Identity Management (PIM)." });
    else checks.push({ kind: "adminRole", status: "pass", title: r.active ? `You hold ${roleName}` : `You are eligible for ${roleName}`, detail: "Global, Power Platform and Dynamics 365 Administrators may make themselves System Administrator." });
    if (r.active) {
      checks.push({ kind: "roleActive", status: "pass", title: r.active.end ? `${roleName} is active until ${hhmm(r.active.end)}` : `${roleName} is permanently assigned`, detail: r.active.end ? "It was activated in PIM. When the activation ends, Microsoft removes System Administrator again." : "It does not end, so System Administrator stays until someone removes it." });
      checks.push({ kind: "directAssignment", status: "pass", title: "Assigned to you directly", detail: "Microsoft accepts only roles assigned to you directly, not through a group." });
      checks.push({ kind: "inToken", status: "pass", title: "In your current sign-in", detail: "Power Platform sees the role in the sign-in Elevate uses." });
    } else if (r.eligible) {
      checks.push({ kind: "roleActive", status: "fail", title: `${roleName} is not active`, detail: "You are eligible for it in PIM, but it must be active before you can add yourself.", fix: `Activate ${roleName} first. Elevate can do it for you and then continue.` });
      checks.push({ kind: "directAssignment", status: "pass", title: "Assigned to you directly", detail: "Microsoft accepts only roles assigned to you directly, not through a group." });
    }
    checks.push(
      e.enabled
        ? { kind: "environmentEnabled", status: "pass", title: "The environment is enabled", detail: "Its Dataverse answers requests." }
        : { kind: "environmentEnabled", status: "fail", title: "The environment is disabled", detail: "Power Platform does not add anyone to a disabled environment.", fix: "An admin must enable it first (Power Platform admin center → Environments → the environment → Enable)." },
    );
    checks.push(
      e.hasDataverse
        ? { kind: "dataverse", status: "pass", title: "It has a Dataverse database", detail: "System Administrator is a Dataverse security role." }
        : { kind: "dataverse", status: "fail", title: "It has no Dataverse database", detail: "System Administrator is a Dataverse security role, so an environment without Dataverse has no System Administrators.", fix: "Add Dataverse to the environment in the Power Platform admin center, or choose another environment." },
    );
    if (e.securityGroup)
      checks.push({ kind: "securityGroup", status: "pass", title: `Security group "${e.securityGroup.name ?? e.securityGroup.id}": not needed`, detail: "Global and Power Platform Administrators are exempt from an environment's security group." });
    if (e.connectedGroup)
      checks.push({ kind: "teamsGroup", status: "pass", title: `You are a member of the team "${e.connectedGroup.name ?? e.connectedGroup.id}"`, detail: "In a Teams environment only members of its team can be added." });
    const already = admins.has(e.id);
    if (e.hasDataverse)
      checks.push(already ? { kind: "alreadyAdmin", status: "info", title: "You already are System Administrator here", detail: "Microsoft's API would answer success anyway and change nothing, so Elevate sends nothing." } : { kind: "alreadyAdmin", status: "pass", title: "You are not System Administrator here yet", detail: "Add me gives you the role in your business unit." });
    const hardFail = checks.some((c) => c.status === "fail" && c.kind !== "roleActive");
    const verdict = hardFail ? "blocked" : already ? "alreadyAdmin" : r.active ? "ready" : "needsActivation";
    return {
      environmentId: e.id,
      environmentName: e.displayName,
      verdict,
      checks,
      ...(verdict === "needsActivation" && r.eligible ? { activate: r.eligible } : {}),
      ...(r.active ? { reliedRole: r.active.name } : {}),
      ...(r.active?.end ? { endsAt: r.active.end } : {}),
    };
  }

  function elevate(e: Environment, tryAnyway: boolean): Elevation {
    const p = preflightOf(e);
    const base = { environmentId: e.id, environmentName: e.displayName };
    const correlationId = `${hex(Date.now(), 8)}-0b9a-4876-a5b4-${hex(e.id.length * 7919 + admins.size, 12)}`;
    if (p.verdict === "alreadyAdmin")
      return { ...base, result: "alreadyAdmin", message: `You already are System Administrator in ${e.displayName}. Nothing was sent.`, ...(p.endsAt ? { endsAt: p.endsAt } : {}) };
    if (p.verdict !== "ready" && !tryAnyway)
      return { ...base, result: "skipped", message: `Not sent: ${p.checks.find((c) => c.status === "fail")?.title ?? "the preflight says it would fail"}.` };
    if (p.verdict !== "ready") {
      const why = p.checks.find((c) => c.status === "fail");
      const error: ApiError = { code: "forbidden", message: `Power Platform refused: ${why?.title ?? "you can't be added here"}.`, correlationId };
      record(e, "failed", error.message);
      return { ...base, result: "refused", message: error.message, correlationId, error };
    }
    admins.add(e.id);
    record(e, "succeeded");
    const until = p.endsAt ? ` until ${hhmm(p.endsAt)}` : "";
    return { ...base, result: "elevated", message: `You are System Administrator in ${e.displayName}${until}.`, correlationId, ...(p.endsAt ? { endsAt: p.endsAt } : {}) };
  }

  function record(e: Environment, outcome: "succeeded" | "failed", message?: string) {
    journal.record({
      tenant: { kind: "demo", id: TENANT },
      account: ADELE,
      action: "selfElevate",
      target: { kind: "environment", id: e.id, name: e.displayName },
      params: { roleName: "System Administrator" },
      result: { outcome, ...(message ? { code: "forbidden" as const, message } : {}) },
    });
  }

  return {
    /** For the fake inventory: the same environments, and where Adele is System Administrator. */
    all: (): readonly Environment[] => list,
    youAreAdmin: (id: string): boolean => admins.has(id),
    async environments(): Promise<EnvironmentList> {
      await sleep(count > 0 ? 900 : 500);
      need("environments");
      return { environments: list, partial: q.has("partial"), fetchedAt: new Date().toISOString() };
    },
    async membership(environmentId: string): Promise<Membership> {
      await sleep(600);
      need("membership");
      const e = find(environmentId);
      const head = { environmentId: e.id, environmentName: e.displayName };
      if (!e.hasDataverse) return { ...head, administrators: [], youAreAdmin: false, unavailable: "This environment has no Dataverse database, so it has no System Administrators." };
      if (!e.enabled) return { ...head, administrators: [], youAreAdmin: false, unavailable: "The environment is disabled: Dataverse can't be read until it is enabled again." };
      const you = admins.has(e.id);
      const list = standing(e);
      if (you) list.unshift({ systemUserId: "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a", fullName: ADELE.name, upn: ADELE.upn, objectId: ADELE.oid, isDisabled: false, isApplicationUser: false, businessUnit: list[0].businessUnit, isYou: true });
      return { ...head, administrators: list, youAreAdmin: you };
    },
    async preflight(environmentIds: string[]): Promise<Preflight[]> {
      await sleep(700);
      need("preflight");
      return environmentIds.map((id) => preflightOf(find(id)));
    },
    async addMe(input: AddMeInput): Promise<Elevation[]> {
      need("addMe");
      const out: Elevation[] = [];
      const total = input.environmentIds.length;
      const each = total > 20 ? 60 : elevateMs;
      for (const id of input.environmentIds) {
        await sleep(each);
        const e = byId.get(id);
        const result: Elevation = e ? elevate(e, input.tryAnyway) : { environmentId: id, environmentName: id, result: "refused", message: "This environment no longer exists.", error: { code: "notFound", message: "This environment no longer exists. Refresh the list." } };
        out.push(result);
        progress.forEach((l) => l({ done: out.length, total, latest: result }));
      }
      return out;
    },
    async openEnvironment(environmentId: string): Promise<void> {
      console.info(`[fake] would open ${byId.get(environmentId)?.url ?? environmentId} in the browser`);
    },
    async onElevationProgress(cb: (p: ElevationProgress) => void) {
      progress.add(cb);
      return () => progress.delete(cb);
    },
  };
}
