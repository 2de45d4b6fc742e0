import { Badge, Button, Popover, PopoverSurface, PopoverTrigger, Tooltip, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { Info16Regular } from "@fluentui/react-icons";
import { useMemo, type ReactNode } from "react";
import { PIM_HELP, PIM_WORDS, holderKey, teamLine, type HolderSort, type HolderSortKey } from "../../lib/inventory";
import type { Holder, PimStatus } from "../../platform";
import { HEAD_HEIGHT, ROW_HEIGHT, useGridStyles } from "../grid/gridStyles";
import { VirtualGrid, type GridColumn } from "../grid/VirtualGrid";

// Sum of the minimums fits a 1280-px window beside the navigation; wider windows share the rest.
const COLUMNS = "44px minmax(130px, 1.1fr) minmax(170px, 1.9fr) minmax(140px, 1.3fr) minmax(108px, 0.8fr) 130px 160px 98px";

const useStyles = makeStyles({
  columns: { gridTemplateColumns: COLUMNS },
  legend: { maxWidth: "380px", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  term: { fontWeight: tokens.fontWeightSemibold },
  def: { margin: 0, color: tokens.colorNeutralForeground2 },
});

const PIM_ORDER: PimStatus[] = ["permanent", "noRole", "justInTime", "eligible", "unknown"];

/** What the PIM words mean, once, where the column starts. */
function PimLegend() {
  const s = useStyles();
  return (
    <Popover withArrow positioning="below">
      <PopoverTrigger disableButtonEnhancement>
        <Button appearance="transparent" size="small" icon={<Info16Regular />} aria-label="What the PIM words mean" data-testid="inv-pim-legend" />
      </PopoverTrigger>
      <PopoverSurface aria-label="What the PIM words mean">
        <dl className={s.legend}>
          {PIM_ORDER.map((p) => (
            <div key={p}>
              <dt className={s.term}>{PIM_WORDS[p]}</dt>
              <dd className={s.def}>{PIM_HELP[p]}</dd>
            </div>
          ))}
        </dl>
      </PopoverSurface>
    </Popover>
  );
}

type Props = {
  rows: readonly Holder[];
  sort: HolderSort;
  onSort: (next: HolderSort) => void;
  selected: ReadonlySet<string>;
  onSelected: (next: ReadonlySet<string>) => void;
  /** The signed-in admin's UPN, lowercase: their rows say You. */
  you: string;
  empty: ReactNode;
  /** Changes with the filter and the sort. */
  resetKey: string;
};

/** The Name cell: the name, and You on the signed-in admin's rows. */
function NameCell({ holder, you }: { holder: Holder; you: boolean }) {
  const g = useGridStyles();
  return (
    <>
      <span className={mergeClasses(g.text, g.strong)}>{holder.fullName}</span>
      {you ? (
        <Badge appearance="tint" color="brand" size="small" className={g.badge}>
          You
        </Badge>
      ) : null}
    </>
  );
}

function KindCell({ holder: h }: { holder: Holder }) {
  const g = useGridStyles();
  return (
    <>
      <span className={g.text}>{h.isApplicationUser ? "Application user" : "Person"}</span>
      {h.isDisabled ? (
        <Badge appearance="tint" color="warning" size="small" className={g.badge} data-testid="inv-disabled">
          Disabled
        </Badge>
      ) : null}
    </>
  );
}

function StandingCell({ standing }: { standing: boolean }) {
  const g = useGridStyles();
  return standing ? (
    <Badge appearance="tint" color="warning" data-testid="inv-standing">
      Yes
    </Badge>
  ) : (
    <span className={g.muted}>No</span>
  );
}

function columns(you: string): GridColumn<Holder>[] {
  return [
    {
      key: "name",
      label: "Name",
      render: (h) => <NameCell holder={h} you={h.upn.toLowerCase() === you} />,
      className: (_, g) => g.flexCell,
      title: (h) => h.fullName,
    },
    { key: "upn", label: "UPN", render: (h) => h.upn, title: (h) => h.upn },
    { key: "environment", label: "Environment", render: (h) => h.environmentName, title: (h) => h.environmentName },
    {
      key: "businessUnit",
      label: "Business unit",
      render: (h) => (h.throughTeam ? `Team ${h.throughTeam.team}` : h.businessUnit),
      title: (h) => (h.throughTeam ? teamLine(h.throughTeam) : h.businessUnit),
      testId: (h) => (h.throughTeam ? "inv-through-team" : undefined),
    },
    { key: "kind", label: "Kind", render: (h) => <KindCell holder={h} />, className: (_, g) => g.flexCell },
    {
      key: "pim",
      label: "PIM",
      render: (h) => (
        <Tooltip content={PIM_HELP[h.pim]} relationship="description" withArrow>
          <span data-testid="inv-pim" data-pim={h.pim}>
            {PIM_WORDS[h.pim]}
          </span>
        </Tooltip>
      ),
      headerAfter: <PimLegend />,
    },
    { key: "standing", label: "Standing", render: (h) => <StandingCell standing={h.standing} /> },
  ];
}

const rowData = (h: Holder) => ({ "data-upn": h.upn, "data-env-id": h.environmentId, "data-standing": String(h.standing) });
const rowLabel = (h: Holder) => `Select ${h.fullName} in ${h.environmentName}`;

/**
 * The holders, virtualized above 200 rows. One tab stop: the arrow keys move the keyboard's row,
 * Space ticks it; a click anywhere on a row ticks it too (the ticks are what a dry run takes).
 */
export function HolderGrid({ rows, sort, onSort, selected, onSelected, you, empty, resetKey }: Props) {
  const s = useStyles();
  const cols = useMemo(() => columns(you.toLowerCase()), [you]);
  return (
    <VirtualGrid<Holder, HolderSortKey>
      label="System Administrators"
      testId="inv-grid"
      items={rows}
      rowId={holderKey}
      columns={cols}
      template={s.columns}
      minWidth="980px"
      head="compact"
      style={{ height: `${Math.min(HEAD_HEIGHT.compact + 12.5 * ROW_HEIGHT, HEAD_HEIGHT.compact + Math.max(2, rows.length) * ROW_HEIGHT + 2)}px` }}
      rowTestId="inv-holder-row"
      rowData={rowData}
      empty={empty}
      emptyTestId="inv-empty"
      virtualAbove={200}
      sort={{ value: sort, onChange: onSort, testIdPrefix: "inv-sort" }}
      selection={{ selected, onChange: onSelected, rowLabel, allLabel: "Select all shown holders", allTestId: "inv-select-all" }}
      resetOn={resetKey}
    />
  );
}
