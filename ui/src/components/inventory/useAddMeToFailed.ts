// "Add me to the failed environments and retry": Dataverse lists its System Administrators only
// to its own users with a role, so the usual cure is Add me and a second read. The same cures a
// dry run's "you are not System Administrator here" (removing a role needs one). The preflight
// goes first, as everywhere Add me is offered: when it says no environment would take the admin
// now, nothing is sent and the page says why (most often: activate the admin role first).
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";
import { firstProblem, holdsAdmin, roleToActivate } from "../../lib/environments";
import { n } from "../../lib/inventory";
import { addMe, onElevationProgress, preflight, toApiError, type ApiError, type InventoryScope } from "../../platform";
import { invalidateMembership } from "../environments/queries";
import { slot, useSlot } from "../../lib/clientState";

export type AddMeStep = "idle" | "checking" | "adding" | "retrying" | "blocked" | "done";
/** Where it was asked for, and so where its progress shows: the failed environments, or the dry run's. */
export type AddMeOrigin = "failed" | "cleanup";
export type AddMeState = {
  step: AddMeStep;
  origin: AddMeOrigin;
  ids: string[];
  done: number;
  total: number;
  latest?: string;
  /** The outcome in one line (done), or why nothing was sent (blocked). */
  message?: string;
  /** What to do about it (blocked). */
  fix?: string;
  /** The role to activate in My roles (blocked, needs activation). */
  role?: string;
  /** Environments Add me did not add you to, with Power Platform's words. */
  notAdded: { name: string; message: string }[];
  error: ApiError | null;
};
export const ADD_ME_IDLE: AddMeState = { step: "idle", origin: "failed", ids: [], done: 0, total: 0, notAdded: [], error: null };
const ADD_ME = slot<AddMeState>(ADD_ME_IDLE);

export const addMeWorking = (s: AddMeState) => s.step === "checking" || s.step === "adding" || s.step === "retrying";

export function useAddMeToFailed(retry: (scope: InventoryScope, retry: boolean) => Promise<boolean>) {
  const qc = useQueryClient();
  const [state, setState] = useSlot(ADD_ME);
  const write = useCallback((next: Partial<AddMeState>) => ADD_ME.set((s) => ({ ...s, ...next })), []);

  useEffect(() => {
    let off: (() => void) | undefined;
    let gone = false;
    onElevationProgress((p) => {
      if (!gone && ADD_ME.get().step === "adding") write({ done: p.done, total: p.total, latest: p.latest.environmentName });
    })
      .then((u) => (gone ? u() : (off = u)))
      .catch(() => {
        // Without events the line says "Adding you…" until the call returns.
      });
    return () => {
      gone = true;
      off?.();
    };
  }, [write]);

  const go = useCallback(
    async (ids: string[], origin: AddMeOrigin = "failed") => {
      ADD_ME.set({ ...ADD_ME_IDLE, step: "checking", origin, ids, total: ids.length });
      try {
        const checks = await preflight(ids);
        if (!checks.some((p) => p.verdict === "ready" || p.verdict === "alreadyAdmin")) {
          const problem = checks.map(firstProblem).find(Boolean);
          write({ step: "blocked", message: problem?.title ?? "Add me would not work in these environments now.", fix: problem?.fix, role: roleToActivate(checks)?.name });
          return;
        }
        write({ step: "adding", done: 0 });
        const results = await addMe({ environmentIds: ids, tryAnyway: false });
        invalidateMembership(qc);
        const added = results.filter(holdsAdmin).length;
        const notAdded = results.filter((e) => !holdsAdmin(e)).map((e) => ({ name: e.environmentName, message: e.message }));
        write({ step: "retrying", message: `You are System Administrator in ${added} of ${n(results.length, "environment")} now.`, notAdded });
        await retry({ kind: "environments", environmentIds: ids, geo: "" }, true);
        write({ step: "done" });
      } catch (e) {
        write({ step: "idle", error: toApiError(e) });
      }
    },
    [qc, write, retry],
  );

  const reset = useCallback(() => setState(ADD_ME_IDLE), [setState]);
  return { state, go, reset };
}
