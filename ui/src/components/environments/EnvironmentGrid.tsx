import { Badge, Checkbox, mergeClasses, useId } from "@fluentui/react-components";
import { ArrowSortDown16Regular, ArrowSortUp16Regular } from "@fluentui/react-icons";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { createdLabel, groupLabel, regionLabel, stateLabel, type EnvRow, type Sort, type SortKey } from "../../lib/environments";
import type { Environment } from "../../platform";
import { HEAD_HEIGHT, ROW_HEIGHT, useStyles } from "./gridStyles";

const OVERSCAN = 8;
// jsdom (and a first paint before layout) reports 0: assume a typical window until measured.
const FALLBACK_VIEWPORT = 600;

const HEADERS: { key: SortKey; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "type", label: "Type" },
  { key: "state", label: "State" },
  { key: "region", label: "Region" },
  { key: "dataverse", label: "Dataverse" },
  { key: "securityGroup", label: "Security group" },
  { key: "created", label: "Created" },
];

type Props = {
  /** Filtered and sorted. */
  rows: readonly EnvRow[];
  sort: Sort;
  onSort: (key: SortKey) => void;
  selected: ReadonlySet<string>;
  /** A click on a row, or the arrow keys: this one only. */
  onSelectOnly: (id: string) => void;
  /** The checkbox: add or remove one. */
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  /** Enter or a double click: Details. */
  onOpen: (id: string) => void;
  /** Shown in place of rows when there are none. */
  empty: ReactNode;
};

/**
 * A virtualized table: only the rows in view (plus a few) are in the DOM, so 10,000
 * environments scroll and filter as fast as 10. One tab stop; the arrow keys move the selection.
 */
