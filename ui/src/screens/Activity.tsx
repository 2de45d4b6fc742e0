import {
  Badge,
  Button,
  Caption1,
  DataGrid,
  DataGridBody,
  DataGridCell,
  DataGridHeader,
  DataGridHeaderCell,
  DataGridRow,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Text,
  Title2,
  Tooltip,
  createTableColumn,
  makeStyles,
  tokens,
  type TableColumnDefinition,
} from "@fluentui/react-components";
import { ArrowDownload20Regular, Dismiss20Regular, Warning16Filled } from "@fluentui/react-icons";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { ActivityFilters, NO_FILTER, isFiltered, type FilterState } from "../components/ActivityFilters";
import { EntryDetails } from "../components/EntryDetails";
import { ErrorBar } from "../components/ErrorBar";
import { JournalHealthBar } from "../components/JournalHealthBar";
import {
  ACTION_LABELS,
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  localDate,
  localTime,
  startOfLocalDay,
  ticketOf,
} from "../lib/journal";
import type { PageProps } from "../nav";
import {
  journalEntries,
  journalExport,
  journalVerify,
  toApiError,
  type ApiError,
  type ExportFormat,
  type JournalExport,
  type JournalFilter,
  type JournalHealth,
  type JournalPage,
  type JournalRow,
} from "../platform";
import { JOURNAL_HEALTH, journalEntriesKey } from "../lib/queryKeys";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  title: { margin: 0, flexGrow: 1 },
  intro: { color: tokens.colorNeutralForeground2, marginTop: `calc(-1 * ${tokens.spacingVerticalS})` },
  gridBox: {
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowX: "auto",
  },
  grid: { minWidth: "720px" },
  cellText: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  account: { display: "flex", flexDirection: "column", minWidth: 0 },
  upn: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  time: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, whiteSpace: "nowrap" },
  unverified: { color: tokens.colorPaletteDarkOrangeForeground1, flexShrink: 0 },
  count: { color: tokens.colorNeutralForeground2 },
  countLine: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, minHeight: "24px" },
  empty: { padding: tokens.spacingVerticalXXL, textAlign: "center", color: tokens.colorNeutralForeground2 },
  skeleton: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, padding: tokens.spacingVerticalL },
});

