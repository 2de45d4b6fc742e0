// Runs the inventory and builds the view from its `inventory-progress` events (rows appear as
// each environment finishes) and then its result. A retry of some environments merges into the
// view instead of replacing it. The view and the run are client state (lib/clientState), kept across pages.
import { useCallback, useEffect } from "react";
import { EMPTY_VIEW, addWaiting, applyProgress, applyResult, startRun, type InventoryView } from "../../lib/inventory";
import {
  cancelInventory,
  inventory,
  onInventoryProgress,
  toApiError,
  type ApiError,
  type Environment,
  type EnvironmentScan,
  type InventoryProgress,
  type InventoryScope,
} from "../../platform";
import { slot, useSlot } from "../../lib/clientState";

const FLUSH_MS = 100;

export type RunState = {
  running: boolean;
  /** Retrying some environments (merges) rather than a full run (replaces). */
  retry: boolean;
  done: number;
  /** 0 until known: the bar is indeterminate. */
  total: number;
  /** The environment that finished last. */
  latest?: string;
  /** An event arrived in this run (so the view holds something of it). */
  heard: boolean;
  cancelling: boolean;
  error: ApiError | null;
  /** What this run (or the one that failed) was asked for: Try again repeats it. */
  scope?: InventoryScope;
};
export const IDLE: RunState = { running: false, retry: false, done: 0, total: 0, heard: false, cancelling: false, error: null };
export const VIEW = slot<InventoryView>(EMPTY_VIEW);
export const RUN = slot<RunState>(IDLE);

/** The environments a scope will read, as Waiting rows, when the Environments list knows them. */
export function queuedScans(scope: InventoryScope, list: readonly Environment[] | undefined, view: InventoryView): EnvironmentScan[] {
  const row = (id: string, name: string, geo: string): EnvironmentScan => ({ environmentId: id, environmentName: name, geo, status: "queued", holders: 0 });
  if (scope.kind === "environments") {
    const known = new Map(view.scans.map((s) => [s.environmentId, s]));
    const envs = new Map((list ?? []).map((e) => [e.id, e]));
    return scope.environmentIds.flatMap((id) => {
      const e = envs.get(id);
      const s = known.get(id);
      return e ? [row(id, e.displayName, e.geo)] : s ? [row(id, s.environmentName, s.geo)] : [];
    });
  }
  if (!list) return [];
  const wanted = scope.kind === "geo" ? list.filter((e) => e.geo === scope.geo) : list;
  return wanted.map((e) => row(e.id, e.displayName, e.geo));
}

export function useInventoryRun(list: readonly Environment[] | undefined) {
  const [view, setView] = useSlot(VIEW);
  const [run, setRun] = useSlot(RUN);

  useEffect(() => {
    let off: (() => void) | undefined;
    let gone = false;
    // Events come in batches of up to 24 at once, thousands in a large tenant: applied together
    // a few times a second, not one render each.
    let queue: InventoryProgress[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = queue;
      queue = [];
      // Events of a run that is over (or of another window's) change nothing here.
      if (batch.length === 0 || !RUN.get().running) return;
      const last = batch[batch.length - 1];
      VIEW.set((v) => applyProgress(v, batch));
      RUN.set((r) => ({ ...r, done: last.done, total: last.total, latest: last.scan.environmentName, heard: true }));
    };
    onInventoryProgress((p) => {
      if (gone) return;
      queue.push(p);
      timer ??= setTimeout(flush, FLUSH_MS);
    })
      .then((u) => (gone ? u() : (off = u)))
      .catch(() => {
        // Without events the rows arrive all at once, with the result.
      });
    return () => {
      gone = true;
      off?.();
      clearTimeout(timer);
      flush();
    };
  }, []);

  // Run pressed before the Environments list had loaded: the rows wait once it has.
  useEffect(() => {
    const r = RUN.get();
    if (!list || !r.running || r.retry || !r.scope) return;
    const scope = r.scope;
    VIEW.set((v) => addWaiting(v, queuedScans(scope, list, v)));
  }, [list]);

  const start = useCallback(
    async (scope: InventoryScope, retry = false): Promise<boolean> => {
      if (RUN.get().running) return false;
      const before = VIEW.get();
      const queued = queuedScans(scope, list, before);
      VIEW.set((v) => startRun(v, queued, retry, scope));
      RUN.set({ ...IDLE, running: true, retry, total: queued.length, scope });
      try {
        const inv = await inventory(scope);
        VIEW.set((v) => applyResult(v, inv, retry));
        RUN.set((r) => ({ ...r, running: false, cancelling: false }));
        return true;
      } catch (e) {
        const heard = RUN.get().heard;
        // Nothing of this run arrived: the view comes back as it was. Otherwise keep what did,
        // and the rows still waiting say they were not read.
        VIEW.set((v) =>
          heard ? { ...v, scans: v.scans.map((s) => (s.status === "queued" || s.status === "running" ? { ...s, status: "cancelled" as const } : s)) } : before,
        );
        RUN.set((r) => ({ ...r, running: false, cancelling: false, error: toApiError(e) }));
        return false;
      }
    },
    [list],
  );

  const cancel = useCallback(async () => {
    setRun((r) => ({ ...r, cancelling: true }));
    try {
      await cancelInventory();
    } catch (e) {
      setRun((r) => ({ ...r, cancelling: false, error: toApiError(e) }));
    }
  }, [setRun]);

  const dismissError = useCallback(() => setRun((r) => ({ ...r, error: null })), [setRun]);

  return { view, run, start, cancel, dismissError, setView };
}
