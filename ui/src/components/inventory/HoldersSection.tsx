import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Subtitle2,
  Switch,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownload20Regular, Dismiss20Regular } from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import {
  NO_HOLDER_FILTER,
  isFiltered,
  n,
  summary,
  type HolderFilter,
  type HolderSort,
} from "../../lib/inventory";
import { inventoryExport, toApiError, type ApiError, type EnvironmentScan, type ExportFormat, type Holder, type JournalExport } from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { FilterBar, FilterSearch, NoMatch } from "../grid/FilterBar";
import { HolderGrid } from "./HolderGrid";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  title: { margin: 0, flexGrow: 1 },
  bar: { gap: tokens.spacingHorizontalM },
  search: { minWidth: "240px", maxWidth: "360px" },
  summary: { color: tokens.colorNeutralForeground2 },
  spacer: { flexGrow: 1 },
  path: { overflowWrap: "anywhere" },
});

type Props = {
  /** Every holder of the view, for the summary. */
  holders: readonly Holder[];
  /** Sorted and filtered: what the grid shows and what the dry run takes of the selection. */
  rows: readonly Holder[];
  filter: HolderFilter;
  onFilter: (next: HolderFilter) => void;
  sort: HolderSort;
  onSort: (next: HolderSort) => void;
  scans: readonly EnvironmentScan[];
  selected: ReadonlySet<string>;
  onSelected: (next: (prev: ReadonlySet<string>) => ReadonlySet<string>) => void;
  you: string;
  /** A run is under way: the export would write the last finished one. */
  running: boolean;
  /** A run has finished in this session: there is something to export. */
  finished: boolean;
};

/** The holders: filters, export, the summary and the grid. */
export function HoldersSection({ holders, rows, filter, onFilter, sort, onSort, scans, selected, onSelected, you, running, finished }: Props) {
  const s = useStyles();

  const exportM = useMutation<JournalExport | null, ApiError, ExportFormat>({ mutationFn: (format) => inventoryExport(format) });
  const filtered = isFiltered(filter);
  const set = (patch: Partial<HolderFilter>) => onFilter({ ...filter, ...patch });
  const empty = filtered ? (
    <NoMatch what="holder" testId="inv-clear-filters" onClear={() => onFilter(NO_HOLDER_FILTER)} />
  ) : running ? (
    <Body1>Holders appear here as each environment is read.</Body1>
  ) : scans.length ? (
    <Body1>No System Administrator found in the environments read.</Body1>
  ) : (
    <Body1>Run the inventory to list who holds System Administrator in each environment.</Body1>
  );

  return (
    <section className={s.root} aria-labelledby="inv-holders-title">
      <div className={s.head}>
        <Subtitle2 as="h2" id="inv-holders-title" className={s.title}>
          System Administrators
        </Subtitle2>
        <Button icon={<ArrowDownload20Regular />} data-testid="inv-export-csv" disabled={!finished || running || exportM.isPending} onClick={() => exportM.mutate("csv")}>
          Export CSV
        </Button>
        <Button icon={<ArrowDownload20Regular />} data-testid="inv-export-json" disabled={!finished || running || exportM.isPending} onClick={() => exportM.mutate("json")}>
          Export JSON
        </Button>
      </div>
      {exportM.data ? (
        <MessageBar intent="success" data-testid="inv-export-done">
          <MessageBarBody className={s.path}>
            Saved {n(exportM.data.count, "row")} to {exportM.data.path}
          </MessageBarBody>
          <MessageBarActions
            containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={() => exportM.reset()} />}
          />
        </MessageBar>
      ) : null}
      {exportM.isError ? <ErrorBar error={toApiError(exportM.error)} onRetry={() => exportM.mutate(exportM.variables)} /> : null}

      <FilterBar label="Filter holders" className={s.bar}>
        <FilterSearch className={s.search} label="Search holders" placeholder="Search name, UPN, environment or business unit" value={filter.text} testId="inv-search" onChange={(text) => set({ text })} />
        <Switch label="Standing only" checked={filter.standingOnly} data-testid="inv-standing-only" onChange={(_, d) => set({ standingOnly: d.checked })} />
        <Switch label="Hide application users" checked={filter.hideApps} data-testid="inv-hide-apps" onChange={(_, d) => set({ hideApps: d.checked })} />
        <span className={s.spacer} />
        <Caption1 className={s.summary} data-testid="inv-summary" aria-live="polite">
          {summary(holders, scans)}
          {filtered ? ` · ${rows.length} shown` : ""}
        </Caption1>
      </FilterBar>
      <HolderGrid
        rows={rows}
        sort={sort}
        onSort={onSort}
        selected={selected}
        onSelected={(next) => onSelected(() => next)}
        you={you}
        empty={empty}
        resetKey={`${JSON.stringify(filter)}|${sort.key}|${sort.dir}`}
      />
    </section>
  );
}
