// Environments test data, shaped as the Rust side sends it.
import type { Elevation, Environment, EnvironmentList, Membership, Preflight, PreflightCheck, Verdict } from "../platform";
import { PPA } from "./rolesFixtures";

export const SALES = "87260dde-2046-5ab2-9ba1-a11d7734a2f2";
export const RETIRED = "a61657f3-e683-5c2b-b4fd-dde66e85bc76";
export const FINANCE = "517517f4-d9ca-53f1-bc38-3f35725ca516";
export const INTRANET = "25cb1790-d6a8-5d6e-9098-e243dc1b7a1b";

export function environment(over: Partial<Environment> = {}): Environment {
  return {
    id: SALES,
    displayName: "Sales Production",
    type: "Production",
    state: "Ready",
    enabled: true,
    geo: "unitedstates",
    azureRegion: "eastus",
    url: "https://contososales.crm.dynamics.com/",
    hasDataverse: true,
    organizationId: "d5f4b67f-76ae-5c51-b535-665c4d1eec49",
    version: "9.2.25021.00214",
    securityGroup: { id: "7592d90c-93a3-5834-b25c-d9086eda38fd", name: "Sales Production Users" },
    created: "2020-10-22T04:38:17Z",
    ...over,
  };
}

export const ENVIRONMENTS: Environment[] = [
  environment(),
  environment({ id: "Default-8d1c3b2a", displayName: "Contoso (default)", type: "Default", azureRegion: "westus", url: "https://contoso.crm.dynamics.com/", securityGroup: undefined, created: "2019-03-04T17:12:45Z" }),
  environment({ id: FINANCE, displayName: "Finance Production", geo: "europe", azureRegion: "westeurope", url: "https://contosofinance.crm4.dynamics.com/", securityGroup: { id: "e94da142-ef64-52e1-8a30-75b588c642ab" }, created: "2021-02-15T09:20:00Z" }),
  environment({ id: RETIRED, displayName: "Retired CRM", state: "Disabled", enabled: false, azureRegion: "eastus2", url: "https://contosocrm-old.crm.dynamics.com/", securityGroup: undefined, created: "2018-11-05T09:00:00Z" }),
  environment({ id: INTRANET, displayName: "Intranet", hasDataverse: false, url: undefined, organizationId: undefined, version: undefined, securityGroup: undefined, created: "2021-07-01T07:07:07Z" }),
  environment({ id: "c43c6aca", displayName: "Contoso Teams Hub", type: "Teams", geo: "europe", azureRegion: "northeurope", url: "https://contosoteams.crm4.dynamics.com/", securityGroup: undefined, connectedGroup: { id: "aa29cf17-fee1-596b-8489-029ff9491ccb", name: "Contoso Operations" }, created: undefined }),
];

export function envList(list: Environment[] = ENVIRONMENTS, over: Partial<EnvironmentList> = {}): EnvironmentList {
  return { environments: list, partial: false, fetchedAt: "2026-05-01T08:00:00Z", ...over };
}

/** `n` plain environments, "Env 00000" … */
export function many(n: number): Environment[] {
  return Array.from({ length: n }, (_, i) =>
    environment({ id: `env-${i}`, displayName: `Env ${String(i).padStart(5, "0")}`, securityGroup: undefined, url: `https://org${i}.crm.dynamics.com/` }),
  );
}

export const membershipOf = (over: Partial<Membership> = {}): Membership => ({
  environmentId: SALES,
  environmentName: "Sales Production",
  administrators: [
    { systemUserId: "u1", fullName: "Megan Bowen", upn: "MeganB@contoso.onmicrosoft.com", isDisabled: false, isApplicationUser: false, businessUnit: "contososales", isYou: false },
    { systemUserId: "u2", fullName: "Pradeep Gupta", upn: "PradeepG@contoso.onmicrosoft.com", isDisabled: true, isApplicationUser: false, businessUnit: "contososales", isYou: false },
    { systemUserId: "u3", fullName: "CoE Sync (app)", upn: "coe-sync-app@contoso.onmicrosoft.com", isDisabled: false, isApplicationUser: true, businessUnit: "contososales", isYou: false },
    { systemUserId: "u4", fullName: "Adele Vance", upn: "adele.vance@demo.elevate.test", isDisabled: false, isApplicationUser: false, businessUnit: "Inside Sales", isYou: true },
  ],
  youAreAdmin: true,
  ...over,
});

const pass = (kind: PreflightCheck["kind"], title: string): PreflightCheck => ({ kind, status: "pass", title, detail: "Fine." });

/** A preflight with the lines that make its verdict. */
export function preflightOf(verdict: Verdict, over: Partial<Preflight> = {}): Preflight {
  const checks: PreflightCheck[] = [pass("exists", "The environment exists"), pass("adminRole", "You hold Power Platform Administrator")];
  if (verdict === "needsActivation")
    checks.push({ kind: "roleActive", status: "fail", title: "Power Platform Administrator is not active", detail: "It must be active.", fix: "Activate Power Platform Administrator first." });
  else checks.push(pass("roleActive", "Power Platform Administrator is active"));
  checks.push({ kind: "inToken", status: "warn", title: "Not in your sign-in yet", detail: "Microsoft can take a few minutes.", fix: "Wait a minute." });
  if (verdict === "blocked")
    checks.push({ kind: "environmentEnabled", status: "fail", title: "The environment is disabled", detail: "Power Platform does not add anyone to a disabled environment.", fix: "An admin must enable it first." });
  else checks.push(pass("environmentEnabled", "The environment is enabled"));
  checks.push(
    verdict === "alreadyAdmin"
      ? { kind: "alreadyAdmin", status: "info", title: "You already are System Administrator here", detail: "Nothing to send." }
      : pass("alreadyAdmin", "You are not System Administrator here yet"),
  );
  return {
    environmentId: SALES,
    environmentName: "Sales Production",
    verdict,
    checks,
    ...(verdict === "needsActivation" ? { activate: { roleId: PPA, name: "Power Platform Administrator" } } : {}),
    ...(verdict === "ready" ? { reliedRole: "Power Platform Administrator", endsAt: "2026-05-01T14:05:00Z" } : {}),
    ...over,
  };
}

export function elevation(over: Partial<Elevation> = {}): Elevation {
  return {
    environmentId: SALES,
    environmentName: "Sales Production",
    result: "elevated",
    message: "You are System Administrator in Sales Production until 14:05.",
    correlationId: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
    endsAt: "2026-05-01T14:05:00Z",
    ...over,
  };
}
