// The fake platform's PIM: four eligible roles with different policies, one activation running,
// a request waiting for approval, in memory. Part of the fake chunk; never loaded by the desktop app.
//
//   &noEligible           no eligible roles
//   &fail=roles           loading My roles fails
//   &fail=activate        every activation fails (PIM refuses it)
//   &approveMs=N          a request waiting for approval is approved after N ms (default 20000; 0 = never)
import { hhmm } from "../lib/roles";
import { activationProblems, requirementsOf } from "../lib/roleValidation";
import type { ActivationOutcome } from "./bindings/ActivationOutcome";
import type { ActivationProgress } from "./bindings/ActivationProgress";
import type { ActiveRole } from "./bindings/ActiveRole";
import type { ApiError } from "./bindings/ApiError";
import type { EligibleRole } from "./bindings/EligibleRole";
import type { JournalEntry } from "./bindings/JournalEntry";
import type { MyRoles } from "./bindings/MyRoles";
import type { RoleNotice } from "./bindings/RoleNotice";
import type { RolePolicy } from "./bindings/RolePolicy";
import type { RolePreferences } from "./bindings/RolePreferences";
import type { RoleRequest } from "./bindings/RoleRequest";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

const policy = (over: Partial<RolePolicy>): RolePolicy => ({
  maxDurationMinutes: 480,
  requiresJustification: true,
  requiresTicket: false,
  requiresMfa: false,
  requiresApproval: false,
  approvalForExtension: false,
  approvers: [],
  ...over,
});

const PPA = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

