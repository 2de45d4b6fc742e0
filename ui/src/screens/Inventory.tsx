import { Button, Caption1, MessageBar, MessageBarActions, MessageBarBody, Text, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useState } from "react";
import { CleanupPanel } from "../components/inventory/CleanupPanel";
import { RollbackDialog } from "../components/inventory/CleanupDialogs";
import { EarlierRuns } from "../components/inventory/EarlierRuns";
import { FailedBar } from "../components/inventory/FailedBar";
import { HoldersSection } from "../components/inventory/HoldersSection";
import { ScanList } from "../components/inventory/ScanList";
import { DEFAULT_SCOPE, ScopeBar, toScope, type ScopeChoice } from "../components/inventory/ScopeBar";
import { addMeWorking, useAddMeToFailed } from "../components/inventory/useAddMeToFailed";
import { AddMeStatus } from "../components/inventory/AddMeStatus";
import { useCleanup, useCleanupRuns } from "../components/inventory/useCleanup";
import { useInventoryRun } from "../components/inventory/useInventoryRun";
import { useEnvironments } from "../components/environments/queries";
import { ErrorBar } from "../components/ErrorBar";
import {
  DEFAULT_HOLDER_SORT,
  NO_HOLDER_FILTER,
  failedIds,
  filterHolders,
  flatHolders,
  holderKey,
  refOf,
  sortHolders,
  type HolderFilter,
  type HolderSort,
} from "../lib/inventory";
import { slot, useSlot } from "../lib/clientState";
import { hhmm } from "../lib/roles";
import type { PageProps } from "../nav";
import { toApiError, type CleanupRunSummary, type InventoryScope, type RunRow } from "../platform";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  top: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  title: { margin: 0, flexGrow: 1 },
  intro: { color: tokens.colorNeutralForeground2 },
  finished: { color: tokens.colorNeutralForeground3 },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

// Kept for the way back to the page, like the run itself.
const SCOPE = slot<ScopeChoice>(DEFAULT_SCOPE);
const FILTER = slot<HolderFilter>(NO_HOLDER_FILTER);
const SORT = slot<HolderSort>(DEFAULT_HOLDER_SORT);

/**
 * System Administrators: who holds the role in which environment, standing or just in time,
 * for the whole tenant; export it; remove standing assignments behind a dry run, with a rollback.
 */
