// The UI's own state that outlives a screen (not server data, so not in the query cache): an
// inventory of a large tenant runs for minutes, and an admin who opens Environments meanwhile
// comes back to the rows found so far, the selection and the dry run. A run's promise writes
// here even while its page is not shown. Sign-out puts every slot back (see `forgetAccount`).
import { useSyncExternalStore } from "react";

export type Update<T> = T | ((prev: T) => T);

export type Slot<T> = {
  /** What is there now (for callbacks that outlive a render). */
  get: () => T;
  set: (next: Update<T>) => void;
  subscribe: (listener: () => void) => () => void;
};

const resets = new Set<() => void>();

/** A piece of client state, starting (and reset to) `initial`. */
export function slot<T>(initial: T): Slot<T> {
  let value = initial;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    pending = undefined;
    listeners.forEach((l) => l());
  };
  const set = (next: Update<T>) => {
    const v = typeof next === "function" ? (next as (p: T) => T)(value) : next;
    if (Object.is(v, value)) return;
    value = v;
    // Readers hear of it on the next tick, all writes of this one together (as the query cache
    // told them): a run's events and results land as one render, not one each.
    pending ??= setTimeout(notify, 0);
  };
  resets.add(() => set(initial));
  return {
    get: () => value,
    set,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Like useState, but kept for as long as the session lasts. Its updates render a tick later: a
 * controlled input (a search box) keeps its text in React state and copies it here.
 */
export function useSlot<T>(s: Slot<T>): [T, (next: Update<T>) => void] {
  return [useSyncExternalStore(s.subscribe, s.get, s.get), s.set];
}

/** Every slot back to where it started: at sign-out, and between tests. */
export function resetClientState(): void {
  resets.forEach((r) => r());
}
