// The System Administrators page keeps its state in the query cache, not in the screen: an
// inventory of a large tenant runs for minutes, and an admin who opens Environments meanwhile
// (to Add me, say) comes back to the rows found so far, the selection and the dry run. The run's
// promise writes here even while the page is not shown. Sign-out removes it (App.tsx).
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

/** Everything the page keeps starts with this key. */
export const INVENTORY = ["inventory"] as const;

export type Update<T> = T | ((prev: T) => T);

/** Read what is stored under `key` now (for callbacks that outlive a render). */
export function readStored<T>(qc: QueryClient, key: readonly unknown[], initial: T): T {
  return qc.getQueryData<T>(key) ?? initial;
}

export function writeStored<T>(qc: QueryClient, key: readonly unknown[], initial: T, next: Update<T>): void {
  qc.setQueryData<T>(key, (prev) => (typeof next === "function" ? (next as (p: T) => T)(prev ?? initial) : next));
}

/** Like useState, but kept in the query cache for as long as the session lasts. */
export function useStored<T>(key: readonly unknown[], initial: T): [T, (next: Update<T>) => void] {
  const qc = useQueryClient();
  const q = useQuery<T>({
    queryKey: key,
    queryFn: () => readStored(qc, key, initial),
    initialData: initial,
    staleTime: Infinity,
    gcTime: Infinity,
    // Thousands of holders: comparing each update deeply with the last would cost more than it saves.
    structuralSharing: false,
  });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const set = useCallback((next: Update<T>) => writeStored(qc, key, initial, next), [qc, ...key]);
  return [q.data ?? initial, set];
}
