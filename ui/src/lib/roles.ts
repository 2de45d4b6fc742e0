// Words and times for the My roles page, in the Entra PIM portal's vocabulary. Pure functions:
// the screens and their tests share them.
import type { EligibleRole, MemberType, RequestPhase, RolePolicy } from "../platform";
import { maxBadge, policyOf } from "./roleValidation";

const ACTION_WORDS: Record<string, string> = {
  selfActivate: "Activate",
  selfDeactivate: "Deactivate",
  selfExtend: "Extend",
  selfRenew: "Renew",
  adminAssign: "Assign",
  adminRemove: "Remove",
  adminUpdate: "Update",
  adminExtend: "Extend",
  adminRenew: "Renew",
};

/** `selfActivate` → "Activate"; an unknown Graph action in words ("someNewThing" → "Some new thing"). */
export function actionWords(action: string): string {
  if (ACTION_WORDS[action]) return ACTION_WORDS[action];
  const spaced = action.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export const PHASE_WORDS: Record<RequestPhase, string> = {
  waitingForApproval: "Waiting for approval",
  provisioning: "Activating",
  completed: "Completed",
  denied: "Denied",
  canceled: "Canceled",
  failed: "Failed",
};

export const PHASE_COLORS: Record<RequestPhase, "warning" | "informative" | "success" | "danger" | "subtle"> = {
  waitingForApproval: "warning",
  provisioning: "informative",
  completed: "success",
  denied: "danger",
  canceled: "subtle",
  failed: "danger",
};

/** A request still moving: worth polling for. */
export function isUnderway(phase: RequestPhase): boolean {
  return phase === "waitingForApproval" || phase === "provisioning";
}

export function membership(r: { memberType: MemberType; groupName?: string }): string {
  if (r.memberType === "group") return r.groupName ? `Group: ${r.groupName}` : "Group";
  return r.memberType === "inherited" ? "Inherited" : "Direct";
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Local wall-clock time, `14:32`. */
export function hhmm(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? String(iso) : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const shortFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A request's time: "Nov 22, 2026, 7:50 AM" in the user's locale. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : shortFormat.format(d);
}

/** A date for eligibility ends: "May 1, 2026" in the user's locale. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

/** Time left in words, rounded down: "1 h 59 min", "2 h", "59 min", "less than 1 min". */
export function timeLeft(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "less than 1 min";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** "1 h 59 min left · until 14:32", or "Ended at 14:32". */
export function countdownText(end: string, now: number): string {
  const ms = new Date(end).getTime() - now;
  return ms <= 0 ? `Ended at ${hhmm(end)}` : `${timeLeft(ms)} left · until ${hhmm(end)}`;
}

/** Under 10 minutes left: shown in the warning colour. */
export function endsSoon(end: string, now: number): boolean {
  return new Date(end).getTime() - now < 10 * 60_000;
}

/** What the policy asks, as the Eligible tab's badges. */
export function policyBadges(policy: RolePolicy | undefined): string[] {
  const p = policy ?? policyOf({});
  const out = [maxBadge(p.maxDurationMinutes)];
  if (p.requiresJustification) out.push("Justification");
  if (p.requiresTicket) out.push("Ticket");
  if (p.requiresMfa) out.push("MFA");
  if (p.requiresApproval) out.push("Approval");
  if (p.authenticationContext) out.push("Auth context");
  return out;
}

type RoleLike = Pick<EligibleRole, "name" | "policy">;

function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join("");
  return `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
}

/**
 * What will happen after Activate, in plain words, before anything is sent. `extend` words
 * approval by the policy's `approvalForExtension`.
 */
export function requirementLines(roles: readonly RoleLike[], mode: "activate" | "extend" = "activate"): string[] {
  const single = roles.length === 1;
  const which = (rs: readonly RoleLike[]) => (single ? "this role" : rs.map((r) => r.name).join(", "));
  const out: string[] = [];
  if (roles.some((r) => policyOf(r).requiresMfa))
    out.push("You will be asked to confirm with multi-factor authentication in your browser.");
  const contexts = [...new Set(roles.map((r) => r.policy?.authenticationContext).filter((c): c is string => !!c))];
  for (const c of contexts) {
    const rs = roles.filter((r) => r.policy?.authenticationContext === c);
    out.push(`Your organization requires an extra sign-in check (authentication context ${c}) for ${which(rs)}.`);
  }
  const approval = roles.filter((r) => (mode === "extend" ? r.policy?.approvalForExtension : r.policy?.requiresApproval));
  for (const r of approval) {
    const by = r.policy?.approvers.length ? ` by ${names(r.policy.approvers)}` : "";
    const who = single ? "This role needs" : `${r.name} needs`;
    out.push(`${who} approval${by}; Elevate tells you when it is decided.`);
  }
  const unknown = roles.filter((r) => !r.policy);
  if (unknown.length)
    out.push(
      `Elevate could not read the PIM settings of ${which(unknown)}, so it asks for a justification and allows up to 8 hours; PIM may ask for more.`,
    );
  if (out.length === 0)
    out.push(
      single
        ? "Nothing else is needed: PIM usually activates the role within a minute."
        : "Nothing else is needed: PIM usually activates the roles within a minute.",
    );
  return out;
}
