import { Badge, Caption1, Subtitle2, Switch, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { geoName } from "../../lib/environments";
import { SCAN_COLORS, SCAN_WORDS, n, scanCounts } from "../../lib/inventory";
import type { EnvironmentScan } from "../../platform";
import { HEAD_HEIGHT, ROW_HEIGHT, useTableStyles } from "./tableStyles";
import { useVirtualWindow } from "./useVirtualWindow";

// Name, geo, status, what came of it (the longest: a skip's note or a failure's message).
const COLUMNS = "minmax(180px, 1.3fr) 140px 110px minmax(220px, 2.6fr)";
// Five rows and a half: the holders below stay in reach; the half row says there is more.
const MAX_HEIGHT = HEAD_HEIGHT + ROW_HEIGHT * 5.5;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  title: { margin: 0 },
  counts: { color: tokens.colorNeutralForeground2, flexGrow: 1 },
  inner: { minWidth: "680px" },
  row: { gridTemplateColumns: COLUMNS },
  failed: { color: tokens.colorStatusDangerForeground1 },
});

function details(scan: EnvironmentScan): string {
  switch (scan.status) {
    case "done":
      return scan.holders === 0 ? "No System Administrator" : n(scan.holders, "holder");
    case "skipped":
      return scan.note ?? "Nothing to read";
    case "failed":
      return scan.error?.message ?? "Could not be read";
    case "cancelled":
      return "Not read: the run was cancelled";
    default:
      return "";
  }
}

const isProblem = (s: EnvironmentScan) => s.status === "failed" || s.status === "cancelled" || s.status === "skipped";

/** Each environment of the run: how far it got, and what came of it. */
export function ScanList({ scans }: { scans: readonly EnvironmentScan[] }) {
  const s = useStyles();
  const t = useTableStyles();
  const [problemsOnly, setProblemsOnly] = useState(false);
  const rows = useMemo(() => (problemsOnly ? scans.filter(isProblem) : scans), [scans, problemsOnly]);
  const w = useVirtualWindow(rows.length, ROW_HEIGHT, { head: HEAD_HEIGHT });
  const height = Math.min(MAX_HEIGHT, HEAD_HEIGHT + Math.max(1, rows.length) * ROW_HEIGHT + 2);

  const visible = [];
  for (let i = w.first; i < w.last; i++) {
    const scan = rows[i];
    const text = details(scan);
    visible.push(
      <div
        key={w.keyOf(i)}
        role="row"
        aria-rowindex={i + 2}
        className={mergeClasses(t.row, t.item, s.row)}
        style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}
        data-testid="inv-env-row"
        data-env-id={scan.environmentId}
        data-status={scan.status}
      >
        <div role="cell" className={mergeClasses(t.cell, t.strong)} title={scan.environmentName}>
          {scan.environmentName}
        </div>
        <div role="cell" className={t.cell}>
          {geoName(scan.geo)}
        </div>
        <div role="cell" className={t.cell}>
          <Badge appearance="tint" color={SCAN_COLORS[scan.status]} data-testid="inv-env-status">
            {SCAN_WORDS[scan.status]}
          </Badge>
        </div>
        <div role="cell" className={mergeClasses(t.cell, scan.status === "failed" && s.failed, scan.status !== "failed" && scan.status !== "done" && t.muted)} title={text || undefined}>
          {text}
        </div>
      </div>,
    );
  }

  return (
    <section className={s.root} aria-labelledby="inv-envs-title">
      <div className={s.head}>
        <Subtitle2 as="h2" id="inv-envs-title" className={s.title}>
          Environments
        </Subtitle2>
        <Caption1 className={s.counts} data-testid="inv-env-counts" aria-live="polite">
          {scanCounts(scans)}
        </Caption1>
        <Switch label="Problems only" checked={problemsOnly} data-testid="inv-problems-only" onChange={(_, d) => setProblemsOnly(d.checked)} />
      </div>
      <div
        ref={w.ref}
        role="table"
        aria-label="Environments read"
        aria-rowcount={rows.length + 1}
        // A scrolling region is reachable by keyboard: Tab to it, then the arrow keys scroll.
        tabIndex={0}
        className={t.scroller}
        style={{ height: `${height}px` }}
        onScroll={w.onScroll}
      >
        <div className={s.inner}>
          <div role="rowgroup" className={t.head}>
            <div role="row" aria-rowindex={1} className={mergeClasses(t.row, s.row)}>
              {["Environment", "Geo", "Status", "Result"].map((h) => (
                <div key={h} role="columnheader" className={mergeClasses(t.cell, t.headText)}>
                  {h}
                </div>
              ))}
            </div>
          </div>
          {rows.length === 0 ? (
            <div className={t.empty}>{problemsOnly ? "No environment failed, was skipped or cancelled." : "No environment read yet."}</div>
          ) : (
            <div role="rowgroup" className={t.body} style={{ height: `${w.height}px` }}>
              {visible}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
