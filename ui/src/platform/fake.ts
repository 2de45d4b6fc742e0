// An in-memory stand-in for the Rust side, used ONLY outside Tauri: by the Vite dev server, or by
// a production build opened with `?mock` (for looking at screens in a plain browser). It is loaded
// with a dynamic import, so it is a separate chunk that the desktop app never fetches.
//
// Query switches (combine with &):
//   ?mock                signed out, organization not configured
//   &signedIn            start signed in (demo tenant)
//   &configured          organization configured (tenant + client id set)
//   &managed             settings managed by IT
//   &memoryOnly          credential store unavailable
//   &noRoles             no admin role active
//   &notice=Text         a session notice
//   &fail=signIn|home|settings   that call fails with an ApiError
//   &signInMs=N          how long a sign-in takes (default 2500; 0 = until cancelled)
//   &journal=…           the activity journal's state (see ./fakeJournal)
//   &noEligible, &fail=roles|activate, &approveMs=N   My roles (see ./fakeRoles)
//   &envs=N, &partial, &fail=environments|membership|preflight|addMe, &elevateMs=N   Environments (see ./fakeEnvironments)
//   &scanMs=N, &fail=inventory|pim|export, &exportCancel   System Administrators inventory (see ./fakeInventory)
//   &fail=import|plan|cleanup, &importCancel, &interrupted, &removeMs=N   its clean-up (see ./fakeCleanup)
import type { Platform } from "./index";
import { createFakeCleanup } from "./fakeCleanup";
import { createFakeEnvironments } from "./fakeEnvironments";
import { createFakeInventory } from "./fakeInventory";
import { createFakeJournal } from "./fakeJournal";
import { createFakeRoles } from "./fakeRoles";
import type { ApiError } from "./bindings/ApiError";
import type { Account } from "./bindings/Account";
import type { SessionState } from "./bindings/SessionState";
import type { Settings } from "./bindings/Settings";
import type { SignInProgress } from "./bindings/SignInProgress";
import type { TenantKind } from "./bindings/TenantKind";

const DEMO_TENANT_ID = "8d1c3b2a-5f4e-4a7b-9c6d-1e2f3a4b5c6d";
const DEMO_BASE_URL = "http://127.0.0.1:49152";

