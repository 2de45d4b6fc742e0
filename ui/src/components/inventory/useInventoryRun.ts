// Runs the inventory and builds the view from its `inventory-progress` events (rows appear as
// each environment finishes) and then its result. A retry of some environments merges into the
// view instead of replacing it. State lives in the query cache (see ./store).
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";
import { EMPTY_VIEW, applyProgress, applyResult, startRun, type InventoryView } from "../../lib/inventory";
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
import { INVENTORY, readStored, useStored, writeStored } from "./store";

export const VIEW = [...INVENTORY, "view"] as const;
const FLUSH_MS = 100;
export const RUN = [...INVENTORY, "run"] as const;

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
  const qc = useQueryClient();
  const [view, setView] = useStored<InventoryView>(VIEW, EMPTY_VIEW);
  const [run, setRun] = useStored<RunState>(RUN, IDLE);

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
      if (batch.length === 0 || !readStored(qc, RUN, IDLE).running) return;
      const last = batch[batch.length - 1];
      writeStored(qc, VIEW, EMPTY_VIEW, (v) => applyProgress(v, batch));
      writeStored(qc, RUN, IDLE, (r) => ({ ...r, done: last.done, total: last.total, latest: last.scan.environmentName, heard: true }));
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
  }, [qc]);

  const start = useCallback(
    async (scope: InventoryScope, retry = false): Promise<boolean> => {
      if (readStored(qc, RUN, IDLE).running) return false;
      const before = readStored(qc, VIEW, EMPTY_VIEW);
      const queued = queuedScans(scope, list, before);
      writeStored(qc, VIEW, EMPTY_VIEW, (v) => startRun(v, queued, retry, scope));
      writeStored(qc, RUN, IDLE, { ...IDLE, running: true, retry, total: queued.length, scope });
      try {
        const inv = await inventory(scope);
        writeStored(qc, VIEW, EMPTY_VIEW, (v) => applyResult(v, inv, retry));
        writeStored(qc, RUN, IDLE, (r) => ({ ...r, running: false, cancelling: false }));
        return true;
      } catch (e) {
        const heard = readStored(qc, RUN, IDLE).heard;
        // Nothing of this run arrived: the view comes back as it was. Otherwise keep what did,
        // and the rows still waiting say they were not read.
        writeStored(qc, VIEW, EMPTY_VIEW, (v) =>
          heard ? { ...v, scans: v.scans.map((s) => (s.status === "queued" || s.status === "running" ? { ...s, status: "cancelled" as const } : s)) } : before,
        );
        writeStored(qc, RUN, IDLE, (r) => ({ ...r, running: false, cancelling: false, error: toApiError(e) }));
        return false;
      }
    },
    [qc, list],
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