/** The filter the Rust side understands; dates are local days, "to" inclusive. */
export function toJournalFilter(f: FilterState, now = new Date()): JournalFilter {
  const out: JournalFilter = {};
  if (f.action) out.action = f.action;
  if (f.outcome) out.outcome = f.outcome;
  if (f.environment) out.environment = f.environment;
  if (f.role) out.role = f.role;
  if (f.text.trim()) out.text = f.text.trim();
  const daysBack = { today: 0, week: 6, month: 29 } as const;
  const [from, to] =
    f.period === "custom"
      ? [startOfLocalDay(f.from), startOfLocalDay(f.to, 1)]
      : f.period
        ? [startOfLocalDay(localDate(daysBack[f.period], now)), undefined]
        : [undefined, undefined];
  if (from) out.from = from;
  if (to) out.to = to;
  return out;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const rowId = (r: JournalRow) => `${r.segment}:${r.line}`;

// Widths that fit "Nov 22, 2026, 10:26:12 AM" and two-line accounts; admins can resize.
const COLUMN_SIZES = {
  time: { minWidth: 170, defaultWidth: 195 },
  action: { minWidth: 100, defaultWidth: 125 },
  target: { minWidth: 100, defaultWidth: 160 },
  account: { minWidth: 140, defaultWidth: 200 },
  result: { minWidth: 90, defaultWidth: 110 },
  ticket: { minWidth: 80, defaultWidth: 100 },
};

function useColumns(): TableColumnDefinition<JournalRow>[] {
  const s = useStyles();
  return useMemo(
    () => [
      createTableColumn<JournalRow>({
        columnId: "time",
        renderHeaderCell: () => "Time",
        renderCell: (r) => (
          <span className={s.time} title={r.entry.time}>
            {!r.verified ? (
              <Tooltip content="Not verified: comes after a place where the journal was changed" relationship="label">
                <Warning16Filled className={s.unverified} />
              </Tooltip>
            ) : null}
            {localTime(r.entry.time)}
          </span>
        ),
      }),
      createTableColumn<JournalRow>({
        columnId: "action",
        renderHeaderCell: () => "Action",
        renderCell: (r) => <span className={s.cellText}>{ACTION_LABELS[r.entry.action]}</span>,
      }),
      createTableColumn<JournalRow>({
        columnId: "target",
        renderHeaderCell: () => "Target",
        renderCell: (r) => (
          <span className={s.cellText} title={r.entry.target?.id}>
            {r.entry.target?.name ?? "\u2014"}
          </span>
        ),
      }),
      createTableColumn<JournalRow>({
        columnId: "account",
        renderHeaderCell: () => "Account",
        renderCell: (r) =>
          r.entry.account ? (
            <span className={s.account}>
              <span className={s.cellText}>{r.entry.account.name}</span>
              <span className={`${s.cellText} ${s.upn}`}>{r.entry.account.upn}</span>
            </span>
          ) : (
            <span className={s.upn}>Not signed in</span>
          ),
      }),
      createTableColumn<JournalRow>({
        columnId: "result",
        renderHeaderCell: () => "Result",
        renderCell: (r) => (
          <Badge appearance="tint" color={OUTCOME_COLORS[r.entry.result.outcome]}>
            {OUTCOME_LABELS[r.entry.result.outcome]}
          </Badge>
        ),
      }),
      createTableColumn<JournalRow>({
        columnId: "ticket",
        renderHeaderCell: () => "Ticket",
        renderCell: (r) => <span className={s.cellText}>{ticketOf(r) || "\u2014"}</span>,
      }),
    ],
    [s],
  );
}

/** Activity: the journal of everything Elevate did on this computer, newest first. */
export function ActivityPage(_: PageProps) {
  const s = useStyles();
  const columns = useColumns();
  const [filters, setFilters] = useState<FilterState>(NO_FILTER);
  const [selected, setSelected] = useState<string | null>(null);
  const debounced = useDebounced(filters, 250);
  const filter = useMemo(() => toJournalFilter(debounced), [debounced]);

  const pageQ = useQuery<JournalPage, ApiError>({
    queryKey: journalEntriesKey(filter),
    queryFn: () => journalEntries(filter),
    staleTime: 0,
    refetchOnMount: "always",
    placeholderData: (prev) => prev,
  });
  const healthQ = useQuery<JournalHealth, ApiError>({
    queryKey: JOURNAL_HEALTH,
    queryFn: () => journalVerify(),
    staleTime: 0,
    refetchOnMount: "always",
  });
  const exportM = useMutation<JournalExport | null, ApiError, ExportFormat>({
    mutationFn: (format) => journalExport(format, filter),
  });

  const rows = pageQ.data?.rows ?? [];
  const selectedRow = rows.find((r) => rowId(r) === selected) ?? null;

  return (
    <div className={s.page}>
      <div className={s.head}>
        <Title2 as="h1" className={s.title}>
          Activity
        </Title2>
        <Button
          icon={<ArrowDownload20Regular />}
          data-testid="activity-export-csv"
          disabled={exportM.isPending}
          onClick={() => exportM.mutate("csv")}
        >
          Export CSV
        </Button>
        <Button
          icon={<ArrowDownload20Regular />}
          data-testid="activity-export-json"
          disabled={exportM.isPending}
          onClick={() => exportM.mutate("json")}
        >
          Export JSON
        </Button>
      </div>
      <Text className={s.intro}>
        Every sign-in and privileged action Elevate performed on this computer, for all accounts and tenants, newest
        first. Exports hold the entries that match the filters.
      </Text>

      {healthQ.data ? <JournalHealthBar health={healthQ.data} /> : null}
      {healthQ.isError ? <ErrorBar error={toApiError(healthQ.error)} onRetry={() => void healthQ.refetch()} /> : null}
      {exportM.data ? (
        <MessageBar intent="success" data-testid="activity-export-done">
          <MessageBarBody>
            <MessageBarTitle>Exported {exportM.data.count === 1 ? "1 entry" : `${exportM.data.count} entries`}</MessageBarTitle>{" "}
            to {exportM.data.path}
          </MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={() => exportM.reset()} />
            }
          />
        </MessageBar>
      ) : null}
      {exportM.isError ? (
        <ErrorBar error={toApiError(exportM.error)} onRetry={() => exportM.mutate(exportM.variables)} />
      ) : null}

      <ActivityFilters
        value={filters}
        onChange={setFilters}
        environments={pageQ.data?.environments ?? []}
        roles={pageQ.data?.roles ?? []}
      />
      {pageQ.data ? (
        <div className={s.countLine}>
          <Caption1 className={s.count} data-testid="activity-count" aria-live="polite">
            {pageQ.data.matching === pageQ.data.total
              ? `${pageQ.data.total} ${pageQ.data.total === 1 ? "entry" : "entries"}`
              : `${pageQ.data.matching} of ${pageQ.data.total} entries match`}
            {pageQ.data.rows.length < pageQ.data.matching ? ` \u00b7 showing the newest ${pageQ.data.rows.length}` : ""}
          </Caption1>
          {isFiltered(filters) ? (
            <Button size="small" appearance="transparent" onClick={() => setFilters(NO_FILTER)} data-testid="activity-filter-clear">
              Clear filters
            </Button>
          ) : null}
        </div>
      ) : null}
      {pageQ.isError ? <ErrorBar error={toApiError(pageQ.error)} onRetry={() => void pageQ.refetch()} /> : null}

      <div className={s.gridBox}>
        {pageQ.isPending ? (
          <Skeleton aria-label="Loading activity" className={s.skeleton}>
            {[0, 1, 2].map((i) => (
              <SkeletonItem key={i} size={16} />
            ))}
          </Skeleton>
        ) : rows.length === 0 ? (
          <div className={s.empty} data-testid="activity-empty">
            {pageQ.data && pageQ.data.total > 0
              ? "No entries match these filters."
              : "Nothing recorded yet. Sign-ins, role activations and elevations appear here."}
          </div>
        ) : (
          <DataGrid
            items={rows}
            columns={columns}
            getRowId={rowId}
            selectionMode="single"
            subtleSelection
            selectedItems={new Set(selected ? [selected] : [])}
            onSelectionChange={(_, d) => setSelected(([...d.selectedItems][0] as string | undefined) ?? null)}
            resizableColumns
            columnSizingOptions={COLUMN_SIZES}
            // Room for the selection column (44px, Fluent's default) and the box's two 1px
            // borders, which Fluent does not see: without them a needless scrollbar shows.
            containerWidthOffset={-46}
            aria-label="Activity"
            className={s.grid}
            data-testid="activity-grid"
          >
            <DataGridHeader>
              <DataGridRow>
                {({ renderHeaderCell }) => <DataGridHeaderCell>{renderHeaderCell()}</DataGridHeaderCell>}
              </DataGridRow>
            </DataGridHeader>
            <DataGridBody<JournalRow>>
              {({ item, rowId: id }) => (
                <DataGridRow<JournalRow>
                  key={id}
                  data-testid="activity-row"
                  data-seq={item.entry.seq}
                  selectionCell={{ radioIndicator: { "aria-label": `Show entry ${item.entry.seq}` } }}
                >
                  {({ renderCell }) => <DataGridCell>{renderCell(item)}</DataGridCell>}
                </DataGridRow>
              )}
            </DataGridBody>
          </DataGrid>
        )}
      </div>
      {selectedRow ? <EntryDetails row={selectedRow} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}
