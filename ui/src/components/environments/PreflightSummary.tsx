import {
  Badge,
  Body1,
  Caption1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { VERDICT_WORDS, firstProblem, verdictCounts } from "../../lib/environments";
import type { Preflight, Verdict } from "../../platform";

// A dialog is no place for thousands of rows; the counts above say how many there are in all.
export const SUMMARY_ROWS = 200;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  counts: { fontWeight: tokens.fontWeightSemibold },
  // Above the activation form the table gives it room; it still scrolls.
  compact: { maxHeight: "168px" },
  scroll: { maxHeight: "320px", overflowY: "auto", border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  name: { fontWeight: tokens.fontWeightSemibold },
  reason: { color: tokens.colorNeutralForeground2 },
  more: { color: tokens.colorNeutralForeground3 },
});

export const VERDICT_COLORS: Record<Verdict, "success" | "informative" | "warning" | "danger"> = {
  ready: "success",
  alreadyAdmin: "informative",
  needsActivation: "warning",
  blocked: "danger",
};

/** Several environments: one line each with its verdict and the first reason it would fail. */
export function PreflightSummary({ list, compact = false }: { list: readonly Preflight[]; compact?: boolean }) {
  const s = useStyles();
  const shown = list.slice(0, SUMMARY_ROWS);
  return (
    <div className={s.root}>
      <Body1 className={s.counts} data-testid="addme-counts">
        {verdictCounts(list)}
      </Body1>
      <div className={mergeClasses(s.scroll, compact && s.compact)}>
        <Table size="small" aria-label="Preflight per environment">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Environment</TableHeaderCell>
              <TableHeaderCell style={{ width: "190px" }}>Verdict</TableHeaderCell>
              <TableHeaderCell>Why not</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((p) => {
              const problem = p.verdict === "blocked" || p.verdict === "needsActivation" ? firstProblem(p) : undefined;
              return (
                <TableRow key={p.environmentId} data-testid="preflight-summary-row" data-env-id={p.environmentId} data-verdict={p.verdict}>
                  <TableCell className={s.name}>{p.environmentName}</TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={VERDICT_COLORS[p.verdict]}>
                      {VERDICT_WORDS[p.verdict]}
                    </Badge>
                  </TableCell>
                  <TableCell className={s.reason}>{problem ? problem.title : ""}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {list.length > shown.length ? (
        <Caption1 className={s.more}>And {list.length - shown.length} more, in the counts above.</Caption1>
      ) : null}
    </div>
  );
}
