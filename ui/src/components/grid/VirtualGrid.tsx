import { Checkbox, createTableColumn, mergeClasses, useId, useTableFeatures, useTableSelection, useTableSort, type TableRowId } from "@fluentui/react-components";
import { ArrowSortDown16Regular, ArrowSortUp16Regular } from "@fluentui/react-icons";
import { observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { GridRow, type GridColumn, type RowHandlers } from "./GridRow";
import { HEAD_HEIGHT, ROW_HEIGHT, useGridStyles, type HeadSize } from "./gridStyles";
import { useGridKeyboard } from "./useGridKeyboard";

export type { GridColumn } from "./GridRow";

const OVERSCAN = 8;
// jsdom (and a first paint before layout) reports 0: assume a typical box until measured.
const FALLBACK_VIEWPORT = 600;
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
 * rows scroll and filter as fast as 10. Windowing from TanStack Virtual, sort and selection
 * from Fluent's table hooks, one tab stop with the keyboard of `useGridKeyboard`.
 */
export function VirtualGrid<T, K extends string = string>(p: Props<T, K>) {
  const { items, rowId, columns, selection, sort } = p;
  const s = useGridStyles();
  const gridId = useId("grid");
  const ref = useRef<HTMLDivElement>(null);
  const headPx = HEAD_HEIGHT[p.head];
  const interactive = !!selection;
  const virtual = items.length > (p.virtualAbove ?? 0);
  const [focused, setFocused] = useState(false);

  // The scroll offset comes through React's onScroll (and `reveal`), so a keyboard move that
  // scrolls re-renders the window at once, in jsdom too.
  const offsetListener = useRef<((offset: number, scrolling: boolean) => void) | null>(null);
  const v = useVirtualizer({
    count: items.length,
    getScrollElement: () => ref.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: virtual ? OVERSCAN : items.length,
    scrollMargin: headPx,
    initialRect: { width: 0, height: FALLBACK_VIEWPORT },
    observeElementRect: (instance, cb) => observeElementRect(instance, (r) => cb(r.height ? r : { width: r.width, height: FALLBACK_VIEWPORT })),
    observeElementOffset: (instance, cb) => {
      offsetListener.current = cb;
      cb(instance.scrollElement?.scrollTop ?? 0, false);
      return () => void (offsetListener.current = null);
    },
  });
  const viewport = v.scrollRect?.height || FALLBACK_VIEWPORT;
  const onScroll = useCallback(() => offsetListener.current?.(ref.current?.scrollTop ?? 0, true), []);

  /** Scroll just enough to show row `i` below the sticky header. */
  const reveal = (i: number) => {
    const el = ref.current;
    if (!el) return;
    const top = i * ROW_HEIGHT;
    const room = (el.clientHeight || viewport) - headPx;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + room) el.scrollTop = top + ROW_HEIGHT - room;
    offsetListener.current?.(el.scrollTop, false);
  };

  const tableColumns = useMemo(() => columns.map((c) => createTableColumn<T>({ columnId: c.key })), [columns]);
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

  const pick = (id: string) => (selection?.onPick ? selection.onPick(id) : undefined);
  const kb = useGridKeyboard({
    count: items.length,
    page: Math.max(1, Math.floor((viewport - headPx) / ROW_HEIGHT) - 1),
    onMove: (i) => {
      pick(rowId(items[i]));
      reveal(i);
    },
    onToggle: (i) => ticks.toggleRow(undefined as never, rowId(items[i])),
    onOpen: p.onOpen
      ? (i) => {
          const id = rowId(items[i]);
          if (!selected.has(id)) pick(id);
          p.onOpen?.(id);
        }
      : undefined,
    stayOnFirstDown: () => !!selection?.onPick && selected.size === 0,
  });

  // A new filter or order: back to the top, where the best matches are; a grid that picks keeps
  // the keyboard's row on the one picked row, in view. (Not on every new row: during a run rows
  // arrive every second, and the list must not jump while being read.)
  const onlyPicked = useRef<string | null>(null);
  onlyPicked.current = selection?.onPick && selected.size === 1 ? [...selected][0] : null;
  useEffect(() => {
    const id = onlyPicked.current;
    const at = id ? items.findIndex((it) => rowId(it) === id) : -1;
    kb.setActive(Math.max(0, at));
    if (at >= 0) reveal(at);
    else if (ref.current) {
      ref.current.scrollTop = 0;
      offsetListener.current?.(0, false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.resetOn]);

  // Stable handlers for the memoized rows: they read the latest state through a ref, so a
  // scroll re-renders only the rows that come into view.
  const latest = useRef({ pick, toggle: ticks.toggleRow, onOpen: p.onOpen, setActive: kb.setActive, picks: !!selection?.onPick });
  latest.current = { pick, toggle: ticks.toggleRow, onOpen: p.onOpen, setActive: kb.setActive, picks: !!selection?.onPick };
  const handlers = useMemo<RowHandlers>(
    () => ({
      click: (i, id) => {
        latest.current.setActive(i);
        if (latest.current.picks) latest.current.pick(id);
        else latest.current.toggle(undefined as never, id);
      },
      toggle: (i, id) => {
        latest.current.setActive(i);
        latest.current.toggle(undefined as never, id);
      },
      open: (id) => latest.current.onOpen?.(id),
    }),
    [],
  );

  const toggleShown = (on: boolean) => {
    // Not Fluent's toggleAllRows: unticking would also drop the ticks of rows the filter hides.
    const next = new Set(selected);
    for (const it of items) {
      if (on) next.add(rowId(it));
      else next.delete(rowId(it));
    }
    selection?.onChange(next);
  };

  const shown = v.getVirtualItems();
  const first = shown.length ? shown[0].index : 0;
  const last = shown.length ? shown[shown.length - 1].index + 1 : 0;
  const active = kb.active;
  const domId = (i: number) => `${gridId}-row-${i}`;
  // Rows are keyed by slot, not by item: a new filter or sort updates the rows on screen in
  // place instead of unmounting and mounting them (Fluent checkboxes are not free). Any window
  // is shorter than `slots`, so keys stay unique.
  const slots = Math.max(shown.length, Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2);
  const rowClass = mergeClasses(s.row, p.template);
  const colCount = columns.length + (interactive ? 1 : 0);

  return (
    <div
      ref={ref}
      role={interactive ? "grid" : "table"}
      tabIndex={0}
      aria-label={p.label}
      aria-rowcount={items.length + 1}
      aria-colcount={colCount}
      aria-multiselectable={interactive || undefined}
      aria-activedescendant={interactive && items.length && active >= first && active < last ? domId(active) : undefined}
      className={mergeClasses(s.scroller, p.className)}
      style={p.style}
      data-testid={p.testId}
      onScroll={onScroll}
      onKeyDown={interactive ? kb.onKeyDown : undefined}
      onFocus={(e) => e.target === e.currentTarget && setFocused(true)}
      onBlur={(e) => e.target === e.currentTarget && setFocused(false)}
    >
      <div style={{ minWidth: p.minWidth }}>
        <div role="rowgroup" className={s.head} style={{ height: `${headPx}px` }}>
          <div role="row" aria-rowindex={1} className={rowClass}>
            {selection ? (
              <div role="columnheader" aria-colindex={1} className={s.check}>
                <Checkbox
                  aria-label={selection.allLabel}
                  data-testid={selection.allTestId}
                  checked={ticks.allRowsSelected ? true : ticks.someRowsSelected ? "mixed" : false}
                  disabled={items.length === 0}
                  onChange={(_, d) => toggleShown(d.checked === true)}
                />
              </div>
            ) : null}
            {columns.map((c, i) => {
              const dir = sort ? sorting.getSortDirection(c.key) : undefined;
              return (
                <div
                  key={c.key}
                  role="columnheader"
                  aria-colindex={i + 1 + (interactive ? 1 : 0)}
                  aria-sort={sort ? (dir ?? "none") : undefined}
                  className={sort ? s.headCell : mergeClasses(s.cell, s.headText)}
                >
                  {sort ? (
                    <button
                      type="button"
                      className={mergeClasses(s.sort, p.head === "tall" ? s.sortTall : s.sortCompact, c.headerAfter ? s.fit : undefined)}
                      data-testid={`${sort.testIdPrefix}-${c.key}`}
                      onClick={(e) => sorting.toggleColumnSort(e, c.key)}
                    >
                      <span className={s.sortLabel}>{c.label}</span>
                      {dir === "ascending" ? <ArrowSortUp16Regular aria-hidden /> : dir === "descending" ? <ArrowSortDown16Regular aria-hidden /> : null}
                    </button>
                  ) : (
                    c.label
                  )}
                  {c.headerAfter}
                </div>
              );
            })}
          </div>
        </div>
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
            {shown.map(({ index: i }) => {
              const item = items[i];
              const id = rowId(item);
              return (
                <GridRow<T>
                  key={virtual ? i % slots : i}
                  domId={domId(i)}
                  index={i}
                  item={item}
                  id={id}
                  interactive={interactive}
                  selected={selected.has(id)}
                  active={focused && i === active}
                  checkLabel={selection?.rowLabel}
                  columns={columns}
                  rowClass={rowClass}
                  testId={p.rowTestId}
                  data={p.rowData}
                  on={handlers}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
