import { Body1, Caption1, Spinner, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { CheckmarkCircle16Filled, Circle16Regular, Clock16Regular, DismissCircle16Filled } from "@fluentui/react-icons";
import type { Ref } from "react";
import { activationSteps, type Step } from "../../lib/activationSteps";
import { hhmm } from "../../lib/roles";
import type { ActivationOutcome, ActivationProgress, EligibleRole } from "../../platform";
import { CopyButton } from "../CopyButton";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, ":focus-visible": { outline: "none" } },
  block: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  name: { fontWeight: tokens.fontWeightSemibold },
  steps: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  step: { display: "grid", gridTemplateColumns: "20px minmax(0, 1fr)", columnGap: tokens.spacingHorizontalS, alignItems: "center" },
  icon: { display: "flex", alignItems: "center", justifyContent: "center" },
  done: { color: tokens.colorStatusSuccessForeground1 },
  failed: { color: tokens.colorStatusDangerForeground1 },
  todo: { color: tokens.colorNeutralForeground4 },
  current: { fontWeight: tokens.fontWeightSemibold },
  message: { gridColumn: "2", color: tokens.colorNeutralForeground2 },
  result: { display: "flex", flexDirection: "column", gap: "2px", paddingInlineStart: "28px" },
  ok: { color: tokens.colorStatusSuccessForeground1, fontWeight: tokens.fontWeightSemibold },
  pending: { color: tokens.colorStatusWarningForeground2, fontWeight: tokens.fontWeightSemibold },
  bad: { color: tokens.colorStatusDangerForeground1, fontWeight: tokens.fontWeightSemibold },
  correlation: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground2 },
  mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  srOnly: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

type Props = {
  ref?: Ref<HTMLDivElement>;
  roles: readonly Pick<EligibleRole, "roleId" | "name" | "policy">[];
  /** The `activation-progress` events so far, per role id. */
  events: Readonly<Record<string, readonly ActivationProgress[]>>;
  /** Once the call returned. */
  outcomes?: readonly ActivationOutcome[];
  /** Words approval by `approvalForExtension` instead of `requiresApproval`. */
  mode: "activate" | "extend";
};

/** One block per role: Validating → (Signing in) → Submitting → Activating → Updating sign-in → Active. */
export function ActivationStepper({ ref, roles, events, outcomes, mode }: Props) {
  const s = useStyles();
  return (
    <div ref={ref} tabIndex={-1} className={s.root} data-testid="activation-stepper" aria-live="polite">
      {roles.map((r) => {
        const outcome = outcomes?.find((o) => o.roleId === r.roleId);
        const approval = !!(mode === "extend" ? r.policy?.approvalForExtension : r.policy?.requiresApproval);
        const steps = activationSteps(events[r.roleId] ?? [], outcome, approval);
        return (
          <section key={r.roleId} className={s.block} data-testid="activation-role" data-role-id={r.roleId} aria-label={r.name}>
            {roles.length > 1 ? <Body1 className={s.name}>{r.name}</Body1> : null}
            <ol className={s.steps}>
              {steps.map((step) => (
                <StepRow key={step.stage} step={step} waiting={outcome?.result === "pending"} />
              ))}
            </ol>
            {outcome ? <Result outcome={outcome} /> : null}
          </section>
        );
      })}
    </div>
  );
}

function StepRow({ step, waiting }: { step: Step; waiting: boolean }) {
  const s = useStyles();
  const icon =
    step.state === "done" ? (
      <CheckmarkCircle16Filled className={s.done} />
    ) : step.state === "failed" ? (
      <DismissCircle16Filled className={s.failed} />
    ) : step.state === "current" ? (
      waiting ? <Clock16Regular /> : <Spinner size="extra-tiny" aria-hidden />
    ) : (
      <Circle16Regular className={s.todo} />
    );
  const stateWords = { done: "done", current: "in progress", todo: "not started", failed: "failed" }[step.state];
  return (
    <li className={s.step} data-testid="stage" data-stage={step.stage} data-state={step.state} aria-current={step.state === "current" ? "step" : undefined}>
      <span className={s.icon}>{icon}</span>
      <Text className={mergeClasses(step.state === "todo" && s.todo, step.state === "current" && s.current, step.state === "failed" && s.failed)}>
        {step.label}
        <span className={s.srOnly}>: {stateWords}</span>
      </Text>
      {step.message ? (
        <Caption1 className={s.message} data-testid="stage-message">
          {step.message}
        </Caption1>
      ) : null}
    </li>
  );
}

function Result({ outcome }: { outcome: ActivationOutcome }) {
  const s = useStyles();
  switch (outcome.result) {
    case "active":
      return (
        <div className={s.result}>
          <Text className={s.ok} data-testid="activation-result" data-result="active">
            {outcome.expiresAt ? `Active until ${hhmm(outcome.expiresAt)}` : "Active"}
          </Text>
          {outcome.inToken ? null : (
            <Caption1>
              Not yet in your sign-in: services such as Power Platform may not see it for a few minutes. Elevate keeps
              trying.
            </Caption1>
          )}
        </div>
      );
    case "alreadyActive":
      return (
        <div className={s.result}>
          <Text className={s.ok} data-testid="activation-result" data-result="alreadyActive">
            Already active — nothing changed
          </Text>
        </div>
      );
    case "pending":
      return (
        <div className={s.result}>
          <Text className={s.pending} data-testid="activation-result" data-result="pending">
            Waiting for approval. Elevate will notify you when it is decided.
          </Text>
        </div>
      );
    case "failed":
      return (
        <div className={s.result}>
          <Text className={s.bad} data-testid="activation-result" data-result="failed">
            {outcome.error?.message ?? "The activation failed."}
          </Text>
          {outcome.error?.correlationId ? (
            <span className={s.correlation}>
              <Caption1>Correlation ID:</Caption1>
              <Caption1 className={s.mono} data-testid="activation-correlation-id">
                {outcome.error.correlationId}
              </Caption1>
              <CopyButton text={outcome.error.correlationId} what="correlation ID" />
            </span>
          ) : null}
        </div>
      );
  }
}
