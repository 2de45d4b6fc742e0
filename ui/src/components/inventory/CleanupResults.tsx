import { StillAdmin } from "./CleanupPlanView";
import {
  Badge,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwise20Regular, ArrowUndo20Regular } from "@fluentui/react-icons";
import { REMOVAL_COLORS, REMOVAL_WORDS, holderKey, n } from "../../lib/inventory";
import type { CleanupRun, RemovalOutcome } from "../../platform";
import { CopyButton } from "../CopyButton";
import { ResultTable, useResultStyles, type ResultColumn } from "../grid/ResultTable";
import type { CleanupState, RunKind } from "./useCleanup";

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground2 },
  error: { display: "block", color: tokens.colorStatusDangerForeground1, overflowWrap: "anywhere" },
  logs: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
  path: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

const BUSY_WORDS: Record<RunKind, string> = { remove: "Removing", rollback: "Putting back", resume: "Finishing the interrupted run" };

/** What can still be put back: what the run removed, now or in its interrupted part. */
export const restorable = (run: CleanupRun) => run.outcomes.filter((o) => o.result === "removed" || o.result === "alreadyDone" || o.result === "unknown").length;

function headline(run: CleanupRun, kind: RunKind): string {
  if (kind === "rollback") {
    const back = run.outcomes.filter((o) => o.result === "restored").length;
    const failed = run.outcomes.filter((o) => o.result === "failed").length;
    return `Put back ${n(back, "assignment")}${failed ? ` · ${failed} failed` : ""}`;
  }
  const done = run.outcomes.filter((o) => o.result === "alreadyDone").length;
  const before = done ? ` (${done} already removed before)` : "";
  return `Removed ${run.removed} of ${n(run.outcomes.length, "assignment")}${before}${run.failed ? ` · ${run.failed} failed` : ""}${run.unknown ? ` · ${run.unknown} without an answer` : ""}`;
}

const OUTCOME_COLUMNS: ResultColumn<RemovalOutcome>[] = [
  { label: "Name", cell: (o) => o.removal.fullName },
  { label: "Environment", cell: (o) => o.removal.environmentName },
  { label: "Result", width: "40%", wrap: false, cell: (o) => <Outcome outcome={o} /> },
];

function Outcome({ outcome: o }: { outcome: RemovalOutcome }) {
  const s = useStyles();
  return (
    <>
      <Badge appearance="tint" color={REMOVAL_COLORS[o.result]}>
        {REMOVAL_WORDS[o.result]}
      </Badge>
      {o.error ? <Caption1 className={s.error}>{o.error.message}</Caption1> : null}
    </>
  );
}

const outcomeRow = (o: RemovalOutcome) => ({ "data-testid": "cleanup-outcome", "data-result": o.result, "data-upn": o.removal.upn, "data-env-id": o.removal.environmentId });

type Props = {
  state: CleanupState;
  onRollback: (runId: string, count: number) => void;
  onRerun: () => void;
  /** An inventory is running (so "Run it again" waits). */
  inventoryRunning: boolean;
};

/** A removal, resume or rollback: its progress, then each row's result, the logs and the way back. */
export function CleanupResults({ state, onRollback, onRerun, inventoryRunning }: Props) {
  const s = useStyles();
  const r = useResultStyles();
  const working = state.busy === "remove" || state.busy === "rollback" || state.busy === "resume";
  if (working) {
    const p = state.progress;
    const latest = p?.latest ? ` · ${p.latest.removal.fullName} in ${p.latest.removal.environmentName}` : "";
    return (
      <div className={r.panel}>
        <ProgressBar data-testid="cleanup-progress" thickness="large" value={p?.total ? p.done / p.total : undefined} aria-label={BUSY_WORDS[state.busy as RunKind]} />
        <Caption1 className={s.muted} aria-live="polite" data-testid="cleanup-progress-text">
          {`${BUSY_WORDS[state.busy as RunKind]}: ${p?.total ? `${p.done} of ${p.total}${latest}` : "saving the sealed plan…"}`}
        </Caption1>
      </div>
    );
  }
  const run = state.run;
  const kind = state.runKind;
  if (!run || !kind) return null;
  const back = restorable(run);
  return (
    <div className={r.panel} data-testid="cleanup-results" data-kind={kind}>
      <MessageBar intent={run.failed || run.unknown || run.outcomes.some((o) => o.removal.stillAdmin) ? "warning" : "success"} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{headline(run, kind)}</MessageBarTitle>
          {run.failed ? "The failed rows say why; the errors log in the folder below has the details. " : null}
          {run.unknown ? "Rows without an answer may or may not have changed: Resume or Roll back checks each one first." : null}
        </MessageBarBody>
      </MessageBar>
      {kind !== "rollback" ? (
        <StillAdmin rows={run.outcomes.filter((o) => o.result === "removed" || o.result === "alreadyDone").map((o) => o.removal)} testId="cleanup-results-still-admin" />
      ) : null}
      {run.notice ? (
        <MessageBar intent="warning" layout="multiline" data-testid="cleanup-notice">
          <MessageBarBody>{run.notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      <ResultTable label="Results" columns={OUTCOME_COLUMNS} rows={run.outcomes} rowKey={(o) => holderKey(o.removal)} rowProps={outcomeRow} />
      <div className={s.logs}>
        <Caption1 className={s.muted}>Plan, progress, log, errors log and report:</Caption1>
        <Caption1 className={s.path} data-testid="cleanup-logs-folder">
          {run.logsFolder}
        </Caption1>
        <CopyButton text={run.logsFolder} what="logs folder path" />
      </div>
      <div className={s.actions}>
        {kind !== "rollback" && back > 0 ? (
          <Button icon={<ArrowUndo20Regular />} data-testid="cleanup-rollback" onClick={() => onRollback(run.runId, back)}>
            Roll back
          </Button>
        ) : null}
      </div>
      <MessageBar intent="info" data-testid="cleanup-rerun-hint">
        <MessageBarBody>The list above shows the holders as they were. Run the inventory again to see each environment as it is now.</MessageBarBody>
        <MessageBarActions>
          <Button icon={<ArrowClockwise20Regular />} data-testid="cleanup-rerun" disabled={inventoryRunning} onClick={onRerun}>
            Run inventory again
          </Button>
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}
