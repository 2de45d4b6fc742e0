// The activation stepper's model: from the `activation-progress` events of one role (in the
// order they arrived) and, once known, its outcome, which stages to show and in which state.
import type { ActivationOutcome, ActivationProgress, ActivationStage } from "../platform";

export type StepState = "done" | "current" | "todo" | "failed";
export type Step = { stage: ActivationStage; label: string; state: StepState; message?: string };

export const STAGE_LABELS: Record<ActivationStage, string> = {
  validating: "Validating",
  signingIn: "Signing in",
  submitting: "Submitting",
  activating: "Activating",
  waitingForApproval: "Waiting for approval",
  updatingSignIn: "Updating sign-in",
  active: "Active",
  failed: "Failed",
};

export const SIGNING_IN_MESSAGE = "Confirm in your browser…";

/**
 * `approval` says whether the role's policy asks for approval: until an event says otherwise,
 * the path shown ends in "Waiting for approval" instead of Activating → Updating sign-in → Active.
 */
export function activationSteps(
  events: readonly ActivationProgress[],
  outcome: ActivationOutcome | undefined,
  approval: boolean,
): Step[] {
  // Already active: nothing was sent, there is nothing to show but the check.
  if (outcome?.result === "alreadyActive") return [{ stage: "validating", label: STAGE_LABELS.validating, state: "done" }];
  const seen = new Set(events.map((e) => e.stage));
  const granted = seen.has("activating") || seen.has("updatingSignIn") || seen.has("active");
  const approvalPath =
    seen.has("waitingForApproval") || outcome?.result === "pending" || (approval && !granted && outcome?.result !== "active");
  const order: ActivationStage[] = [
    "validating",
    "submitting",
    ...(approvalPath ? (["waitingForApproval"] as const) : (["activating", "updatingSignIn", "active"] as const)),
  ];
  // A step-up sign-in shows only when it happens: before the stage that came after it (often a
  // second Submitting), or, while it is open, after the stage it interrupted.
  const signIn = events.findIndex((e) => e.stage === "signingIn");
  if (signIn >= 0) {
    const next = events.slice(signIn + 1).find((e) => e.stage !== "signingIn" && order.includes(e.stage));
    const before = events
      .slice(0, signIn)
      .map((e) => order.indexOf(e.stage))
      .reduce((a, b) => Math.max(a, b), 0);
    order.splice(next ? order.indexOf(next.stage) : before + 1, 0, "signingIn");
  }

  const messages = new Map<ActivationStage, string>();
  for (const e of events) if (e.message) messages.set(e.stage, e.message);
  if (!messages.has("signingIn")) messages.set("signingIn", SIGNING_IN_MESSAGE);

  // Where the role is now: the last stage an event named (a "failed" event fails that stage).
  let current = 0;
  let failed = false;
  for (const e of events) {
    if (e.stage === "failed") failed = true;
    else {
      const i = order.indexOf(e.stage);
      if (i >= 0) current = i;
    }
  }
  if (outcome?.result === "failed") failed = true;

  const finished = outcome?.result === "active";
  const pending = outcome?.result === "pending";
  if (pending) current = order.indexOf("waitingForApproval");

  return order.map((stage, i) => {
    let state: StepState;
    if (finished) state = "done";
    else if (i < current) state = "done";
    else if (i === current) state = failed ? "failed" : stage === "active" ? "done" : "current";
    else state = "todo";
    const message = state === "current" || state === "failed" ? messages.get(stage) : undefined;
    return { stage, label: STAGE_LABELS[stage], state, ...(message ? { message } : {}) };
  });
}
