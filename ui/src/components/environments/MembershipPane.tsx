import {
  Badge,
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwise16Regular, PersonAdd20Regular } from "@fluentui/react-icons";
import { teamLine } from "../../lib/inventory";
import { toApiError, type Environment, type SystemAdministrator } from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { useMembership } from "./queries";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  heading: { margin: 0, flexGrow: 1 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  row: {
    display: "flex",
    flexDirection: "column",
    gap: "2px",
    paddingBlock: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    ":last-child": { borderBottom: "none" },
  },
  nameLine: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
  name: { fontWeight: tokens.fontWeightSemibold },
  sub: { color: tokens.colorNeutralForeground2, overflowWrap: "anywhere" },
  empty: { color: tokens.colorNeutralForeground2 },
});

const rowKey = (a: SystemAdministrator) => `${a.systemUserId}|${a.throughTeam?.teamId ?? ""}`;

function AdminRow({ a }: { a: SystemAdministrator }) {
  const s = useStyles();
  return (
    <li className={s.row} data-testid="sysadmin-row" data-upn={a.upn}>
      <span className={s.nameLine}>
        <Body1 className={s.name}>{a.fullName}</Body1>
        {a.isYou ? (
          <Badge appearance="filled" color="brand" size="small">
            You
          </Badge>
        ) : null}
        {a.isDisabled ? (
          <Badge appearance="tint" color="warning" size="small">
            Disabled
          </Badge>
        ) : null}
        {a.isApplicationUser ? (
          <Badge appearance="tint" color="informative" size="small">
            Application user
          </Badge>
        ) : null}
      </span>
      <Caption1 className={s.sub}>{a.upn}</Caption1>
      {a.throughTeam ? (
        <Caption1 className={s.sub} data-testid="sysadmin-through-team">
          {teamLine(a.throughTeam)}
        </Caption1>
      ) : (
        <Caption1 className={s.sub}>Business unit: {a.businessUnit}</Caption1>
      )}
    </li>
  );
}

/** Membership → System Administrators, with Add me for this one environment. */
export function MembershipPane({ env, onAddMe }: { env: Environment; onAddMe: () => void }) {
  const s = useStyles();
  const q = useMembership(env.id);
  const data = q.data;
  return (
    <div className={s.root}>
      <div className={s.head}>
        <Subtitle2 as="h3" className={s.heading}>
          System Administrators
        </Subtitle2>
        <Button
          size="small"
          appearance="subtle"
          icon={<ArrowClockwise16Regular />}
          aria-label="Refresh System Administrators"
          data-testid="membership-refresh"
          disabled={q.isFetching}
          onClick={() => void q.refetch()}
        />
      </div>
      <div>
        {data?.youAreAdmin ? (
          // Add me would change nothing: say so instead of offering it as the next step.
          <Badge appearance="tint" color="success" size="large" data-testid="membership-you-are-admin">
            You are System Administrator here
          </Badge>
        ) : (
          <Button appearance="primary" icon={<PersonAdd20Regular />} data-testid="membership-add-me" onClick={onAddMe}>
            Add me
          </Button>
        )}
      </div>
      {q.isError ? <ErrorBar error={toApiError(q.error)} onRetry={() => void q.refetch()} /> : null}
      {q.isPending ? (
        <Skeleton aria-label="Loading System Administrators">
          {[0, 1, 2].map((i) => (
            <SkeletonItem key={i} size={36} style={{ marginBottom: tokens.spacingVerticalS }} />
          ))}
        </Skeleton>
      ) : data ? (
        data.unavailable ? (
          <MessageBar intent="info" layout="multiline" data-testid="membership-unavailable">
            <MessageBarBody>{data.unavailable}</MessageBarBody>
          </MessageBar>
        ) : data.administrators.length === 0 ? (
          <Body1 className={s.empty} data-testid="membership-empty">
            Nobody holds System Administrator here.
          </Body1>
        ) : (
          <>
            {data.teamsNote ? (
              <MessageBar intent="warning" layout="multiline" data-testid="membership-teams-note">
                <MessageBarBody>{data.teamsNote}</MessageBarBody>
              </MessageBar>
            ) : null}
            <Caption1 className={s.empty} data-testid="membership-count">
              {data.administrators.length === 1 ? "1 person or app" : `${data.administrators.length} people and apps`}
              {data.youAreAdmin ? " · including you" : ""}
            </Caption1>
            <ul className={s.list} aria-label={`System Administrators of ${env.displayName}`}>
              {data.administrators.map((a) => (
                <AdminRow key={rowKey(a)} a={a} />
              ))}
            </ul>
          </>
        )
      ) : null}
    </div>
  );
}