function eligible(): EligibleRole[] {
  return [
    { roleId: PPA, name: "Power Platform Administrator", description: "Can create and manage all aspects of Microsoft Dynamics 365, Power Apps and Power Automate.", scope: "Directory", scopeId: "/", memberType: "direct", policy: policy({ requiresTicket: true, requiresMfa: true }), grantsSelfElevation: true, active: false },
    { roleId: USER_ADMIN, name: "User Administrator", description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.", scope: "Directory", scopeId: "/", memberType: "group", groupName: "Helpdesk Tier 2", eligibilityEnd: at(41 * 24 * 60 * MIN), policy: policy({ maxDurationMinutes: 240, requiresApproval: true, approvers: ["Gloria Mueller"] }), grantsSelfElevation: false, active: false },
    { roleId: SECURITY_ADMIN, name: "Security Administrator", description: "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.", scope: "Directory", scopeId: "/", memberType: "direct", policy: policy({ maxDurationMinutes: 120, authenticationContext: "c1" }), grantsSelfElevation: false, active: false },
    { roleId: EXCHANGE_ADMIN, name: "Exchange Administrator", description: "Can manage all aspects of the Exchange product.", scope: "Directory", scopeId: "/", memberType: "direct", policy: policy({ requiresJustification: false }), grantsSelfElevation: false, active: true },
  ];
}

type Journal = { record(e: Omit<JournalEntry, "seq" | "prev" | "time">): void };

export function createFakeRoles(q: URLSearchParams, journal: Journal, signedIn: () => boolean) {
  const fail = new Set((q.get("fail") ?? "").split(",").filter(Boolean));
  const approveMs = Number(q.get("approveMs") ?? "20000");
  const progress = new Set<(p: ActivationProgress) => void>();
  const changed = new Set<(n: RoleNotice | null) => void>();
  const emit = (p: ActivationProgress) => progress.forEach((l) => l(p));
  const notify = (n: RoleNotice | null) => changed.forEach((l) => l(n));
  let seq = 100;
  const id = () => `0d5e6f70-${String(++seq).padStart(4, "0")}-4a1b-8c2d-3e4f5a6b7c8d`;

  let roles: EligibleRole[] = q.has("noEligible") ? [] : eligible();
  let active: ActiveRole[] = [
    { roleId: GLOBAL_READER, name: "Global Reader", scope: "Directory", scopeId: "/", memberType: "direct", assignmentType: "assigned", inToken: true, grantsSelfElevation: false },
    ...(q.has("noEligible") ? [] : [{ roleId: EXCHANGE_ADMIN, name: "Exchange Administrator", scope: "Directory", scopeId: "/", memberType: "direct" as const, assignmentType: "activated" as const, start: at(-73 * MIN), end: at(47 * MIN), inToken: true, grantsSelfElevation: false, deactivateFrom: at(-68 * MIN) }]),
  ];
  let requests: RoleRequest[] = q.has("noEligible")
    ? []
    : [
        { id: id(), roleId: USER_ADMIN, roleName: "User Administrator", action: "selfActivate", status: "PendingApproval", phase: "waitingForApproval", created: at(-9 * MIN), durationMinutes: 120, justification: "Reset MFA for a locked-out user", ticketNumber: "INC0042017", canCancel: true },
        { id: id(), roleId: EXCHANGE_ADMIN, roleName: "Exchange Administrator", action: "selfActivate", status: "Provisioned", phase: "completed", created: at(-73 * MIN), durationMinutes: 120, justification: "Mailbox permission cleanup", canCancel: false },
        { id: id(), roleId: PPA, roleName: "Power Platform Administrator", action: "selfDeactivate", status: "Revoked", phase: "completed", created: at(-26 * 60 * MIN), canCancel: false },
      ];
  let prefs: RolePreferences = {
    presets: [{ name: "Helpdesk shift", roleIds: [USER_ADMIN, EXCHANGE_ADMIN], durationMinutes: 240, ticketSystem: "ServiceNow", justification: "Helpdesk shift: password and mailbox requests" }],
    recentJustifications: ["Reset MFA for a locked-out user", "Restore the Sales environment's security roles"],
    recentTickets: ["INC0042017", "INC0012345"],
    recentTicketSystems: ["ServiceNow"],
    expiryWarningMinutes: 10,
  };

  const need = (what: string) => {
    if (!signedIn()) throw { code: "notSignedIn", message: "Sign in first." } satisfies ApiError;
    if (fail.has(what)) throw { code: "service", message: `The fake ${what} call failed, as asked by ?fail=${what}. Try again.`, correlationId: "4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8" } satisfies ApiError;
  };
  const remember = (list: string[], v: string) => (v ? [v, ...list.filter((x) => x !== v)].slice(0, 10) : list);
  const record = (action: JournalEntry["action"], role: { roleId: string; name: string }, params: JournalEntry["params"], outcome: "succeeded" | "pending" | "failed") =>
    journal.record({
      tenant: { kind: "demo", id: "8d1c3b2a-5f4e-4a7b-9c6d-1e2f3a4b5c6d" },
      account: { name: "Adele Vance", upn: "adele.vance@demo.elevate.test", oid: "5a7f0c3e-8d1b-4c2a-9e6f-1b2c3d4e5f60" },
      action,
      target: { kind: "directoryRole", id: role.roleId, name: role.name },
      params,
      result: { outcome },
    });
  const setActive = (roleId: string, on: boolean) => (roles = roles.map((r) => (r.roleId === roleId ? { ...r, active: on } : r)));
  const grant = (r: EligibleRole, minutes: number): ActiveRole => {
    const a: ActiveRole = { roleId: r.roleId, name: r.name, scope: r.scope, scopeId: r.scopeId, memberType: r.memberType, assignmentType: "activated", start: at(0), end: at(minutes * MIN), inToken: true, grantsSelfElevation: r.grantsSelfElevation, deactivateFrom: at(5 * MIN) };
    active = [...active.filter((x) => x.roleId !== r.roleId), a];
    setActive(r.roleId, true);
    return a;
  };
  const approveLater = (reqId: string) => {
    if (approveMs <= 0) return;
    setTimeout(() => {
      const req = requests.find((x) => x.id === reqId && x.phase === "waitingForApproval");
      const role = roles.find((r) => r.roleId === req?.roleId);
      if (!req || !role) return;
      const a = grant(role, req.durationMinutes ?? 60);
      requests = requests.map((x) => (x.id === reqId ? { ...x, phase: "completed", status: "Provisioned", canCancel: false } : x));
      record("approvalDecided", role, {}, "succeeded");
      notify({ title: `Approved: ${role.name}`, body: `Gloria Mueller approved your request. The role is active until ${hhmm(a.end!)}.` });
    }, approveMs);
  };

  let started = false;

  async function activateOne(r: EligibleRole, input: { durationMinutes: number; justification: string; ticketNumber: string; ticketSystem: string }): Promise<ActivationOutcome> {
    const step = async (stage: ActivationProgress["stage"], ms: number, message?: string) => {
      emit({ roleId: r.roleId, roleName: r.name, stage, ...(message ? { message } : {}) });
      await sleep(ms);
    };
    const base = { roleId: r.roleId, roleName: r.name };
    await step("validating", 400);
    if (active.some((a) => a.roleId === r.roleId)) return { ...base, result: "alreadyActive", inToken: true };
    const p = r.policy;
    if (p?.requiresMfa) await step("signingIn", 1800, "Confirm with multi-factor authentication in your browser…");
    if (p?.authenticationContext) await step("signingIn", 1800, `Your organization asks for an extra sign-in check (${p.authenticationContext}). Confirm in your browser…`);
    await step("submitting", 700);
    const params = { durationMinutes: input.durationMinutes, justification: input.justification || undefined, ticketNumber: input.ticketNumber || undefined, ticketSystem: input.ticketSystem || undefined };
    if (fail.has("activate")) {
      emit({ ...base, stage: "failed" });
      record("roleActivate", r, params, "failed");
      return { ...base, result: "failed", inToken: false, error: { code: "forbidden", message: "PIM refused the activation: the justification must name the ticket it is for. Edit it and try again.", correlationId: "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" } };
    }
    const reqId = id();
    const req: RoleRequest = { id: reqId, roleId: r.roleId, roleName: r.name, action: "selfActivate", status: p?.requiresApproval ? "PendingApproval" : "Provisioned", phase: p?.requiresApproval ? "waitingForApproval" : "completed", created: at(0), durationMinutes: input.durationMinutes, justification: input.justification || undefined, ticketNumber: input.ticketNumber || undefined, canCancel: !!p?.requiresApproval };
    requests = [req, ...requests];
    if (p?.requiresApproval) {
      emit({ ...base, stage: "waitingForApproval" });
      record("roleActivate", r, params, "pending");
      approveLater(reqId);
      return { ...base, result: "pending", requestId: reqId, inToken: false };
    }
    await step("activating", 1500);
    await step("updatingSignIn", 900);
    const a = grant(r, input.durationMinutes);
    emit({ ...base, stage: "active" });
    record("roleActivate", r, params, "succeeded");
    return { ...base, result: "active", requestId: reqId, expiresAt: a.end, inToken: true };
  }

  return {
    async myRoles(): Promise<MyRoles> {
      await sleep(500);
      need("roles");
      if (!started) {
        started = true;
        requests.filter((r) => r.phase === "waitingForApproval").forEach((r) => approveLater(r.id));
      }
      const now = Date.now();
      active = active.filter((a) => !a.end || new Date(a.end).getTime() > now);
      roles = roles.map((r) => ({ ...r, active: active.some((a) => a.roleId === r.roleId) }));
      return { eligible: roles, active, requests, fetchedAt: new Date().toISOString() };
    },
    async activateRoles(input: { roleIds: string[]; durationMinutes: number; justification: string; ticketNumber: string; ticketSystem: string }): Promise<ActivationOutcome[]> {
      need("");
      const chosen = roles.filter((r) => input.roleIds.includes(r.roleId));
      const problems = activationProblems(input, requirementsOf(chosen));
      const first = Object.values(problems)[0];
      if (first || chosen.length !== input.roleIds.length)
        throw { code: "invalidInput", message: first ?? "You are not eligible for one of these roles." } satisfies ApiError;
      const clean = { ...input, justification: input.justification.trim(), ticketNumber: input.ticketNumber.trim(), ticketSystem: input.ticketSystem.trim() };
      prefs = { ...prefs, recentJustifications: remember(prefs.recentJustifications, clean.justification), recentTickets: remember(prefs.recentTickets, clean.ticketNumber), recentTicketSystems: remember(prefs.recentTicketSystems, clean.ticketSystem) };
      const out: ActivationOutcome[] = [];
      for (const r of chosen) out.push(await activateOne(r, clean));
      return out;
    },
    async deactivateRole(roleId: string): Promise<void> {
      await sleep(700);
      need("");
      const a = active.find((x) => x.roleId === roleId && x.assignmentType === "activated");
      if (!a) throw { code: "notFound", message: "This role is not active any more." } satisfies ApiError;
      if (a.deactivateFrom && new Date(a.deactivateFrom).getTime() > Date.now())
        throw { code: "invalidInput", message: "PIM keeps a role active for at least 5 minutes. Try again later." } satisfies ApiError;
      active = active.filter((x) => x !== a);
      setActive(roleId, false);
      requests = [{ id: id(), roleId, roleName: a.name, action: "selfDeactivate", status: "Revoked", phase: "completed", created: at(0), canCancel: false }, ...requests];
      record("roleDeactivate", { roleId, name: a.name }, {}, "succeeded");
    },
    async extendRole(input: { roleId: string; durationMinutes: number; justification: string; ticketNumber: string; ticketSystem: string }): Promise<ActivationOutcome> {
      await sleep(1200);
      need("");
      const a = active.find((x) => x.roleId === input.roleId && x.assignmentType === "activated");
      if (!a?.end) throw { code: "notFound", message: "This role is not active any more." } satisfies ApiError;
      const end = new Date(new Date(a.end).getTime() + input.durationMinutes * MIN).toISOString();
      active = active.map((x) => (x === a ? { ...x, end } : x));
      requests = [{ id: id(), roleId: a.roleId, roleName: a.name, action: "selfExtend", status: "Provisioned", phase: "completed", created: at(0), durationMinutes: input.durationMinutes, justification: input.justification.trim() || undefined, ticketNumber: input.ticketNumber.trim() || undefined, canCancel: false }, ...requests];
      record("roleExtend", { roleId: a.roleId, name: a.name }, { durationMinutes: input.durationMinutes }, "succeeded");
      return { roleId: a.roleId, roleName: a.name, result: "active", expiresAt: end, inToken: true };
    },
    async cancelRequest(requestId: string): Promise<void> {
      await sleep(500);
      need("");
      const r = requests.find((x) => x.id === requestId);
      if (!r?.canCancel) throw { code: "invalidInput", message: "This request can't be canceled any more: it was decided." } satisfies ApiError;
      requests = requests.map((x) => (x.id === requestId ? { ...x, phase: "canceled", status: "Canceled", canCancel: false } : x));
      record("requestCancel", { roleId: r.roleId, name: r.roleName }, {}, "succeeded");
    },
    async rolePreferences(): Promise<RolePreferences> {
      await sleep(100);
      return prefs;
    },
    async saveRolePreferences(next: RolePreferences): Promise<RolePreferences> {
      await sleep(200);
      prefs = next;
      return prefs;
    },
    async onActivationProgress(cb: (p: ActivationProgress) => void) {
      progress.add(cb);
      return () => progress.delete(cb);
    },
    async onRolesChanged(cb: (n: RoleNotice | null) => void) {
      changed.add(cb);
      return () => changed.delete(cb);
    },
    /** What Home lists as active now. */
    directoryRoles() {
      return active.map((a) => ({ templateId: a.roleId, name: a.name, canSelfElevate: a.grantsSelfElevation }));
    },
    /** For the fake preflight: an active role that lets the user self-elevate, else an eligible one. */
    elevationRole() {
      const now = Date.now();
      const a = active.find((x) => x.grantsSelfElevation && (!x.end || new Date(x.end).getTime() > now));
      const e = roles.find((r) => r.grantsSelfElevation);
      return {
        active: a ? { name: a.name, end: a.end } : undefined,
        eligible: e ? { roleId: e.roleId, name: e.name } : undefined,
      };
    },
  };
}
