import { Badge, Body1, Caption1, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import { Clock16Regular } from "@fluentui/react-icons";
import { RESULT_WORDS, endsWords, holdsAdmin } from "../../lib/environments";
import type { Elevation, ElevationResult } from "../../platform";
import { CopyButton } from "../CopyButton";

// As many as the summary: the rest is in Activity, one journal line each.
const RESULT_ROWS = 200;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    maxHeight: "360px",
    overflowY: "auto",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: {
    display: "flex",
    flexDirection: "column",
    gap: "2px",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    ":last-child": { borderBottom: "none" },
  },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  name: { fontWeight: tokens.fontWeightSemibold },
  sub: { color: tokens.colorNeutralForeground2 },
  ends: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground2 },
  error: { color: tokens.colorStatusDangerForeground1 },
  correlation: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground2 },
  mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  more: { color: tokens.colorNeutralForeground3 },
});

const RESULT_COLORS: Record<ElevationResult, "success" | "informative" | "danger" | "warning" | "subtle"> = {
  elevated: "success",
  alreadyAdmin: "informative",
  refused: "danger",
  unconfirmed: "warning",
  skipped: "subtle",
};

function ResultRow({ e }: { e: Elevation }) {
  const s = useStyles();
  return (
    <li className={s.row} data-testid="elevation-row" data-result={e.result} data-env-id={e.environmentId}>
      <span className={s.head}>
        <Body1 className={s.name}>{e.environmentName}</Body1>
        <Badge appearance="tint" color={RESULT_COLORS[e.result]}>
          {RESULT_WORDS[e.result]}
        </Badge>
      </span>
      <Caption1 className={s.sub}>{e.message}</Caption1>
      {holdsAdmin(e) ? (
        <Caption1 className={s.ends} data-testid="elevation-ends">
          <Clock16Regular aria-hidden />
          {endsWords(e.endsAt)}
        </Caption1>
      ) : null}
      {e.error && e.error.message !== e.message ? (
        <Caption1 className={s.error} data-testid="elevation-error">
          {e.error.message}
        </Caption1>
      ) : null}
      {e.correlationId ?? e.error?.correlationId ? (
        <span className={s.correlation}>
          <Caption1>Correlation ID:</Caption1>
          <Caption1 className={s.mono} data-testid="elevation-correlation-id">
            {e.correlationId ?? e.error?.correlationId}
          </Caption1>
          <CopyButton text={(e.correlationId ?? e.error?.correlationId)!} what="correlation ID" />
        </span>
      ) : null}
    </li>
  );
}

/** "2 added, 1 refused": how many ended which way. */
function countsText(results: readonly Elevation[]): string {
  const count = (r: ElevationResult) => results.filter((e) => e.result === r).length;
  return [
    count("elevated") ? `${count("elevated")} added` : "",
    count("alreadyAdmin") ? `${count("alreadyAdmin")} already System Administrator` : "",
    count("refused") ? `${count("refused")} refused` : "",
    count("unconfirmed") ? `${count("unconfirmed")} not confirmed yet` : "",
    count("skipped") ? `${count("skipped")} not sent` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** The one sentence a screen reader says when Add me ends. */
export function resultsAnnouncement(results: readonly Elevation[]): string {
  const single = results.length === 1 ? results[0] : undefined;
  if (single?.result === "elevated") return `You are System Administrator in ${single.environmentName}`;
  if (single) return `Add me finished in ${single.environmentName}: ${countsText(results).replace(/^1 /, "")}`;
  return `Add me finished: ${countsText(results)}`;
}

/** What happened in each environment, with what to quote to Microsoft support. */
export function ElevationResults({ results }: { results: readonly Elevation[] }) {
  const s = useStyles();
  const single = results.length === 1 ? results[0] : undefined;
  const shown = results.slice(0, RESULT_ROWS);
  return (
    <div className={s.root} data-testid="addme-results">
      {single?.result === "elevated" ? (
        <MessageBar intent="success" data-testid="addme-success">
          <MessageBarBody>You are System Administrator in {single.environmentName}</MessageBarBody>
        </MessageBar>
      ) : null}
      {results.length > 1 ? (
        <Text weight="semibold" data-testid="addme-result-counts">
          {countsText(results)}
        </Text>
      ) : null}
      <ul className={s.list} aria-label="Results">
        {shown.map((e) => (
          <ResultRow key={e.environmentId} e={e} />
        ))}
      </ul>
      {results.length > shown.length ? (
        <Caption1 className={s.more}>And {results.length - shown.length} more: every one is in Activity.</Caption1>
      ) : null}
    </div>
  );
}
