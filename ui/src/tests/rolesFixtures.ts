// My roles test data: the demo tenant's roles, as the Rust side sends them.
import type { ActiveRole, EligibleRole, MyRoles, RolePolicy, RolePreferences, RoleRequest } from "../platform";

export const PPA = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
export const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
export const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
export const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

export function policy(over: Partial<RolePolicy> = {}): RolePolicy {
  return {
    maxDurationMinutes: 480,
    requiresJustification: true,
    requiresTicket: false,
    requiresMfa: false,
    requiresApproval: false,
    approvalForExtension: false,
    approvers: [],
    ...over,
  };
}

export function eligibleRole(over: Partial<EligibleRole> = {}): EligibleRole {
  return {
    roleId: PPA,
    name: "Power Platform Administrator",
    description: "Can create and manage all aspects of Power Platform.",
    scope: "Directory",
    scopeId: "/",
    memberType: "direct",
    policy: policy({ requiresTicket: true }),
    grantsSelfElevation: true,
    active: false,
    ...over,
  };
}

export const ELIGIBLE: EligibleRole[] = [
  eligibleRole(),
  eligibleRole({
    roleId: USER_ADMIN,
    name: "User Administrator",
    description: "Can manage users and groups.",
    memberType: "group",
    groupName: "Helpdesk Tier 2",
    eligibilityEnd: "2027-01-02T10:00:00Z",
    policy: policy({ maxDurationMinutes: 240, requiresApproval: true, approvers: ["Gloria Mueller"] }),
    grantsSelfElevation: false,
  }),
  eligibleRole({
    roleId: SECURITY_ADMIN,
    name: "Security Administrator",
    description: "Can manage security configuration.",
    policy: policy({ maxDurationMinutes: 120, requiresMfa: true, authenticationContext: "c1" }),
    grantsSelfElevation: false,
  }),
  eligibleRole({
    roleId: EXCHANGE_ADMIN,
    name: "Exchange Administrator",
    description: "Can manage Exchange.",
    policy: policy({ requiresJustification: false }),
    grantsSelfElevation: false,
    active: true,
  }),
];

const MIN = 60_000;
export const inMinutes = (m: number) => new Date(Date.now() + m * MIN).toISOString();

export function activeRole(over: Partial<ActiveRole> = {}): ActiveRole {
  return {
    roleId: EXCHANGE_ADMIN,
    name: "Exchange Administrator",
    scope: "Directory",
    scopeId: "/",
    memberType: "direct",
    assignmentType: "activated",
    start: inMinutes(-60),
    end: inMinutes(60),
    inToken: true,
    grantsSelfElevation: false,
    deactivateFrom: inMinutes(-55),
    ...over,
  };
}

export function request(over: Partial<RoleRequest> = {}): RoleRequest {
  return {
    id: "req-1",
    roleId: USER_ADMIN,
    roleName: "User Administrator",
    action: "selfActivate",
    status: "PendingApproval",
    phase: "waitingForApproval",
    created: "2026-05-01T08:00:00Z",
    durationMinutes: 120,
    justification: "Reset MFA for a user",
    ticketNumber: "INC0042",
    canCancel: true,
    ...over,
  };
}

export function myRolesData(over: Partial<MyRoles> = {}): MyRoles {
  return {
    eligible: ELIGIBLE,
    active: [activeRole()],
    requests: [],
    fetchedAt: new Date().toISOString(),
    ...over,
  };
}

export function prefs(over: Partial<RolePreferences> = {}): RolePreferences {
  return { presets: [], recentJustifications: [], recentTickets: [], recentTicketSystems: [], expiryWarningMinutes: 10, ...over };
}
