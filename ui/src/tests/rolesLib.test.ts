import { describe, expect, it } from "vitest";
import { pollInterval } from "../components/roles/queries";
import { activationSteps } from "../lib/activationSteps";
import {
  PHASE_WORDS,
  actionWords,
  countdownText,
  endsSoon,
  hhmm,
  membership,
  policyBadges,
  requirementLines,
  timeLeft,
} from "../lib/roles";
import type { ActivationOutcome, ActivationProgress, ActivationStage } from "../platform";
import { eligibleRole, myRolesData, policy, request } from "./rolesFixtures";

const MIN = 60_000;

describe("countdown words", () => {
  it("rounds the time left down", () => {
    expect(timeLeft(120 * MIN - 1)).toBe("1 h 59 min");
    expect(timeLeft(120 * MIN)).toBe("2 h");
    expect(timeLeft(59 * MIN + 59_000)).toBe("59 min");
    expect(timeLeft(61 * MIN)).toBe("1 h 1 min");
    expect(timeLeft(59_000)).toBe("less than 1 min");
  });

  it("says until when, and that it ended", () => {
    const now = new Date(2026, 4, 1, 12, 33).getTime();
    const end = new Date(2026, 4, 1, 14, 32, 30).toISOString();
    expect(countdownText(end, now)).toBe("1 h 59 min left · until 14:32");
    expect(countdownText(end, new Date(2026, 4, 1, 14, 33).getTime())).toBe("Ended at 14:32");
    expect(hhmm(new Date(2026, 4, 1, 9, 5))).toBe("09:05");
  });

  it("warns in the last 10 minutes", () => {
    const now = Date.now();
    expect(endsSoon(new Date(now + 10 * MIN).toISOString(), now)).toBe(false);
    expect(endsSoon(new Date(now + 9 * MIN).toISOString(), now)).toBe(true);
  });
});

describe("role words", () => {
  it("names actions, phases and membership like the PIM portal", () => {
    expect(actionWords("selfActivate")).toBe("Activate");
    expect(actionWords("selfDeactivate")).toBe("Deactivate");
    expect(actionWords("selfExtend")).toBe("Extend");
    expect(actionWords("someNewThing")).toBe("Some new thing");
    expect(Object.values(PHASE_WORDS)).toEqual(["Waiting for approval", "Activating", "Completed", "Denied", "Canceled", "Failed"]);
    expect(membership({ memberType: "direct" })).toBe("Direct");
    expect(membership({ memberType: "group", groupName: "Helpdesk" })).toBe("Group: Helpdesk");
    expect(membership({ memberType: "inherited" })).toBe("Inherited");
  });

  it("badges what a policy needs", () => {
    expect(policyBadges(policy({ requiresTicket: true, requiresMfa: true }))).toEqual(["Up to 8 h", "Justification", "Ticket", "MFA"]);
    expect(policyBadges(policy({ maxDurationMinutes: 120, requiresJustification: false, requiresApproval: true, authenticationContext: "c1" }))).toEqual([
      "Up to 2 h",
      "Approval",
      "Auth context",
    ]);
    expect(policyBadges(undefined)).toEqual(["Up to 8 h", "Justification"]);
  });

  it("says before Activate what will happen", () => {
    const mfa = eligibleRole({ policy: policy({ requiresMfa: true }) });
    expect(requirementLines([mfa])).toEqual(["You will be asked to confirm with multi-factor authentication in your browser."]);
    const approval = eligibleRole({ name: "User Administrator", policy: policy({ requiresApproval: true, approvers: ["Gloria Mueller"] }) });
    expect(requirementLines([approval])).toEqual([
      "This role needs approval by Gloria Mueller; Elevate tells you when it is decided.",
    ]);
    const ctx = eligibleRole({ name: "Security Administrator", policy: policy({ authenticationContext: "c1" }) });
    expect(requirementLines([ctx])).toEqual([
      "Your organization requires an extra sign-in check (authentication context c1) for this role.",
    ]);
    expect(requirementLines([approval, ctx])).toEqual([
      "Your organization requires an extra sign-in check (authentication context c1) for Security Administrator.",
      "User Administrator needs approval by Gloria Mueller; Elevate tells you when it is decided.",
    ]);
    expect(requirementLines([eligibleRole({ policy: undefined })])[0]).toMatch(/could not read the PIM settings of this role/);
    expect(requirementLines([eligibleRole()])).toEqual(["Nothing else is needed: PIM usually activates the role within a minute."]);
    // Extending asks approval only when the policy says so for extensions.
    expect(requirementLines([approval], "extend")[0]).toMatch(/^Nothing else is needed/);
  });
});

