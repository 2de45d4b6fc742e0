import { Badge, Caption1, Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { geoName } from "../../lib/environments";
import { SCAN_COLORS, SCAN_WORDS, n, scanCounts } from "../../lib/inventory";
import type { EnvironmentScan } from "../../platform";
import { HEAD_HEIGHT, ROW_HEIGHT } from "../grid/gridStyles";
import { VirtualGrid, type GridColumn } from "../grid/VirtualGrid";

// Name, geo, status, what came of it (the longest: a skip's note or a failure's message).
const COLUMNS = "minmax(180px, 1.3fr) 140px 110px minmax(220px, 2.6fr)";
// Five rows and a half: the holders below stay in reach; the half row says there is more.
const MAX_HEIGHT = HEAD_HEIGHT.compact + ROW_HEIGHT * 5.5;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  title: { margin: 0 },
  counts: { color: tokens.colorNeutralForeground2, flexGrow: 1 },
  columns: { gridTemplateColumns: COLUMNS },
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

const COLUMN_LIST: GridColumn<EnvironmentScan>[] = [
  { key: "environment", label: "Environment", render: (x) => x.environmentName, className: (_, g) => g.strong, title: (x) => x.environmentName },
  { key: "geo", label: "Geo", render: (x) => geoName(x.geo) },
  {
    key: "status",
    label: "Status",
    render: (x) => (
      <Badge appearance="tint" color={SCAN_COLORS[x.status]} data-testid="inv-env-status">
        {SCAN_WORDS[x.status]}
      </Badge>
    ),
  },
  { key: "result", label: "Result", render: details, className: (x, g) => (x.status === "failed" ? g.failed : x.status !== "done" && g.muted), title: (x) => details(x) || undefined },
];
const rowId = (x: EnvironmentScan) => x.environmentId;
const rowData = (x: EnvironmentScan) => ({ "data-env-id": x.environmentId, "data-status": x.status });

/** Each environment of the run: how far it got, and what came of it. */
export function ScanList({ scans }: { scans: readonly EnvironmentScan[] }) {
  const s = useStyles();
  const [problemsOnly, setProblemsOnly] = useState(false);
  const rows = useMemo(() => (problemsOnly ? scans.filter(isProblem) : scans), [scans, problemsOnly]);
  const height = Math.min(MAX_HEIGHT, HEAD_HEIGHT.compact + Math.max(1, rows.length) * ROW_HEIGHT + 2);

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
      {/* A scrolling region is reachable by keyboard: Tab to it, then the arrow keys scroll. */}
      <VirtualGrid<EnvironmentScan>
        label="Environments read"
        items={rows}
        rowId={rowId}
        columns={COLUMN_LIST}
        template={s.columns}
        minWidth="680px"
        head="compact"
        style={{ height: `${height}px` }}
        rowTestId="inv-env-row"
        rowData={rowData}
        empty={problemsOnly ? "No environment failed, was skipped or cancelled." : "No environment read yet."}
        virtualAbove={200}
      />
    </section>
  );
}
