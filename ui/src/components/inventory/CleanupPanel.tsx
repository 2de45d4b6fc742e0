import { Button, Caption1, Checkbox, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { DocumentArrowUp20Regular, TaskListLtr20Regular } from "@fluentui/react-icons";
import type { ReactNode } from "react";
import { n } from "../../lib/inventory";
import type { HolderRef } from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { CleanupPlanView } from "./CleanupPlanView";
import { CleanupResults } from "./CleanupResults";
import { UsersFileView } from "./UsersFileView";
import { planInput, type CleanupState, type CleanupStep } from "./useCleanup";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  title: { margin: 0 },
  intro: { color: tokens.colorNeutralForeground2 },
  bar: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  spacer: { flexGrow: 1 },
  count: { color: tokens.colorNeutralForeground2 },
});

// Remove and Roll back are asked again through their own button and confirmation, never from here.
const RETRY_WORDS: Partial<Record<CleanupStep, string>> = {
  import: "Import again",
  plan: "Run the dry run again",
  resume: "Resume again",
};

type Props = {
  state: CleanupState;
  /** When the inventory the dry run works from was read: a newer one makes the plan stale. */
  inventoryAt: string;
  /** Environments of the dry run's skipped rows where you are not System Administrator. */
  notAdmin: string[];
  addMeBusy: boolean;
  onAddMe: () => void;
  /** Add me's progress and outcome, when asked for from here. */
  addMeStatus: ReactNode;
  /** The ticked holders that are shown, as the dry run sends them. */
  refs: HolderRef[];
  /** An inventory is running (its rows are not final: no dry run, no removal). */
  inventoryRunning: boolean;
  /** There is an inventory to work from. */
  hasInventory: boolean;
  onImport: () => void;
  onClearFile: () => void;
  onIncludeSelf: (on: boolean) => void;
  onDryRun: () => void;
  onRemove: () => void;
  onRollback: (runId: string, count: number) => void;
  onRetryFailedStep: () => void;
  onRerun: () => void;
};

/** Clean-up: pick (ticks, a users file), dry run, remove behind a confirmation, results and rollback. */
export function CleanupPanel(p: Props) {
  const s = useStyles();
  const { state } = p;
  const upns = state.usersFile?.upns ?? [];
  const something = p.refs.length > 0 || upns.length > 0;
  const working = state.busy !== null;
  const stale = state.plan !== null && state.planInput !== planInput(p.refs, upns, state.includeSelf, p.inventoryAt);
  const picked = [p.refs.length ? `${n(p.refs.length, "holder")} ticked` : "", upns.length ? `${n(upns.length, "user")} from the file` : ""].filter(Boolean).join(" · ");

  return (
    <section className={s.root} aria-labelledby="inv-cleanup-title">
      <Subtitle2 as="h2" id="inv-cleanup-title" className={s.title}>
        Clean up standing assignments
      </Subtitle2>
      <Text className={s.intro}>
        Tick holders in the list, or import a users file (one UPN per line, or a CSV with a UPN column). The dry run
        shows exactly what would be removed and sends nothing; Remove saves its plan, sealed, before sending anything.
      </Text>
      <div className={s.bar}>
        <Button icon={<DocumentArrowUp20Regular />} data-testid="inv-import" disabled={working} onClick={p.onImport}>
          {state.busy === "import" ? "Importing…" : "Import users file…"}
        </Button>
        <Checkbox
          label="Also remove my own assignments"
          data-testid="inv-include-self"
          checked={state.includeSelf}
          disabled={working}
          onChange={(_, d) => p.onIncludeSelf(d.checked === true)}
        />
        <span className={s.spacer} />
        <Caption1 className={s.count} data-testid="inv-picked" aria-live="polite">
          {picked || "Nothing picked yet"}
        </Caption1>
        <Button
          icon={<TaskListLtr20Regular />}
          data-testid="inv-dry-run"
          disabled={!something || working || p.inventoryRunning || !p.hasInventory}
          onClick={p.onDryRun}
        >
          {state.busy === "plan" ? "Running the dry run…" : "Dry run"}
        </Button>
      </div>
      {state.usersFile ? <UsersFileView file={state.usersFile} onClear={p.onClearFile} /> : null}
      {state.error ? (
        <ErrorBar
          error={state.error.error}
          retryLabel={RETRY_WORDS[state.error.step]}
          onRetry={RETRY_WORDS[state.error.step] ? p.onRetryFailedStep : undefined}
        />
      ) : null}
      {state.plan && state.busy !== "remove" ? (
        <CleanupPlanView
          plan={state.plan}
          stale={stale}
          busy={working || p.inventoryRunning}
          onRemove={p.onRemove}
          notAdmin={p.notAdmin}
          addMeBusy={p.addMeBusy || p.inventoryRunning}
          onAddMe={p.onAddMe}
          addMeStatus={p.addMeStatus}
        />
      ) : null}
      <CleanupResults state={state} onRollback={p.onRollback} onRerun={p.onRerun} inventoryRunning={p.inventoryRunning} />
    </section>
  );
}
