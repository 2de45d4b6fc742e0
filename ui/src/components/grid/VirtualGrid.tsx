import { createTableColumn, mergeClasses, useId, useTableFeatures, useTableSelection, useTableSort, type TableRowId } from "@fluentui/react-components";
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { GridHeader } from "./GridHeader";
import { GridRow, type GridColumn, type RowHandlers } from "./GridRow";
import { HEAD_HEIGHT, ROW_HEIGHT, useGridStyles, type HeadSize } from "./gridStyles";
import { useGridKeyboard } from "./useGridKeyboard";
import { useGridWindow } from "./useGridWindow";

export type { GridColumn } from "./GridRow";

const NONE: ReadonlySet<string> = new Set();

export type GridSort<K extends string> = { key: K; dir: "ascending" | "descending" };

export type GridSelection<T> = {
  selected: ReadonlySet<string>;
  onChange: (next: ReadonlySet<string>) => void;
  /**
   * Set when a click or the arrows choose one row only (Environments, where a pane follows the
   * choice); without it a click ticks the row (System Administrators).
   */
  onPick?: (id: string) => void;
  /** The row's checkbox name. */
  rowLabel: (item: T) => string;
  allLabel: string;
  allTestId: string;
};

type Props<T, K extends string> = {
  /** The grid's accessible name. */
  label: string;
  testId?: string;
  items: readonly T[];
  rowId: (item: T) => string;
  columns: readonly GridColumn<T>[];
  /** The CSS grid template and the minimum width (the grid scrolls sideways below it). */
  template: string;
  minWidth: string;
  head: HeadSize;
  rowTestId: string;
  rowData: (item: T) => Record<string, string>;
  empty: ReactNode;
  emptyTestId?: string;
  /** Up to this many rows every row is rendered (simpler for find-in-page); above it only a window. */
  virtualAbove?: number;
  className?: string;
  style?: CSSProperties;
  sort?: { value: GridSort<K>; onChange: (next: GridSort<K>) => void; testIdPrefix: string };
  /** Without it the list is a read-only table: rows and cells, one tab stop to scroll. */
  selection?: GridSelection<T>;
  /** Enter or a double click. */
  onOpen?: (id: string) => void;
  /** A new value (a new filter or order): the keyboard's row goes back to the top, or stays on the one picked. */
  resetOn?: unknown;
};

/**
 * The app's one virtualized grid: only the rows in view (plus a few) are in the DOM, so 10,000
 * rows scroll and filter as fast as 10. Windowing from TanStack Virtual (`useGridWindow`), sort
 * and selection from Fluent's table hooks, one tab stop with the keys of `useGridKeyboard`.
 */
