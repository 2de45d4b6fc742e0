import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwise20Regular, PersonAdd20Regular } from "@fluentui/react-icons";
import { n } from "../../lib/inventory";
import type { EnvironmentScan } from "../../platform";

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  reason: { overflowWrap: "anywhere" },
  names: { color: tokens.colorNeutralForeground2 },
});

// Names are for recognising the case; the full list is in the table below.
const NAMES = 3;

/** The failures grouped by what Dataverse said, each once, with the names it applies to. */
function reasons(failed: readonly EnvironmentScan[]): { message: string; names: string }[] {
  const groups = new Map<string, string[]>();
  for (const f of failed) {
    const m = f.error?.message ?? "Could not be read.";
    groups.set(m, [...(groups.get(m) ?? []), f.environmentName]);
  }
  return [...groups].map(([message, names]) => ({
    message,
    names: names.slice(0, NAMES).join(", ") + (names.length > NAMES ? ` and ${names.length - NAMES} more` : ""),
  }));
}

type Props = {
  failed: readonly EnvironmentScan[];
  /** A run or Add me is under way: no second one. */
  busy: boolean;
  onRetry: () => void;
  onAddMe: () => void;
};

/** What failed and the two ways out: read them again, or Add me first and then read them again. */
export function FailedBar({ failed, busy, onRetry, onAddMe }: Props) {
  const s = useStyles();
  if (failed.length === 0) return null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="inv-failed-bar">
      <MessageBarBody>
        <MessageBarTitle>{n(failed.length, "environment")} could not be read</MessageBarTitle>
        <ul className={s.list}>
          {reasons(failed).map((r) => (
            <li key={r.message} className={s.reason}>
              {r.message} <span className={s.names}>({r.names})</span>
            </li>
          ))}
        </ul>
      </MessageBarBody>
      <MessageBarActions>
        <Button icon={<ArrowClockwise20Regular />} data-testid="inv-retry-failed" disabled={busy} onClick={onRetry}>
          Retry failed
        </Button>
        <Button icon={<PersonAdd20Regular />} data-testid="inv-addme-failed" disabled={busy} onClick={onAddMe}>
          {`Add me to the ${n(failed.length, "failed environment")} and retry`}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
