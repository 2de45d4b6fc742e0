// The clean-up's state and steps: the ticked holders, the users file, the dry run, the removal
// (after a confirmation), rollback and resume, each followed through `cleanup-progress`. A failed
// call keeps everything (selection, file, plan) and says what went wrong. State lives in the
// query cache (see ./store), so a run keeps going, and showing, across pages.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";
import { holderKey } from "../../lib/inventory";
import {
  cleanupRuns,
  importUsersFile,
  onCleanupProgress,
  planCleanup,
  resumeCleanup,
  rollbackCleanup,
  runCleanup,
  toApiError,
  type ApiError,
  type CleanupPlan,
  type CleanupRun,
  type CleanupRunSummary,
  type HolderRef,
  type RemovalOutcome,
  type UsersFile,
} from "../../platform";
import { slot, useSlot } from "../../lib/clientState";
import { CLEANUP_RUNS } from "../../lib/queryKeys";

export type CleanupStep = "import" | "plan" | "remove" | "rollback" | "resume";
export type RunKind = "remove" | "rollback" | "resume";

export type CleanupState = {
  /** Ticked holders, by holderKey. */
  selected: ReadonlySet<string>;
  usersFile: UsersFile | null;
  includeSelf: boolean;
  plan: CleanupPlan | null;
  /** What the plan was made from (see planInput), to tell when the choices changed since. */
  planInput: string | null;
  busy: CleanupStep | null;
  progress: { done: number; total: number; latest?: RemovalOutcome } | null;
  run: CleanupRun | null;
  runKind: RunKind | null;
  error: { step: CleanupStep; error: ApiError; runId?: string } | null;
};
export const NO_CLEANUP: CleanupState = {
  selected: new Set(),
  usersFile: null,
  includeSelf: false,
  plan: null,
  planInput: null,
  busy: null,
  progress: null,
  run: null,
  runKind: null,
  error: null,
};
const CLEANUP = slot<CleanupState>(NO_CLEANUP);

/** The dry run's inputs (and the inventory it read) in one comparable string. */
export function planInput(refs: readonly HolderRef[], upns: readonly string[], includeSelf: boolean, inventoryAt: string): string {
  return JSON.stringify([refs.map(holderKey).sort(), [...upns].sort(), includeSelf, inventoryAt]);
}

export function useCleanupRuns() {
  return useQuery<CleanupRunSummary[], ApiError>({ queryKey: CLEANUP_RUNS, queryFn: () => cleanupRuns(), staleTime: 0 });
}

export function useCleanup() {
  const qc = useQueryClient();
  const [state, setState] = useSlot(CLEANUP);
  const write = useCallback((next: Partial<CleanupState>) => CLEANUP.set((s) => ({ ...s, ...next })), []);

  useEffect(() => {
    let off: (() => void) | undefined;
    let gone = false;
    onCleanupProgress((p) => {
      const busy = CLEANUP.get().busy;
      if (!gone && (busy === "remove" || busy === "rollback" || busy === "resume")) write({ progress: { done: p.done, total: p.total, latest: p.latest } });
    })
      .then((u) => (gone ? u() : (off = u)))
      .catch(() => {
        // Without events the bar waits; the results still arrive with the call.
      });
    return () => {
      gone = true;
      off?.();
    };
  }, [write]);

  const setSelected = useCallback(
    (next: (prev: ReadonlySet<string>) => ReadonlySet<string>) => CLEANUP.set((s) => ({ ...s, selected: next(s.selected) })),
    [],
  );

  const importFile = useCallback(async () => {
    write({ busy: "import", error: null });
    try {
      const file = await importUsersFile();
      // Cancelled in the dialog: the file loaded before (if any) stays.
      write(file ? { busy: null, usersFile: file } : { busy: null });
    } catch (e) {
      write({ busy: null, error: { step: "import", error: toApiError(e) } });
    }
  }, [write]);

  const dryRun = useCallback(
    async (refs: HolderRef[], inventoryAt: string) => {
      const s = CLEANUP.get();
      const upns = s.usersFile?.upns ?? [];
      write({ busy: "plan", error: null });
      try {
        const plan = await planCleanup({ holders: refs, upns, includeSelf: s.includeSelf });
        write({ busy: null, plan, planInput: planInput(refs, upns, s.includeSelf, inventoryAt), run: null, runKind: null, progress: null });
      } catch (e) {
        write({ busy: null, error: { step: "plan", error: toApiError(e) } });
      }
    },
    [write],
  );

  const finish = useCallback(
    async (kind: RunKind, call: () => Promise<CleanupRun>, runId?: string) => {
      write({ busy: kind, error: null, progress: { done: 0, total: 0 } });
      try {
        const run = await call();
        // A removal used the plan up, and removed the ticked holders: both go.
        write({ busy: null, run, runKind: kind, progress: null, ...(kind === "remove" ? { plan: null, planInput: null, selected: new Set<string>() } : {}) });
      } catch (e) {
        write({ busy: null, progress: null, error: { step: kind, error: toApiError(e), runId } });
      } finally {
        void qc.invalidateQueries({ queryKey: CLEANUP_RUNS });
      }
    },
    [qc, write],
  );

  const remove = useCallback(() => {
    const plan = CLEANUP.get().plan;
    if (plan) void finish("remove", () => runCleanup(plan.planId, plan.removals.length));
  }, [finish]);
  const rollback = useCallback((runId: string) => void finish("rollback", () => rollbackCleanup(runId), runId), [finish]);
  const resume = useCallback((runId: string) => void finish("resume", () => resumeCleanup(runId), runId), [finish]);

  return {
    state,
    setSelected,
    setIncludeSelf: (includeSelf: boolean) => write({ includeSelf }),
    clearFile: () => write({ usersFile: null }),
    importFile,
    dryRun,
    remove,
    rollback,
    resume,
    dismissError: () => write({ error: null }),
    dismissRun: () => setState((s) => ({ ...s, run: null, runKind: null })),
  };
}
