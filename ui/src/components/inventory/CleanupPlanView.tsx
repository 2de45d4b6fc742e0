import {
  Badge,
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Delete20Regular, PersonAdd20Regular } from "@fluentui/react-icons";
import { useState, type ReactNode } from "react";
import { holderKey, n } from "../../lib/inventory";
import type { CleanupPlan, Removal } from "../../platform";
import { ResultTable, useResultStyles, type ResultColumn } from "../grid/ResultTable";
import { RemoveDialog } from "./CleanupDialogs";

// The table is for checking; the report in the logs folder holds every row.
const ROWS_SHOWN = 500;

const useStyles = makeStyles({
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  title: { margin: 0, flexGrow: 1 },
  badges: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap", whiteSpace: "nowrap" },
  muted: { color: tokens.colorNeutralForeground2 },
  sub: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  unknown: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, columnWidth: "280px", overflowWrap: "anywhere" },
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  reason: { color: tokens.colorNeutralForeground2, overflowWrap: "anywhere" },
});

function RemovalBadges({ removal: r }: { removal: Removal }) {
  const s = useStyles();
  return (
    <span className={s.badges}>
      {r.lastAdmin ? (
        <Badge appearance="tint" color="danger" data-testid="cleanup-last-admin">
          last System Administrator
        </Badge>
      ) : null}
      {r.isYou ? (
        <Badge appearance="tint" color="brand">
          You
        </Badge>
      ) : null}
    </span>
  );
}

// Removals: the UPN is the longest; skipped rows: the reason is said above them, once.
const REMOVAL_COLUMNS: ResultColumn<Removal>[] = [
  { label: "Name", width: "18%", cell: (r) => r.fullName },
  { label: "UPN", width: "28%", cell: (r) => r.upn },
  { label: "Environment", width: "18%", cell: (r) => r.environmentName },
  { label: "Business unit", width: "14%", cell: (r) => r.businessUnit },
  { label: "Note", width: "22%", wrap: false, cell: (r) => <RemovalBadges removal={r} /> },
];
const SKIPPED_COLUMNS: ResultColumn<Removal>[] = [
  { label: "Name", width: "28%", cell: (r) => r.fullName },
  { label: "UPN", width: "36%", cell: (r) => r.upn },
  { label: "Environment", cell: (r) => r.environmentName },
];

function RemovalTable({ rows, kind }: { rows: readonly Removal[]; kind: "removal" | "skipped" }) {
  return (
    <ResultTable
      label={kind === "removal" ? "Assignments to remove" : "Assignments left alone"}
      columns={kind === "removal" ? REMOVAL_COLUMNS : SKIPPED_COLUMNS}
      rows={rows}
      rowKey={holderKey}
      rowProps={(r) => ({ "data-testid": kind === "removal" ? "cleanup-removal" : "cleanup-skipped", "data-upn": r.upn, "data-env-id": r.environmentId, "data-reason": r.skipReason })}
      max={ROWS_SHOWN}
      more={(hidden) => `and ${hidden} more, all in the run's report`}
    />
  );
}

/** People a team keeps System Administrator for after their direct role goes: said plainly. */
export function StillAdmin({ rows, testId }: { rows: readonly Removal[]; testId: string }) {
  const lines = [...new Set(rows.map((r) => r.stillAdmin).filter((x): x is string => !!x))];
  if (!lines.length) return null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid={testId}>
      <MessageBarBody>
        {lines.map((l) => (
          <div key={l}>{l}</div>
        ))}
      </MessageBarBody>
    </MessageBar>
  );
}

function byReason(rows: readonly Removal[]): [string, Removal[]][] {
  const groups = new Map<string, Removal[]>();
  for (const r of rows) {
    const why = r.skipReason ?? "Left alone.";
    groups.set(why, [...(groups.get(why) ?? []), r]);
  }
  return [...groups];
}

type Props = {
  plan: CleanupPlan;
  /** Environments of skipped rows where you are not System Administrator (so Dataverse would refuse). */
  notAdmin: string[];
  addMeBusy: boolean;
  onAddMe: () => void;
  addMeStatus: ReactNode;
  /** The ticks, the file or "my own" changed since this dry run. */
  stale: boolean;
  /** Something else is under way (an inventory, a removal): no removal now. */
  busy: boolean;
  onRemove: () => void;
};

/** The dry run: exactly what would be removed, what is left alone and why, and unknown UPNs. */
export function CleanupPlanView({ plan, stale, busy, onRemove, notAdmin, addMeBusy, onAddMe, addMeStatus }: Props) {
  const s = useStyles();
  const r = useResultStyles();
  const [confirming, setConfirming] = useState(false);
  const count = plan.removals.length;
  return (
    <div className={r.panel} data-testid="cleanup-plan">
      <div className={s.head}>
        <Subtitle2 as="h3" className={s.title}>
          {count ? `Dry run: ${n(count, "assignment")} to remove in ${n(plan.environments, "environment")}` : "Dry run: nothing to remove"}
        </Subtitle2>
        <Button appearance="primary" icon={<Delete20Regular />} data-testid="cleanup-remove" disabled={count === 0 || stale || busy} onClick={() => setConfirming(true)}>
          {`Remove ${n(count, "assignment")}…`}
        </Button>
      </div>
      <Caption1 className={s.muted}>Nothing has been sent. Check the list; Remove asks once more.</Caption1>
      {stale ? (
        <MessageBar intent="warning" data-testid="cleanup-plan-stale">
          <MessageBarBody>The inventory, the ticked holders, the users file or "Also remove my own assignments" changed since this dry run. Run the dry run again.</MessageBarBody>
        </MessageBar>
      ) : null}
      <StillAdmin rows={plan.removals} testId="cleanup-still-admin" />
      {count ? <RemovalTable rows={plan.removals} kind="removal" /> : null}
      {plan.skipped.length ? <Body1 as="h4" className={s.sub}>{`Left alone (${plan.skipped.length})`}</Body1> : null}
      {notAdmin.length ? (
        <MessageBar intent="info" layout="multiline" data-testid="cleanup-not-admin">
          <MessageBarBody>
            {`You are not System Administrator in ${n(notAdmin.length, "environment")} of this list, so Dataverse would refuse to remove anyone there. Add yourself, then run the dry run again.`}
          </MessageBarBody>
          <MessageBarActions>
            <Button icon={<PersonAdd20Regular />} data-testid="cleanup-addme" disabled={addMeBusy} onClick={onAddMe}>
              {`Add me to ${n(notAdmin.length, "environment")}`}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {addMeStatus}
      {/* One reason, once: the rows it applies to under it. */}
      {byReason(plan.skipped).map(([reason, rows]) => (
        <div key={reason} className={s.group}>
          <Body1 className={s.reason} data-testid="cleanup-skipped-reason">
            {reason}
          </Body1>
          <RemovalTable rows={rows} kind="skipped" />
        </div>
      ))}
      {plan.unknownUpns.length ? (
        <>
          <Body1 as="h4" className={s.sub}>{`Not found (${plan.unknownUpns.length}): hold System Administrator nowhere in this inventory`}</Body1>
          <ul className={s.unknown}>
            {plan.unknownUpns.map((u) => (
              <li key={u} data-testid="cleanup-unknown">
                {u}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {confirming ? (
        <RemoveDialog
          plan={plan}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onRemove();
          }}
        />
      ) : null}
    </div>
  );
}