export function InventoryPage({ session, navigate }: PageProps) {
  const s = useStyles();
  const envQ = useEnvironments();
  const list = envQ.data?.environments;
  const { view, run, start, cancel } = useInventoryRun(list);
  const [scope, setScope] = useSlot(SCOPE);
  // The search box types into React state (a controlled input that lags drops keystrokes); the
  // slots keep a copy for the way back.
  const [filter, setFilter] = useState(FILTER.get);
  const [sort, setSort] = useState(SORT.get);
  useEffect(() => FILTER.set(filter), [filter]);
  useEffect(() => SORT.set(sort), [sort]);
  const addMe = useAddMeToFailed(start);
  const cleanup = useCleanup();
  // The rollback's confirmation lists the rows the run's sealed records give (from the runs list).
  const runs = useCleanupRuns();
  const [rollbackFor, setRollbackFor] = useState<{ runId: string; count: number } | null>(null);

  const holders = useMemo(() => flatHolders(view), [view]);
  const sorted = useMemo(() => sortHolders(holders, sort), [holders, sort]);
  const rows = useMemo(() => filterHolders(sorted, filter), [sorted, filter]);
  const selected = cleanup.state.selected;
  // The dry run takes the ticked holders that are shown, as the Environments page's commands do.
  const refs = useMemo(() => rows.filter((h) => selected.has(holderKey(h))).map(refOf), [rows, selected]);
  const failed = useMemo(() => view.scans.filter((x) => x.status === "failed"), [view.scans]);
  const addMeBusy = addMeWorking(addMe.state);
  const you = (session.account?.upn ?? "").toLowerCase();
  // Removing a role needs System Administrator in that environment: the dry run leaves alone the
  // rows where the inventory does not list you, and Add me can fix that.
  const notAdmin = useMemo(() => {
    const ids = new Set<string>();
    for (const r of cleanup.state.plan?.skipped ?? []) {
      const mine = (view.holders[r.environmentId] ?? []).some((h) => h.upn.toLowerCase() === you && !h.isDisabled);
      if (!r.isYou && !mine) ids.add(r.environmentId);
    }
    return [...ids];
  }, [cleanup.state.plan, view.holders, you]);
  const addMeStatus = (
    <AddMeStatus state={addMe.state} onRetry={() => void addMe.go(addMe.state.ids, addMe.state.origin)} onDismiss={addMe.reset} onOpenRoles={() => navigate("roles")} />
  );
  const cleanupWorking = cleanup.state.busy === "remove" || cleanup.state.busy === "rollback" || cleanup.state.busy === "resume";

  const runScope = (sc: InventoryScope, retry = false) => {
    addMe.reset();
    void start(sc, retry);
  };
  const retryFailed = () => runScope({ kind: "environments", environmentIds: failedIds(view.scans), geo: "" }, true);
  const rerun = () => runScope(view.scope ?? toScope(scope));
  const retryCleanupStep = useCallback(() => {
    const e = cleanup.state.error;
    if (e?.step === "import") void cleanup.importFile();
    else if (e?.step === "plan") void cleanup.dryRun(refs, view.finishedAt ?? "");
    else if (e?.step === "resume" && e.runId) cleanup.resume(e.runId);
  }, [cleanup, refs, view.finishedAt]);

  return (
    <div className={s.page}>
      <div className={s.top}>
        <div className={s.head}>
          <Title2 as="h1" className={s.title}>
            System Administrators
          </Title2>
          {view.finishedAt && !run.running ? (
            <Caption1 className={s.finished} data-testid="inv-finished">
              {`${view.cancelled ? "Cancelled" : "Read"} at ${hhmm(view.finishedAt)}`}
            </Caption1>
          ) : null}
        </div>
        <Text className={s.intro}>
          Who holds System Administrator in each environment, and whether PIM takes it away again (just in time) or
          it stands until someone removes it. Standing assignments can be removed below, after a dry run, with a way back.
        </Text>
      </div>

      <ScopeBar value={scope} onChange={setScope} environments={list} run={run} onRun={() => runScope(toScope(scope))} onCancel={() => void cancel()} />

      {/* Without an active admin role "all" is only your own environments: said before the run and after it. */}
      {(envQ.data?.partial && scope.kind !== "environments" && !view.partial) || view.partial ? (
        <MessageBar intent="warning" layout="multiline" data-testid="inv-partial">
          <MessageBarBody>
            {view.partial ??
              "Only some environments can be read now. With no Global, Power Platform or Dynamics 365 Administrator role active, Power Platform shows only the default environment and those you are a user of, so an inventory would miss the others."}
          </MessageBarBody>
          <MessageBarActions>
            <Button data-testid="inv-partial-roles" onClick={() => navigate("roles")}>
              Activate a role in My roles
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}

      {run.error || (envQ.isError && scope.kind !== "all") || view.pimNote ? (
        <div className={s.bars}>
          {run.error ? <ErrorBar error={run.error} onRetry={run.scope ? () => runScope(run.scope!, run.retry) : undefined} /> : null}
          {envQ.isError && scope.kind !== "all" ? <ErrorBar error={toApiError(envQ.error)} onRetry={() => void envQ.refetch()} /> : null}
          {view.pimNote ? (
            <MessageBar intent="info" layout="multiline" data-testid="inv-pim-note">
              <MessageBarBody>{view.pimNote}</MessageBarBody>
            </MessageBar>
          ) : null}
        </div>
      ) : null}

      {view.scans.length ? (
        <>
          <FailedBar
            failed={run.running || (addMeBusy && addMe.state.origin === "failed") ? [] : failed}
            busy={run.running || addMeBusy}
            onRetry={retryFailed}
            onAddMe={() => void addMe.go(failedIds(view.scans), "failed")}
          />
          {addMe.state.origin === "failed" ? addMeStatus : null}
          <ScanList scans={view.scans} />
        </>
      ) : null}

      <HoldersSection
        holders={holders}
        rows={rows}
        filter={filter}
        onFilter={setFilter}
        sort={sort}
        onSort={setSort}
        scans={view.scans}
        selected={selected}
        onSelected={cleanup.setSelected}
        you={you}
        running={run.running}
        finished={!!view.finishedAt}
      />

      <CleanupPanel
        state={cleanup.state}
        refs={refs}
        inventoryAt={view.finishedAt ?? ""}
        notAdmin={notAdmin}
        addMeBusy={addMeBusy}
        onAddMe={() => void addMe.go(notAdmin, "cleanup")}
        addMeStatus={addMe.state.origin === "cleanup" ? addMeStatus : null}
        inventoryRunning={run.running}
        hasInventory={!!view.finishedAt}
        onImport={() => void cleanup.importFile()}
        onClearFile={cleanup.clearFile}
        onIncludeSelf={cleanup.setIncludeSelf}
        onDryRun={() => void cleanup.dryRun(refs, view.finishedAt ?? "")}
        onRemove={cleanup.remove}
        onRollback={(runId, count) => setRollbackFor({ runId, count })}
        onRetryFailedStep={retryCleanupStep}
        onRerun={rerun}
      />

      <EarlierRuns busy={cleanupWorking} onResume={cleanup.resume} onRollback={(runId, count) => setRollbackFor({ runId, count })} />

      {rollbackFor ? (
        <RollbackDialog
          rows={rollbackRows(runs.data, runs.isFetching, rollbackFor.runId)}
          onClose={() => setRollbackFor(null)}
          onConfirm={() => {
            cleanup.rollback(rollbackFor.runId);
            setRollbackFor(null);
          }}
        />
      ) : null}
    </div>
  );
}

/** What the rollback of `runId` acts on; null while the runs are still being read. */
function rollbackRows(runs: readonly CleanupRunSummary[] | undefined, fetching: boolean, runId: string): readonly RunRow[] | null {
  const run = runs?.find((r) => r.runId === runId);
  if (run) return run.rollbackRows;
  return !runs || fetching ? null : [];
}