export function EnvironmentGrid({ rows, sort, onSort, selected, onSelectOnly, onToggle, onToggleAll, onOpen, empty }: Props) {
  const s = useStyles();
  const gridId = useId("env-grid");
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const [activeIndex, setActiveIndex] = useState(0);
  const [focused, setFocused] = useState(false);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || FALLBACK_VIEWPORT);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new filter or order: the keyboard's row stays on the selected environment and it stays in
  // view; with none, back to the top, where the best matches are.
  const onlySelected = useRef<string | null>(null);
  onlySelected.current = selected.size === 1 ? [...selected][0] : null;
  useEffect(() => {
    const id = onlySelected.current;
    const at = id ? rows.findIndex((r) => r.env.id === id) : -1;
    setActiveIndex(Math.max(0, at));
    if (at >= 0) reveal(at);
    else if (scroller.current) {
      scroller.current.scrollTop = 0;
      setScrollTop(0);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el) setScrollTop(el.scrollTop);
  }, []);

  const bodyHeight = rows.length * ROW_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport - HEAD_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const active = Math.min(activeIndex, Math.max(0, rows.length - 1));

  const reveal = (i: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = i * ROW_HEIGHT;
    const room = (el.clientHeight || viewport) - HEAD_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + room) el.scrollTop = top + ROW_HEIGHT - room;
    setScrollTop(el.scrollTop);
  };

  const moveTo = (i: number) => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, i));
    setActiveIndex(next);
    onSelectOnly(rows[next].env.id);
    reveal(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the header's buttons and checkboxes are theirs.
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor((viewport - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
    const row = rows[active];
    switch (e.key) {
      case "ArrowDown":
        moveTo(selected.size === 0 ? active : active + 1);
        break;
      case "ArrowUp":
        moveTo(active - 1);
        break;
      case "PageDown":
        moveTo(active + page);
        break;
      case "PageUp":
        moveTo(active - page);
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(rows.length - 1);
        break;
      case " ":
        if (row) onToggle(row.env.id, !selected.has(row.env.id));
        break;
      case "Enter":
        if (row) {
          if (!selected.has(row.env.id)) onSelectOnly(row.env.id);
          onOpen(row.env.id);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  let selectedShown = 0;
  for (const r of rows) if (selected.has(r.env.id)) selectedShown++;
  const allState = selectedShown === 0 ? false : selectedShown === rows.length ? true : "mixed";

  // Stable handlers for the memoized rows: they read the latest props through a ref, so a
  // scroll re-renders only the rows that come into view.
  const latest = useRef({ onSelectOnly, onToggle, onOpen });
  latest.current = { onSelectOnly, onToggle, onOpen };
  const rowHandlers = useMemo<RowHandlers>(
    () => ({
      click: (i, id) => {
        setActiveIndex(i);
        latest.current.onSelectOnly(id);
      },
      toggle: (i, id, on) => {
        setActiveIndex(i);
        latest.current.onToggle(id, on);
      },
      open: (id) => latest.current.onOpen(id),
    }),
    [],
  );

  const rowId = (i: number) => `${gridId}-row-${i}`;
  const visible = [];
  // Rows are keyed by slot, not by environment: a new filter or sort updates the rows on
  // screen in place instead of unmounting and mounting them (Fluent checkboxes are not free).
  // Any window [first, last) is shorter than `slots`, so keys stay unique.
  const slots = Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  for (let i = first; i < last; i++) {
    const env = rows[i].env;
    visible.push(
      <GridRow
        key={i % slots}
        id={rowId(i)}
        index={i}
        env={env}
        selected={selected.has(env.id)}
        active={focused && i === active}
        on={rowHandlers}
      />,
    );
  }

  return (
    <div
      ref={scroller}
      role="grid"
      tabIndex={0}
      aria-label="Environments"
      aria-rowcount={rows.length + 1}
      aria-colcount={HEADERS.length + 1}
      aria-multiselectable
      aria-activedescendant={rows.length && active >= first && active < last ? rowId(active) : undefined}
      className={s.scroller}
      data-testid="env-grid"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={(e) => e.target === e.currentTarget && setFocused(true)}
      onBlur={(e) => e.target === e.currentTarget && setFocused(false)}
    >
      <div className={s.inner}>
        <div role="rowgroup" className={s.head}>
          <div role="row" aria-rowindex={1} className={s.row}>
            <div role="columnheader" aria-colindex={1} className={s.check}>
              <Checkbox
                aria-label="Select all shown environments"
                data-testid="env-select-all"
                checked={allState}
                disabled={rows.length === 0}
                onChange={(_, d) => onToggleAll(d.checked === true)}
              />
            </div>
            {HEADERS.map((h, i) => {
              const on = sort.key === h.key;
              return (
                <div key={h.key} role="columnheader" aria-colindex={i + 2} aria-sort={on ? sort.dir : "none"} className={s.headCell}>
                  <button type="button" className={s.sort} data-testid={`env-sort-${h.key}`} onClick={() => onSort(h.key)}>
                    <span className={s.sortLabel}>{h.label}</span>
                    {on ? (sort.dir === "ascending" ? <ArrowSortUp16Regular aria-hidden /> : <ArrowSortDown16Regular aria-hidden />) : null}
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        {rows.length === 0 ? (
          <div role="rowgroup">
            <div role="row">
              <div role="gridcell" aria-colspan={HEADERS.length + 1} className={s.empty} data-testid="env-empty">
                {empty}
              </div>
            </div>
          </div>
        ) : (
          <div role="rowgroup" className={s.body} style={{ height: `${bodyHeight}px` }}>
            {visible}
          </div>
        )}
      </div>
    </div>
  );
}

type RowHandlers = {
  click: (index: number, id: string) => void;
  toggle: (index: number, id: string, on: boolean) => void;
  open: (id: string) => void;
};

type RowProps = { id: string; index: number; env: Environment; selected: boolean; active: boolean; on: RowHandlers };

const GridRow = memo(function GridRow({ id, index, env, selected, active, on }: RowProps) {
  const s = useStyles();
  const state = stateLabel(env);
  const group = groupLabel(env.securityGroup);
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={mergeClasses(s.row, s.item, selected && s.selected, active && s.active)}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="env-row"
      data-env-id={env.id}
      data-env-name={env.displayName}
      onClick={() => on.click(index, env.id)}
      onDoubleClick={() => on.open(env.id)}
    >
      <div role="gridcell" className={s.check} onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
        <Checkbox
          aria-label={`Select ${env.displayName}`}
          checked={selected}
          // One tab stop for the whole grid: Space toggles the keyboard's row instead.
          input={{ tabIndex: -1 }}
          onChange={(_, d) => on.toggle(index, env.id, d.checked === true)}
        />
      </div>
      <div role="gridcell" className={mergeClasses(s.cell, s.name)} title={env.displayName}>
        {env.displayName}
      </div>
      <div role="gridcell" className={s.cell}>
        {env.type}
      </div>
      <div role="gridcell" className={s.cell}>
        {env.enabled ? (
          state
        ) : (
          <Badge appearance="tint" color="warning" data-testid="env-disabled">
            {state}
          </Badge>
        )}
      </div>
      <div role="gridcell" className={s.cell} title={regionLabel(env)}>
        {regionLabel(env)}
      </div>
      <div role="gridcell" className={s.cell}>
        {env.hasDataverse ? "Yes" : "No"}
      </div>
      <div role="gridcell" className={mergeClasses(s.cell, env.securityGroup && !env.securityGroup.name && s.muted)} title={group || undefined}>
        {group || <span className={s.muted}>None</span>}
      </div>
      <div role="gridcell" className={s.cell}>
        {createdLabel(env)}
      </div>
    </div>
  );
});
