import {
  Button,
  Caption1,
  CounterBadge,
  Skeleton,
  SkeletonItem,
  Tab,
  TabList,
  Text,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwise20Regular } from "@fluentui/react-icons";
import { useState } from "react";
import { ErrorBar } from "../components/ErrorBar";
import { ActivateDialog, type DialogRequest } from "../components/roles/ActivateDialog";
import type { RoleLike } from "../components/roles/ActivationForm";
import { ActiveList } from "../components/roles/ActiveList";
import { EligibleList } from "../components/roles/EligibleList";
import { useMyRoles, useRolePreferences } from "../components/roles/queries";
import { RequestList } from "../components/roles/RequestList";
import { hhmm, isUnderway } from "../lib/roles";
import type { PageProps } from "../nav";
import { toApiError, type ActiveRole, type MyRoles } from "../platform";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "1100px", minWidth: 0 },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  title: { margin: 0, flexGrow: 1 },
  intro: { color: tokens.colorNeutralForeground2, marginTop: `calc(-1 * ${tokens.spacingVerticalS})` },
  updated: { color: tokens.colorNeutralForeground3 },
  tabs: { marginBottom: tokens.spacingVerticalXS },
  count: { marginInlineStart: tokens.spacingHorizontalXS },
  skeleton: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, padding: tokens.spacingVerticalL },
});

type TabId = "eligible" | "active" | "requests";

/** The policy of an active role, from its eligibility (an extension follows the same policy). */
function extendTarget(data: MyRoles, role: ActiveRole): RoleLike {
  const e = data.eligible.find((x) => x.roleId === role.roleId);
  return { roleId: role.roleId, name: role.name, policy: e?.policy };
}

/** PIM's clock minus this computer's: `fetchedAt` (stamped by Rust) against when it arrived. */
function clockOffset(fetchedAt: string, receivedAt: number): number {
  const t = new Date(fetchedAt).getTime();
  return Number.isNaN(t) || !receivedAt ? 0 : t - receivedAt;
}

/** My roles: like the Entra PIM portal's page, with Eligible / Active / Requests. */
export function RolesPage(_: PageProps) {
  const s = useStyles();
  const q = useMyRoles();
  const prefsQ = useRolePreferences();
  const [tab, setTab] = useState<TabId>("eligible");
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const data = q.data;
  const waiting = data?.requests.filter((r) => isUnderway(r.phase)).length ?? 0;

  return (
    <div className={s.page}>
      <div className={s.head}>
        <Title2 as="h1" className={s.title}>
          My roles
        </Title2>
        {data ? (
          <Caption1 className={s.updated} data-testid="roles-updated">
            Updated {hhmm(data.fetchedAt)}
          </Caption1>
        ) : null}
        <Button
          icon={<ArrowClockwise20Regular />}
          data-testid="roles-refresh"
          disabled={q.isFetching}
          onClick={() => void q.refetch()}
        >
          Refresh
        </Button>
      </div>
      <Text className={s.intro}>
        Activate the Microsoft Entra roles you are eligible for, for just as long as you need them. Elevate records
        every activation in Activity.
      </Text>
      {q.isError ? <ErrorBar error={toApiError(q.error)} onRetry={() => void q.refetch()} /> : null}
      <TabList className={s.tabs} selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)} aria-label="My roles">
        <Tab value="eligible" data-testid="roles-tab-eligible">
          Eligible{data ? ` (${data.eligible.length})` : ""}
        </Tab>
        <Tab value="active" data-testid="roles-tab-active">
          Active{data ? ` (${data.active.length})` : ""}
        </Tab>
        <Tab value="requests" data-testid="roles-tab-requests">
          Requests
          {waiting > 0 ? (
            <CounterBadge className={s.count} count={waiting} size="small" color="informative" aria-label={`${waiting} waiting`} />
          ) : null}
        </Tab>
      </TabList>
      {q.isPending ? (
        <Skeleton aria-label="Loading your roles" className={s.skeleton}>
          {[0, 1, 2].map((i) => (
            <SkeletonItem key={i} size={32} />
          ))}
        </Skeleton>
      ) : data ? (
        <div role="tabpanel" aria-label={tab} data-testid={`roles-panel-${tab}`}>
          {tab === "eligible" ? (
            <EligibleList
              roles={data.eligible}
              presets={prefsQ.data?.presets ?? []}
              onActivate={(roles, preset) => setDialog({ mode: "activate", roles, preset })}
            />
          ) : tab === "active" ? (
            <ActiveList
              roles={data.active}
              clockOffset={clockOffset(data.fetchedAt, q.dataUpdatedAt)}
              onExtend={(r) => setDialog({ mode: "extend", roles: [extendTarget(data, r)] })}
            />
          ) : (
            <RequestList requests={data.requests} />
          )}
        </div>
      ) : null}
      {dialog ? <ActivateDialog request={dialog} onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
