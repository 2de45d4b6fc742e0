// The Environments queries, shared by the page, its panes and the Add-me dialog.
import { useQuery, type QueryClient } from "@tanstack/react-query";
import { ENVIRONMENTS, MEMBERSHIP, membershipKey } from "../../lib/queryKeys";
import { environments, environmentMembership, type ApiError, type EnvironmentList, type Membership } from "../../platform";

/** The list changes rarely and costs a paged fetch: kept 5 minutes, or until Refresh. */
export function useEnvironments() {
  return useQuery<EnvironmentList, ApiError>({
    queryKey: ENVIRONMENTS,
    queryFn: () => environments(),
    staleTime: 5 * 60_000,
  });
}

export function useMembership(environmentId: string) {
  return useQuery<Membership, ApiError>({
    queryKey: membershipKey(environmentId),
    queryFn: () => environmentMembership(environmentId),
  });
}

/** After Add me: every System Administrators list is read again when next shown. */
export function invalidateMembership(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: MEMBERSHIP });
}