function account(kind: TenantKind, tenantId: string): Account {
  return kind === "demo"
    ? { name: "Adele Vance", upn: "adele.vance@demo.elevate.test", tenantId: DEMO_TENANT_ID, kind }
    : { name: "Megan Bowen", upn: "megan.bowen@contoso.onmicrosoft.com", tenantId, kind };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createFakePlatform(search: string): Platform {
  const q = new URLSearchParams(search);
  const fail = new Set((q.get("fail") ?? "").split(",").filter(Boolean));
  const signInMs = Number(q.get("signInMs") ?? "2500");
  const listeners = new Set<(p: SignInProgress) => void>();
  const journal = createFakeJournal(q);
  const roles = createFakeRoles(q, journal, () => !!state.account);
  const envs = createFakeEnvironments(q, journal, () => !!state.account, roles.elevationRole);
  const inventory = createFakeInventory(q, () => !!state.account, envs, roles.elevationRole);
  const cleanup = createFakeCleanup(q, () => !!state.account, inventory);
  let cancel: (() => void) | undefined;

  let settings: Settings = q.has("configured")
    ? { tenantId: "contoso.onmicrosoft.com", clientId: "1b730954-1685-4b74-9bfd-dac224a7b894", cloud: "public", managed: q.has("managed"), autoUpdate: !q.has("managed"), allowDeviceCode: q.has("deviceCode"), managedNotice: null, proxyUrl: "", proxyManaged: false }
    : { tenantId: "", clientId: "", cloud: "public", managed: q.has("managed"), autoUpdate: !q.has("managed"), allowDeviceCode: q.has("deviceCode"), managedNotice: null, proxyUrl: "", proxyManaged: false };

  let state: SessionState = {
    account: q.has("signedIn") ? account("demo", DEMO_TENANT_ID) : null,
    storage: q.has("memoryOnly") ? "memoryOnly" : "encrypted",
    organizationConfigured: q.has("configured"),
    demo: q.has("signedIn") ? { baseUrl: DEMO_BASE_URL } : null,
    notice: q.get("notice"),
    deviceCodeAllowed: q.has("deviceCode"),
  };

  const emit = (p: SignInProgress) => listeners.forEach((l) => l(p));
  const failure = (what: string): ApiError => ({
    code: "service",
    message: `The fake ${what} call failed, as asked by ?fail=${what}. Try again.`,
    correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8",
  });

  return {
    async appInfo() {
      return { name: "Elevate", version: "0.0.0-fake", build: "debug", os: "browser", updates: q.has("update") ? "automatic" : "notInThisBuild" };
    },
    async checkForUpdate() {
      return q.has("update") ? { version: "9.9.9", notes: "A fake update, as asked by ?update." } : null;
    },
    async installUpdate() {
      await sleep(500);
    },
    async session() {
      await sleep(150);
      const s = state;
      state = { ...state, notice: null };
      return s;
    },
    signIn(kind, method) {
      return new Promise<SessionState>((resolve, reject) => {
        let done = false;
        const timers: ReturnType<typeof setTimeout>[] = [];
        cancel = () => {
          if (done) return;
          done = true;
          timers.forEach(clearTimeout);
          reject({ code: "signInCancelled", message: "Sign-in was cancelled." } satisfies ApiError);
        };
        timers.push(
          setTimeout(() => {
            if (method === "deviceCode") {
              emit({
                stage: "waitingForDeviceCode",
                verificationUri: "https://microsoft.com/devicelogin",
                userCode: "F7QK-2WLP",
                message: "To sign in, open https://microsoft.com/devicelogin and enter the code F7QK-2WLP.",
              });
            } else {
              emit({
                stage: "waitingForBrowser",
                url: `${kind === "demo" ? DEMO_BASE_URL : "https://login.microsoftonline.com"}/common/oauth2/v2.0/authorize?client_id=fake&response_type=code&code_challenge_method=S256`,
              });
            }
          }, 300),
        );
        if (signInMs > 0) {
          timers.push(
            setTimeout(() => {
              done = true;
              if (fail.has("signIn")) {
                reject({
                  code: "signInFailed",
                  message: "Microsoft Entra ID refused the sign-in: the app registration was not found in this directory. Check the Application (client) ID in Settings.",
                  correlationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                } satisfies ApiError);
                return;
              }
              emit({ stage: "finishing" });
              const a = account(kind, settings.tenantId);
              journal.record({
                tenant: { kind, id: a.tenantId },
                account: { name: a.name, upn: a.upn, oid: "5a7f0c3e-8d1b-4c2a-9e6f-1b2c3d4e5f60" },
                action: "signIn",
                target: { kind: "tenant", id: a.tenantId, name: kind === "demo" ? "Demo tenant" : settings.tenantId },
                params: { signInMethod: method },
                result: { outcome: "succeeded" },
              });
              state = { ...state, account: a, demo: kind === "demo" ? { baseUrl: DEMO_BASE_URL } : null };
              resolve(state);
            }, signInMs),
          );
        }
      });
    },
    async cancelSignIn() {
      cancel?.();
    },
    async signOut() {
      if (state.account) {
        const a = state.account;
        journal.record({
          tenant: { kind: a.kind, id: a.tenantId },
          account: { name: a.name, upn: a.upn, oid: "5a7f0c3e-8d1b-4c2a-9e6f-1b2c3d4e5f60" },
          action: "signOut",
          target: { kind: "tenant", id: a.tenantId, name: a.kind === "demo" ? "Demo tenant" : settings.tenantId },
          params: {},
          result: { outcome: "succeeded" },
        });
      }
      state = { ...state, account: null, demo: null };
      return state;
    },
    async getSettings() {
      await sleep(100);
      if (fail.has("settings")) throw failure("settings");
      return settings;
    },
    async saveSettings(input) {
      await sleep(300);
      if (fail.has("settings")) throw failure("settings");
      settings = { ...settings, ...input };
      state = { ...state, organizationConfigured: input.tenantId !== "" && input.clientId !== "" };
      return settings;
    },
    async checkConnectivity() {
      await sleep(800);
      if (fail.has("connectivity")) throw failure("connectivity");
      const ok = (service: string, host: string) => ({ service, host, result: "ok" as const, message: `Reachable: ${host} answered.` });
      return {
        proxy: settings.proxyUrl ? `The proxy set for Elevate: ${settings.proxyUrl}` : "No proxy: this computer's settings name none, so Elevate connects directly.",
        checks: [
          ok("Sign-in (Microsoft Entra ID)", "login.microsoftonline.com"),
          ok("Microsoft Graph (roles and PIM)", "graph.microsoft.com"),
          ok("Power Platform API (Add me)", "api.powerplatform.com"),
          q.has("tlsInspection")
            ? {
                service: "Power Platform admin API (BAP)",
                host: "api.bap.microsoft.com",
                result: "failed" as const,
                stage: "tls" as const,
                message:
                  "The secure connection to api.bap.microsoft.com uses a certificate issued by “Contoso TLS Inspection CA”, which this computer does not trust. If your company inspects network traffic, ask IT to install that certificate authority on this computer. Otherwise someone may be intercepting the connection: do not sign in on this network.",
                detail: "invalid peer certificate: UnknownIssuer",
              }
            : ok("Power Platform admin API (BAP)", "api.bap.microsoft.com"),
          {
            service: "Dataverse (one of your environments)",
            host: "",
            result: "skipped" as const,
            message: "Not checked yet: open Environments once so Elevate knows the address of one of your environments, then check again.",
          },
        ],
      };
    },
    async home() {
      await sleep(600);
      if (fail.has("home")) throw failure("home");
      if (!state.account) throw { code: "notSignedIn", message: "Sign in first." } satisfies ApiError;
      return { account: state.account, activeRoles: q.has("noRoles") ? [] : roles.directoryRoles() };
    },
    async openHelp(topic) {
      console.info(`[fake] would open the Microsoft Learn page for ${topic}`);
    },
    journalEntries: journal.journalEntries,
    journalVerify: journal.journalVerify,
    journalExport: journal.journalExport,
    async onSignInProgress(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    myRoles: roles.myRoles,
    activateRoles: roles.activateRoles,
    deactivateRole: roles.deactivateRole,
    extendRole: roles.extendRole,
    cancelRequest: roles.cancelRequest,
    rolePreferences: roles.rolePreferences,
    saveRolePreferences: roles.saveRolePreferences,
    onActivationProgress: roles.onActivationProgress,
    onRolesChanged: roles.onRolesChanged,
    environments: envs.environments,
    membership: envs.membership,
    preflight: envs.preflight,
    addMe: envs.addMe,
    openEnvironment: envs.openEnvironment,
    onElevationProgress: envs.onElevationProgress,
    inventory: inventory.inventory,
    cancelInventory: inventory.cancelInventory,
    onInventoryProgress: inventory.onInventoryProgress,
    inventoryExport: inventory.inventoryExport,
    importUsersFile: cleanup.importUsersFile,
    planCleanup: cleanup.planCleanup,
    runCleanup: cleanup.runCleanup,
    onCleanupProgress: cleanup.onCleanupProgress,
    cleanupRuns: cleanup.cleanupRuns,
    resumeCleanup: cleanup.resumeCleanup,
    rollbackCleanup: cleanup.rollbackCleanup,
  };
}
