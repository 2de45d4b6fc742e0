import {
  Badge,
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Dismiss20Regular, Warning16Filled } from "@fluentui/react-icons";
import type { ReactNode } from "react";
import {
  ACTION_LABELS,
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  TARGET_KIND_LABELS,
  fileName,
  localTime,
} from "../lib/journal";
import type { JournalRow } from "../platform";
import { CopyButton } from "./CopyButton";

const useStyles = makeStyles({
  drawer: { width: "420px", maxWidth: "100vw" },
  section: { display: "block", paddingTop: tokens.spacingVerticalL, paddingBottom: tokens.spacingVerticalXS },
  facts: {
    display: "grid",
    gridTemplateColumns: "max-content minmax(0, 1fr)",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground2 },
  def: { margin: 0, display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, minWidth: 0, overflowWrap: "anywhere" },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  multiline: { whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
  unverified: { color: tokens.colorPaletteDarkOrangeForeground1, display: "flex", gap: tokens.spacingHorizontalXS },
});

type Fact = [label: string, value: ReactNode | undefined | null | false];

function Facts({ title, facts }: { title: string; facts: Fact[] }) {
  const s = useStyles();
  const shown = facts.filter(([, v]) => v !== undefined && v !== null && v !== false && v !== "");
  if (shown.length === 0) return null;
  return (
    <>
      <Subtitle2 as="h3" className={s.section}>
        {title}
      </Subtitle2>
      <dl className={s.facts}>
        {shown.map(([label, value]) => (
          <div key={label} style={{ display: "contents" }}>
            <dt className={s.term}>{label}</dt>
            <dd className={s.def}>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function Id({ value, what }: { value: string; what: string }) {
  const s = useStyles();
  return (
    <>
      <Text className={s.mono}>{value}</Text>
      <CopyButton text={value} what={what} />
    </>
  );
}

/**
 * Every field of one journal entry, as the admin center's Details pane: over the right edge,
 * non-modal, so the list stays usable and another row can be picked.
 */
export function EntryDetails({ row, onClose }: { row: JournalRow; onClose: () => void }) {
  const s = useStyles();
  const e = row.entry;
  const p = e.params;
  return (
    <OverlayDrawer
      open
      modalType="non-modal"
      position="end"
      className={s.drawer}
      data-testid="activity-details"
      aria-label="Entry details"
      onOpenChange={(_, d) => (d.open ? undefined : onClose())}
    >
      <DrawerHeader>
        <DrawerHeaderTitle
          action={<Button appearance="subtle" aria-label="Close details" icon={<Dismiss20Regular />} onClick={onClose} />}
        >
          {ACTION_LABELS[e.action]}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        {!row.verified ? (
          <Text className={s.unverified} data-testid="activity-details-unverified">
            <Warning16Filled /> Not verified: this entry comes after a place where the journal was changed.
          </Text>
        ) : null}
        <Facts
          title="What happened"
          facts={[
            ["When", <span title={e.time}>{localTime(e.time)}</span>],
            ["Action", ACTION_LABELS[e.action]],
            [
              "Result",
              <Badge appearance="tint" color={OUTCOME_COLORS[e.result.outcome]}>
                {OUTCOME_LABELS[e.result.outcome]}
              </Badge>,
            ],
            ["Message", e.result.message && <Text className={s.multiline}>{e.result.message}</Text>],
            ["Details", e.result.detail && <Text className={s.multiline}>{e.result.detail}</Text>],
            ["Error code", e.result.code],
            ["Ends", e.expiresAt && localTime(e.expiresAt)],
          ]}
        />
        <Facts
          title="Who and where"
          facts={[
            ["Name", e.account?.name],
            ["User name", e.account?.upn],
            ["Object ID", e.account && <Id value={e.account.oid} what="object ID" />],
            [
              "Tenant",
              <>
                <Text>{e.tenant.kind === "demo" ? "Demo tenant" : "Organization"}</Text>
              </>,
            ],
            ["Tenant ID", <Id value={e.tenant.id} what="tenant ID" />],
            ["Target", e.target && `${e.target.name} (${TARGET_KIND_LABELS[e.target.kind]})`],
            ["Target ID", e.target && e.target.id !== e.tenant.id && <Id value={e.target.id} what="target ID" />],
          ]}
        />
        <Facts
          title="Parameters"
          facts={[
            ["Duration", p.durationMinutes !== undefined && `${p.durationMinutes} minutes`],
            ["Ticket", [p.ticketSystem, p.ticketNumber].filter(Boolean).join(" ")],
            ["Justification", p.justification && <Text className={s.multiline}>{p.justification}</Text>],
            ["Role", p.roleName],
            ["Environment", p.environment && `${p.environment.name} (${p.environment.id})`],
            ["User", p.user && `${p.user.name} (${p.user.id})`],
            ["Dry run", p.dryRun !== undefined && (p.dryRun ? "Yes" : "No")],
            ["Sign-in method", p.signInMethod && (p.signInMethod === "browser" ? "Browser" : "Device code")],
          ]}
        />
        <Facts
          title="For support"
          facts={[
            ["Correlation ID", e.correlationId && <Id value={e.correlationId} what="correlation ID" />],
            ["Request ID", e.requestId && <Id value={e.requestId} what="request ID" />],
          ]}
        />
        <Facts
          title="In the journal"
          facts={[
            ["Entry", `${e.seq}`],
            ["File", `${fileName(row.segment)}, line ${row.line}`],
            ["Verified", row.verified ? "Yes" : "No"],
            ["Seal (MAC)", <Text className={s.mono}>{row.mac}</Text>],
          ]}
        />
      </DrawerBody>
    </OverlayDrawer>
  );
}
