// The rules the Rust core applies to an activation or extension, checked before anything is sent,
// and what the selected roles' PIM policies ask for. Pure functions, shared by the Activate dialog,
// and their tests.
import type { ActivationInput, RolePolicy } from "../platform";
import { DEFAULT_MAX_MINUTES, MAX_JUSTIFICATION, MAX_TICKET, MIN_ACTIVATION_MINUTES } from "./generated/validationLimits";

export { MAX_JUSTIFICATION, MAX_TICKET } from "./generated/validationLimits";
/** The duration picker's step (PIM's portal steps by half hours). */
export const STEP_MINUTES = MIN_ACTIVATION_MINUTES;
/** What the form starts with: one hour, a choice of the UI (the core has no default). */
export const DEFAULT_DURATION = 60;
/** What a role whose policy could not be read is treated as: Entra's default maximum, justification required. */
export const UNKNOWN_POLICY: RolePolicy = {
  maxDurationMinutes: DEFAULT_MAX_MINUTES,
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
  /** Of several roles, the one whose maximum is the shortest (the first, on a tie): the refusal names it. */
  limiting?: string;
};

export function policyOf(role: { policy?: RolePolicy }): RolePolicy {
  return role.policy ?? UNKNOWN_POLICY;
}

export function requirementsOf(roles: readonly { policy?: RolePolicy; name?: string }[]): Requirements {
  const policies = roles.map(policyOf);
  const maxMinutes = policies.length ? Math.min(...policies.map((p) => p.maxDurationMinutes)) : UNKNOWN_POLICY.maxDurationMinutes;
  const limiting = roles.length > 1 ? roles[policies.findIndex((p) => p.maxDurationMinutes === maxMinutes)].name : undefined;
  return {
    maxMinutes,
    minMinutes: Math.min(MIN_ACTIVATION_MINUTES, maxMinutes),
    justification: policies.some((p) => p.requiresJustification),
    ticket: policies.some((p) => p.requiresTicket),
    ...(limiting ? { limiting } : {}),
  };
}

/** Characters as Rust counts them (`chars().count()`: code points, not UTF-16 units). */
export function charCount(s: string): number {
  return [...s].length;
}

// Rust's `trim` (Unicode White_Space): JavaScript's also trims U+FEFF, and keeps U+0085.
const RUST_SPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const EDGES = new RegExp(`^${RUST_SPACE}+|${RUST_SPACE}+$`, "g");
/** Trimmed as the core trims before it checks and sends. */
export function trimmed(s: string): string {
  return s.replace(EDGES, "");
}

// Rust's `char::is_control` (category Cc), less the line breaks and tabs a justification may hold.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export type ActivationField = "roles" | "duration" | "justification" | "ticketNumber" | "ticketSystem";
export type ActivationProblems = Partial<Record<ActivationField, string>>;

type Checked = Pick<ActivationInput, "durationMinutes" | "justification" | "ticketNumber" | "ticketSystem"> & {
  roleIds: readonly string[];
};

// The core's words (crates/core/src/roles/validate.rs): the shared table of cases holds both to them.
const TOO_LONG_TICKET = `The ticket number and ticket system must each be under ${MAX_TICKET} characters.`;
const CONTROL_CHARACTERS = "Remove the control characters from the justification or ticket fields.";

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
  else if (d > req.maxMinutes) {
    const whose = req.limiting ? ` (${req.limiting})` : "";
    out.duration = `The longest activation your organization allows${whose} is ${durationWords(req.maxMinutes)}. Choose a shorter duration.`;
  } else if (d < req.minMinutes) out.duration = `Choose at least ${durationWords(req.minMinutes)}.`;

  const justification = trimmed(input.justification);
  if (req.justification && justification === "")
    out.justification =
      "Say what you will do with the role: your organization requires a justification (for example: Reset password, MFA reset, login error investigation).";
  else if (charCount(justification) > MAX_JUSTIFICATION)
    out.justification = `The justification is too long: keep it under ${MAX_JUSTIFICATION} characters.`;
  else if (CONTROL.test(justification)) out.justification = CONTROL_CHARACTERS;

  const ticket = trimmed(input.ticketNumber);
  if (req.ticket && ticket === "") out.ticketNumber = "Enter the ticket number of your change or incident: your organization requires one for this role.";
  else if (charCount(ticket) > MAX_TICKET) out.ticketNumber = TOO_LONG_TICKET;
  else if (CONTROL.test(ticket)) out.ticketNumber = CONTROL_CHARACTERS;

  const system = trimmed(input.ticketSystem);
  if (charCount(system) > MAX_TICKET) out.ticketSystem = TOO_LONG_TICKET;
  else if (CONTROL.test(system)) out.ticketSystem = CONTROL_CHARACTERS;
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