export function VirtualGrid<T, K extends string = string>(p: Props<T, K>) {
  const { items, columns, selection } = p;
  const s = useGridStyles();
  const gridId = useId("grid");
  const interactive = !!selection;
  const w = useGridWindow(items.length, HEAD_HEIGHT[p.head], items.length > (p.virtualAbove ?? 0));
  const g = useGridState(p, w);
  const [focused, setFocused] = useState(false);
  const domId = (i: number) => `${gridId}-row-${i}`;
  const rowClass = mergeClasses(s.row, p.template);
  const colCount = columns.length + (interactive ? 1 : 0);
  const active = g.kb.active;

  return (
    <div
      ref={w.ref}
      role={interactive ? "grid" : "table"}
      tabIndex={0}
      aria-label={p.label}
      aria-rowcount={items.length + 1}
      aria-colcount={colCount}
      aria-multiselectable={interactive || undefined}
      aria-activedescendant={interactive && items.length && active >= w.first && active < w.last ? domId(active) : undefined}
      className={mergeClasses(s.scroller, p.className)}
      style={p.style}
      data-testid={p.testId}
      onScroll={w.onScroll}
      onKeyDown={interactive ? g.kb.onKeyDown : undefined}
      onFocus={(e) => e.target === e.currentTarget && setFocused(true)}
      onBlur={(e) => e.target === e.currentTarget && setFocused(false)}
    >
      <div style={{ minWidth: p.minWidth }}>
        <GridHeader columns={columns} head={p.head} rowClass={rowClass} all={g.all} sort={g.sort} />
        {items.length === 0 ? (
          <div role="rowgroup">
            <div role="row">
              <div role={interactive ? "gridcell" : "cell"} aria-colspan={colCount} className={s.empty} data-testid={p.emptyTestId}>
                {p.empty}
              </div>
            </div>
          </div>
        ) : (
          <div role="rowgroup" className={s.body} style={{ height: `${items.length * ROW_HEIGHT}px` }}>
            {w.shown.map((i) => {
              const id = p.rowId(items[i]);
              return (
                <GridRow<T>
                  key={w.keyOf(i)}
                  domId={domId(i)}
                  index={i}
                  item={items[i]}
                  id={id}
                  interactive={interactive}
                  selected={g.selected.has(id)}
                  active={focused && i === active}
                  checkLabel={selection?.rowLabel}
                  columns={columns}
                  rowClass={rowClass}
                  testId={p.rowTestId}
                  data={p.rowData}
                  on={g.handlers}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

/** Sort, ticks and the keyboard's row: Fluent's table hooks, and what the rows and keys do with them. */
function useGridState<T, K extends string>(p: Props<T, K>, w: ReturnType<typeof useGridWindow>) {
  const { items, rowId, selection, sort } = p;
  const tableColumns = useMemo(() => p.columns.map((c) => createTableColumn<T>({ columnId: c.key })), [p.columns]);
  const { sort: sorting, selection: ticks } = useTableFeatures<T>({ items: items as T[], columns: tableColumns, getRowId: rowId }, [
    useTableSort({
      sortState: sort ? { sortColumn: sort.value.key, sortDirection: sort.value.dir } : undefined,
      onSortChange: (_, next) => sort?.onChange({ key: next.sortColumn as K, dir: next.sortDirection }),
    }),
    useTableSelection({
      selectionMode: "multiselect",
      selectedItems: selection?.selected ?? NONE,
      onSelectionChange: (_, d) => selection?.onChange(d.selectedItems as Set<TableRowId> as ReadonlySet<string>),
    }),
  ]);
  const selected = selection?.selected ?? NONE;
  const picks = !!selection?.onPick;
  const pick = (id: string) => selection?.onPick?.(id);
  const toggle = (id: string) => ticks.toggleRow(undefined as never, id);
  const open = p.onOpen;

  const kb = useGridKeyboard({
    count: items.length,
    page: w.page,
    onMove: (i) => {
      pick(rowId(items[i]));
      w.reveal(i);
    },
    onToggle: (i) => toggle(rowId(items[i])),
    onOpen: open
      ? (i) => {
          const id = rowId(items[i]);
          if (!selected.has(id)) pick(id);
          open(id);
        }
      : undefined,
    stayOnFirstDown: () => picks && selected.size === 0,
  });

  // A new filter or order: back to the top, where the best matches are; a grid that picks keeps
  // the keyboard's row on the one picked row, in view. (Not on every new row: during a run rows
  // arrive every second, and the list must not jump while being read.)
  const onlyPicked = useRef<string | null>(null);
  onlyPicked.current = picks && selected.size === 1 ? [...selected][0] : null;
  useEffect(() => {
    const id = onlyPicked.current;
    const at = id ? items.findIndex((it) => rowId(it) === id) : -1;
    kb.setActive(Math.max(0, at));
    w.reveal(at);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.resetOn]);

  const handlers = useRowHandlers({ pick, toggle, open, setActive: kb.setActive, picks });

  // Not Fluent's toggleAllRows: unticking would also drop the ticks of rows the filter hides.
  const toggleShown = (on: boolean) => {
    const next = new Set(selected);
    for (const it of items) {
      if (on) next.add(rowId(it));
      else next.delete(rowId(it));
    }
    selection?.onChange(next);
  };
  const all = selection && {
    label: selection.allLabel,
    testId: selection.allTestId,
    checked: ticks.allRowsSelected ? true : ticks.someRowsSelected ? ("mixed" as const) : false,
    disabled: items.length === 0,
    onChange: toggleShown,
  };
  const sortHeader = sort && { testIdPrefix: sort.testIdPrefix, direction: sorting.getSortDirection, toggle: sorting.toggleColumnSort };
  return { kb, selected, handlers, all, sort: sortHeader };
}

type RowActions = { pick: (id: string) => void; toggle: (id: string) => void; open?: (id: string) => void; setActive: (i: number) => void; picks: boolean };

/** Stable handlers for the memoized rows: they read the latest actions through a ref, so a scroll re-renders only the rows that come into view. */
function useRowHandlers(actions: RowActions): RowHandlers {
  const latest = useRef(actions);
  latest.current = actions;
  return useMemo<RowHandlers>(
    () => ({
      click: (i, id) => {
        latest.current.setActive(i);
        if (latest.current.picks) latest.current.pick(id);
        else latest.current.toggle(id);
      },
      toggle: (i, id) => {
        latest.current.setActive(i);
        latest.current.toggle(id);
      },
      open: (id) => latest.current.open?.(id),
    }),
    [],
  );
}
