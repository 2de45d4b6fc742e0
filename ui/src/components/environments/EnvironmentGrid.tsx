import { Badge } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { createdLabel, groupLabel, regionLabel, stateLabel, type EnvRow, type Sort, type SortKey } from "../../lib/environments";
import { VirtualGrid, type GridColumn } from "../grid/VirtualGrid";
import { useGridStyles } from "../grid/gridStyles";
import { makeStyles } from "@fluentui/react-components";

// Sum of the minimums (plus the row's end padding): fits a 1280-px window beside the navigation.
const useStyles = makeStyles({
  columns: { gridTemplateColumns: "44px minmax(200px, 2fr) 100px 100px minmax(170px, 1.3fr) 104px minmax(150px, 1fr) 110px" },
});

const COLUMNS: GridColumn<EnvRow>[] = [
  { key: "name", label: "Name", render: (r) => r.env.displayName, className: (_, s) => s.strong, title: (r) => r.env.displayName },
  { key: "type", label: "Type", render: (r) => r.env.type },
  {
    key: "state",
    label: "State",
    render: ({ env }) =>
      env.enabled ? (
        stateLabel(env)
      ) : (
        <Badge appearance="tint" color="warning" data-testid="env-disabled">
          {stateLabel(env)}
        </Badge>
      ),
  },
  { key: "region", label: "Region", render: (r) => regionLabel(r.env), title: (r) => regionLabel(r.env) },
  { key: "dataverse", label: "Dataverse", render: (r) => (r.env.hasDataverse ? "Yes" : "No") },
  {
    key: "securityGroup",
    label: "Security group",
    render: ({ env }) => groupLabel(env.securityGroup) || <NoGroup />,
    className: ({ env }, s) => !!env.securityGroup && !env.securityGroup.name && s.muted,
    title: (r) => groupLabel(r.env.securityGroup) || undefined,
  },
  { key: "created", label: "Created", render: (r) => createdLabel(r.env) },
];

function NoGroup() {
  return <span className={useGridStyles().muted}>None</span>;
}

const rowId = (r: EnvRow) => r.env.id;
const rowData = (r: EnvRow) => ({ "data-env-id": r.env.id, "data-env-name": r.env.displayName });
const rowLabel = (r: EnvRow) => `Select ${r.env.displayName}`;

type Props = {
  /** Filtered and sorted. */
  rows: readonly EnvRow[];
  sort: Sort;
  onSort: (next: Sort) => void;
  selected: ReadonlySet<string>;
  onSelected: (next: ReadonlySet<string>) => void;
  /** A click on a row, or the arrows: this one only. */
  onSelectOnly: (id: string) => void;
  /** Enter or a double click: Details. */
  onOpen: (id: string) => void;
  /** Shown in place of rows when there are none. */
  empty: ReactNode;
};

/** The environments: a click or the arrows choose one, the checkboxes several; Enter opens Details. */
export function EnvironmentGrid({ rows, sort, onSort, selected, onSelected, onSelectOnly, onOpen, empty }: Props) {
  const s = useStyles();
  const g = useGridStyles();
  return (
    <VirtualGrid<EnvRow, SortKey>
      label="Environments"
      testId="env-grid"
      items={rows}
      rowId={rowId}
      columns={COLUMNS}
      template={s.columns}
      minWidth="990px"
      head="tall"
      className={g.fill}
      rowTestId="env-row"
      rowData={rowData}
      empty={empty}
      emptyTestId="env-empty"
      sort={{ value: sort, onChange: onSort, testIdPrefix: "env-sort" }}
      selection={{ selected, onChange: onSelected, onPick: onSelectOnly, rowLabel, allLabel: "Select all shown environments", allTestId: "env-select-all" }}
      onOpen={onOpen}
      resetOn={rows}
    />
  );
}
