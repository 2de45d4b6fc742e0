// The rules the Rust core applies to an activation or extension, checked before anything is sent,
// and what the selected roles' PIM policies ask for. Pure functions, shared by the Activate dialog,
// and their tests.
import type { ActivationInput, RolePolicy } from "../platform";

export const MAX_JUSTIFICATION = 500;
export const MAX_TICKET_NUMBER = 100;
export const MAX_TICKET_SYSTEM = 100;
export const STEP_MINUTES = 30;
export const DEFAULT_DURATION = 60;
/** What a role whose policy could not be read is treated as: 8 hours, justification required. */
export const UNKNOWN_POLICY: RolePolicy = {
  maxDurationMinutes: 480,
  requiresJustification: true,
  requiresTicket: false,
  requiresMfa: false,
  requiresApproval: false,
  approvalForExtension: false,
  approvers: [],
};

/** What one activation of all the given roles needs: the strictest of their policies. */
export type Requirements = {
  maxMinutes: number;
  minMinutes: number;
  justification: boolean;
  ticket: boolean;
};

export function policyOf(role: { policy?: RolePolicy }): RolePolicy {
  return role.policy ?? UNKNOWN_POLICY;
}

export function requirementsOf(roles: readonly { policy?: RolePolicy }[]): Requirements {
  const policies = roles.map(policyOf);
  const maxMinutes = policies.length ? Math.min(...policies.map((p) => p.maxDurationMinutes)) : UNKNOWN_POLICY.maxDurationMinutes;
  return {
    maxMinutes,
    minMinutes: Math.min(STEP_MINUTES, maxMinutes),
    justification: policies.some((p) => p.requiresJustification),
    ticket: policies.some((p) => p.requiresTicket),
  };
}

/** Characters as Rust counts them (`chars().count()`: code points, not UTF-16 units). */
export function charCount(s: string): number {
  return [...s].length;
}

export type ActivationField = "roles" | "duration" | "justification" | "ticketNumber" | "ticketSystem";
export type ActivationProblems = Partial<Record<ActivationField, string>>;

type Checked = Pick<ActivationInput, "durationMinutes" | "justification" | "ticketNumber" | "ticketSystem"> & {
  roleIds: readonly string[];
};

/**
 * Why the activation (or extension: one role id) would be refused, per field; `{}` when it
 * would not. Values are checked trimmed, as they will be sent.
 */
export function activationProblems(input: Checked, req: Requirements): ActivationProblems {
  const out: ActivationProblems = {};
  if (input.roleIds.length === 0) out.roles = "Choose at least one role to activate.";
  else if (input.roleIds.some((id) => id.trim() === "")) out.roles = "A selected role has no ID. Refresh the list and try again.";

  const d = input.durationMinutes;
  if (!Number.isInteger(d)) out.duration = "Choose a duration in whole minutes.";
  else if (d < req.minMinutes) out.duration = `Choose at least ${durationWords(req.minMinutes)}.`;
  else if (d > req.maxMinutes) out.duration = `Choose at most ${durationWords(req.maxMinutes)}: the longest the role's policy allows.`;

  const justification = input.justification.trim();
  if (req.justification && justification === "") out.justification = "Enter a justification: the role's policy requires one.";
  else if (charCount(justification) > MAX_JUSTIFICATION)
    out.justification = `Keep the justification to ${MAX_JUSTIFICATION} characters or fewer.`;

  const ticket = input.ticketNumber.trim();
  if (req.ticket && ticket === "") out.ticketNumber = "Enter a ticket number: the role's policy requires one.";
  else if (charCount(ticket) > MAX_TICKET_NUMBER) out.ticketNumber = `Keep the ticket number to ${MAX_TICKET_NUMBER} characters or fewer.`;

  if (charCount(input.ticketSystem.trim()) > MAX_TICKET_SYSTEM)
    out.ticketSystem = `Keep the ticket system to ${MAX_TICKET_SYSTEM} characters or fewer.`;
  return out;
}

/** "30 minutes", "1 hour", "1.5 hours", "8 hours", "1 hour 20 minutes" (as Rust's `words`). */
export function durationWords(m: number): string {
  const h = Math.floor(m / 60);
  const mm = m % 60;
  const plural = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
  if (h === 0) return plural(mm, "minute", "minutes");
  if (mm === 0) return plural(h, "hour", "hours");
  if (mm === 30) return `${h}.5 hours`;
  return `${plural(h, "hour", "hours")} ${plural(mm, "minute", "minutes")}`;
}

/** The duration picker's label: half hours in hours ("0.5 hours", "1 hour", "1.5 hours"). */
export function durationLabel(m: number): string {
  if (m % STEP_MINUTES !== 0) return durationWords(m);
  const h = m / 60;
  return h === 1 ? "1 hour" : `${h} hours`;
}

/** Every 30 minutes from 30 up to `max`, and `max` itself. */
export function durationOptions(max: number): { value: number; label: string }[] {
  const values: number[] = [];
  for (let m = STEP_MINUTES; m < max; m += STEP_MINUTES) values.push(m);
  if (max > 0) values.push(max);
  return values.map((value) => ({ value, label: durationLabel(value) }));
}

/** One hour, or less when the policy allows less; a preset's duration when it fits. */
export function defaultDuration(max: number, wanted = DEFAULT_DURATION): number {
  const options = durationOptions(max).map((o) => o.value);
  if (options.includes(wanted)) return wanted;
  if (wanted > max) return max;
  return options.find((v) => v >= wanted) ?? max;
}

/** "Up to 8 h", "Up to 1.5 h", "Up to 45 min". */
export function maxBadge(max: number): string {
  if (max < 60) return `Up to ${max} min`;
  const h = max / 60;
  return Number.isInteger(h) || Number.isInteger(h * 2) ? `Up to ${h} h` : `Up to ${Math.floor(h)} h ${max % 60} min`;
}
