// The My roles queries, shared by the Roles page, Home and the dialogs.
import { useQuery, type QueryClient } from "@tanstack/react-query";
import { HOME, MY_ROLES, ROLE_PREFERENCES } from "../../lib/queryKeys";
import { isUnderway } from "../../lib/roles";
import { myRoles, rolePreferences, type ApiError, type MyRoles, type RolePreferences } from "../../platform";

/** After anything that changes roles: My roles and Home fetch again. */
export function invalidateRoles(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: MY_ROLES });
  void qc.invalidateQueries({ queryKey: HOME });
}

/** Every 15 s while a request waits for approval or PIM is putting a role in place; else never. */
export function pollInterval(data: MyRoles | undefined): number | false {
  return data?.requests.some((r) => isUnderway(r.phase)) ? 15_000 : false;
}

/** My roles, fetched again on window focus and polled while something is underway. */
export function useMyRoles() {
  return useQuery<MyRoles, ApiError>({
    queryKey: MY_ROLES,
    queryFn: () => myRoles(),
    staleTime: 10_000,
    refetchOnWindowFocus: true,
    refetchInterval: (q) => pollInterval(q.state.data),
  });
}

export function useRolePreferences() {
  return useQuery<RolePreferences, ApiError>({
    queryKey: ROLE_PREFERENCES,
    queryFn: () => rolePreferences(),
    staleTime: 60_000,
  });
}
