// Words for the activity journal, in the admin center's vocabulary. Pure functions: the
// Activity page and its tests share them.
import type {
  JournalAction,
  JournalHealth,
  JournalIssue,
  JournalOutcome,
  JournalRow,
  JournalTargetKind,
} from "../platform";

export const ACTION_LABELS: Record<JournalAction, string> = {
  signIn: "Sign in",
  signOut: "Sign out",
  roleActivate: "Activate role",
  roleDeactivate: "Deactivate role",
  roleExtend: "Extend role",
  requestCancel: "Cancel request",
  approvalDecided: "Approval decision",
  selfElevate: "Self-elevate",
  inventoryRun: "Inventory",
  assignmentRemove: "Remove assignment",
  assignmentRestore: "Restore assignment",
};

export const OUTCOME_LABELS: Record<JournalOutcome, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  pending: "Pending",
  alreadyDone: "Already done",
};

export const OUTCOME_COLORS: Record<JournalOutcome, "success" | "danger" | "warning" | "informative"> = {
  succeeded: "success",
  failed: "danger",
  pending: "warning",
  alreadyDone: "informative",
};

export const TARGET_KIND_LABELS: Record<JournalTargetKind, string> = {
  tenant: "Tenant",
  directoryRole: "Directory role",
  environment: "Environment",
  roleAssignment: "Role assignment",
  request: "Request",
};

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** An RFC 3339 instant in the user's time zone. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeFormat.format(d);
}

/** Today (or `daysAgo` before), local, as a date input's value: `2026-05-01`. */
export function localDate(daysAgo = 0, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `2026-05-01` (a date input's value) → the instant that local day starts. */
export function startOfLocalDay(date: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
}

export function ticketOf(r: JournalRow): string {
  const p = r.entry.params;
  return [p.ticketSystem, p.ticketNumber].filter(Boolean).join(" ");
}

export function fileName(segment: number): string {
  return `journal-${String(segment).padStart(4, "0")}.jsonl`;
}

export type HealthView = {
  tone: "success" | "warning" | "danger";
  /** The badge text. */
  headline: string;
  /** What it means and what happens next, in plain words. */
  explanation?: string;
};

/** One issue as a headline and its explanation. */
export function describeIssue(i: JournalIssue): HealthView {
  switch (i.kind) {
    case "changed":
      return {
        tone: "danger",
        headline: `Changed or cut at entry ${i.entry} in segment ${i.segment}`,
        explanation:
          `${i.reason} (${fileName(i.segment)}${i.line > 0 ? `, line ${i.line}` : ""}.) ` +
          "The journal file was altered after Elevate wrote it. Entries before that point are intact; entries marked " +
          "\u201cNot verified\u201d may have been altered. Elevate left the file as it is and records new activity in a new segment.",
      };
    case "tornTail":
      return {
        tone: "warning",
        headline: `Elevate was interrupted while writing entry ${i.entry}; entries before it are intact`,
        explanation:
          "Elevate or the computer stopped suddenly while that entry was being saved, so it was never reported as done. " +
          "Elevate left the file as it was and went on in a new segment.",
      };
    case "foreign":
      return {
        tone: "warning",
        headline: `Segment ${i.segment} cannot be verified`,
        explanation: `${i.reason} Elevate left ${fileName(i.segment)} as it is and records new activity in a new segment.`,
      };
  }
}

export function describeHealth(h: JournalHealth): HealthView {
  const first = h.issues[0];
  if (!first) {
    return {
      tone: "success",
      headline: `Journal intact \u00b7 ${h.entries} ${h.entries === 1 ? "entry" : "entries"}`,
    };
  }
  return describeIssue(first);
}