const ev = (...stages: ActivationStage[]): ActivationProgress[] =>
  stages.map((stage) => ({ roleId: "r", roleName: "Role", stage }));
const states = (steps: ReturnType<typeof activationSteps>) => steps.map((s) => `${s.stage}:${s.state}`);
const outcome = (over: Partial<ActivationOutcome>): ActivationOutcome => ({ roleId: "r", roleName: "Role", result: "active", inToken: true, ...over });

describe("activation stepper model", () => {
  it("starts at Validating", () => {
    expect(states(activationSteps([], undefined, false))).toEqual([
      "validating:current",
      "submitting:todo",
      "activating:todo",
      "updatingSignIn:todo",
      "active:todo",
    ]);
  });

  it("follows the events, and ends with every stage done", () => {
    expect(states(activationSteps(ev("validating", "submitting", "activating"), undefined, false))).toEqual([
      "validating:done",
      "submitting:done",
      "activating:current",
      "updatingSignIn:todo",
      "active:todo",
    ]);
    expect(states(activationSteps(ev("validating", "submitting", "activating", "updatingSignIn", "active"), undefined, false)).every((s) => s.endsWith(":done"))).toBe(true);
    // Already active: nothing was sent, only the check shows.
    expect(states(activationSteps(ev("validating"), outcome({ result: "alreadyActive" }), true))).toEqual(["validating:done"]);
  });

  it("shows Signing in only when it happens, where it happened, with what to do", () => {
    const steps = activationSteps(ev("validating", "signingIn"), undefined, false);
    expect(states(steps).slice(0, 3)).toEqual(["validating:done", "signingIn:current", "submitting:todo"]);
    expect(steps[1].message).toBe("Confirm in your browser…");
    // PIM asked for a step-up after the first submit: the sign-in shows before the second.
    const open = activationSteps(ev("validating", "submitting", "signingIn"), undefined, false);
    expect(states(open).slice(0, 4)).toEqual(["validating:done", "submitting:done", "signingIn:current", "activating:todo"]);
    const again = activationSteps(ev("validating", "submitting", "signingIn", "submitting"), undefined, false);
    expect(states(again).slice(0, 4)).toEqual(["validating:done", "signingIn:done", "submitting:current", "activating:todo"]);
  });

  it("ends in Waiting for approval when the policy asks approval", () => {
    expect(states(activationSteps(ev("validating"), undefined, true))).toEqual(["validating:current", "submitting:todo", "waitingForApproval:todo"]);
    expect(states(activationSteps(ev("validating", "submitting", "waitingForApproval"), outcome({ result: "pending" }), true))).toEqual([
      "validating:done",
      "submitting:done",
      "waitingForApproval:current",
    ]);
  });

  it("marks the stage that failed", () => {
    expect(states(activationSteps(ev("validating", "submitting", "failed"), outcome({ result: "failed" }), false))).toEqual([
      "validating:done",
      "submitting:failed",
      "activating:todo",
      "updatingSignIn:todo",
      "active:todo",
    ]);
  });
});

describe("polling My roles", () => {
  it("polls every 15 s only while a request waits for approval or is being put in place", () => {
    expect(pollInterval(undefined)).toBe(false);
    expect(pollInterval(myRolesData({ requests: [request({ phase: "completed" }), request({ phase: "denied" })] }))).toBe(false);
    expect(pollInterval(myRolesData({ requests: [request({ phase: "completed" }), request({ phase: "waitingForApproval" })] }))).toBe(15_000);
    expect(pollInterval(myRolesData({ requests: [request({ phase: "provisioning" })] }))).toBe(15_000);
  });
});
