// Every query key of the app, in one place: what a screen reads, what a change invalidates and
// what sign-out forgets all name the same keys.
import type { QueryClient } from "@tanstack/react-query";
import { resetClientState } from "./clientState";

export const SESSION = ["session"] as const;
export const SETTINGS = ["settings"] as const;
export const HOME = ["home"] as const;
export const MY_ROLES = ["myRoles"] as const;
export const ROLE_PREFERENCES = ["rolePreferences"] as const;
export const ENVIRONMENTS = ["environments"] as const;
export const MEMBERSHIP = ["membership"] as const;
export const membershipKey = (environmentId: string) => [...MEMBERSHIP, environmentId] as const;
export const CLEANUP_RUNS = ["cleanupRuns"] as const;
export const JOURNAL_HEALTH = ["journal", "health"] as const;
export const journalEntriesKey = (filter: unknown) => ["journal", "entries", filter] as const;
export const APP_INFO_KEY = ["appInfo"] as const;
export const UPDATE_KEY = ["update"] as const;

/** What belongs to the signed-in account: gone at sign-out, so the next account never sees it. */
const ACCOUNT_QUERIES = [HOME, MY_ROLES, ROLE_PREFERENCES, ENVIRONMENTS, MEMBERSHIP, CLEANUP_RUNS];

/** Sign-out: the account's cached queries and all client state (inventory, selection, clean-up), in one call. */
export function forgetAccount(qc: QueryClient): void {
  for (const queryKey of ACCOUNT_QUERIES) qc.removeQueries({ queryKey });
  resetClientState();
}
