import { Badge, Caption1, Text, makeStyles, tokens } from "@fluentui/react-components";
import {
  ErrorCircle16Filled,
  ShieldCheckmark16Filled,
  ShieldError20Filled,
  Warning16Filled,
  Warning20Filled,
} from "@fluentui/react-icons";
import { describeHealth, describeIssue, localTime } from "../lib/journal";
import type { JournalHealth } from "../platform";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  danger: {
    backgroundColor: tokens.colorPaletteRedBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteRedBorder1}`,
  },
  warning: {
    backgroundColor: tokens.colorPaletteYellowBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteYellowBorder1}`,
  },
  line: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  headline: { fontWeight: tokens.fontWeightSemibold },
  dangerIcon: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
  warningIcon: { color: tokens.colorPaletteDarkOrangeForeground1, flexShrink: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  more: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
});

/** The journal's integrity verdict: green when intact, otherwise where and what, in plain words. */
export function JournalHealthBar({ health }: { health: JournalHealth }) {
  const s = useStyles();
  const view = describeHealth(health);
  const rest = health.issues.slice(1).map(describeIssue);
  const checked = `Checked ${localTime(health.checkedAt)}`;
  const limited =
    health.protection === "fileOnly"
      ? "Your system's credential store was not available, so part of the journal keeps its key in its own files: " +
        "accidental damage is detected, a deliberate edit might not be."
      : null;

  if (view.tone === "success") {
    return (
      <div className={s.root} data-testid="activity-health">
        <div className={s.line}>
          <Badge appearance="filled" color="success" icon={<ShieldCheckmark16Filled />} data-testid="activity-badge">
            {view.headline}
          </Badge>
          <Caption1 className={s.muted}>
            {checked}. Every entry is chained to the one before it; a changed, removed or reordered entry would show here.
          </Caption1>
        </div>
        {limited ? <Caption1 className={s.muted}>{limited}</Caption1> : null}
        {health.writeError ? <WriteError error={health.writeError} /> : null}
      </div>
    );
  }
  const danger = view.tone === "danger";
  return (
    <div className={`${s.root} ${danger ? s.danger : s.warning}`} data-testid="activity-health" role="alert">
      <div className={s.line}>
        {danger ? <ShieldError20Filled className={s.dangerIcon} /> : <Warning20Filled className={s.warningIcon} />}
        <Badge
          appearance="filled"
          color={danger ? "danger" : "warning"}
          icon={danger ? <ErrorCircle16Filled /> : <Warning16Filled />}
          data-testid="activity-badge"
        >
          {view.headline}
        </Badge>
      </div>
      <Text>{view.explanation}</Text>
      {rest.length > 0 ? (
        <ul className={s.more} aria-label="More problems">
          {rest.map((r) => (
            <li key={r.headline}>
              <Text size={200}>{r.headline}</Text>
            </li>
          ))}
        </ul>
      ) : null}
      <Caption1 className={s.muted}>
        {checked}. {health.entries} {health.entries === 1 ? "entry" : "entries"} verified.
      </Caption1>
      {limited ? <Caption1 className={s.muted}>{limited}</Caption1> : null}
      {health.writeError ? <WriteError error={health.writeError} /> : null}
    </div>
  );
}

function WriteError({ error }: { error: string }) {
  const s = useStyles();
  return (
    <div className={s.line} data-testid="activity-write-error">
      <ErrorCircle16Filled className={s.dangerIcon} />
      <Text size={200}>Elevate could not write its last entry: {error}. Check that the disk is not full.</Text>
    </div>
  );
}
