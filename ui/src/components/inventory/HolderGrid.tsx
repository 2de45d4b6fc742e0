import {
  Badge,
  Button,
  Checkbox,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
  useId,
} from "@fluentui/react-components";
import { ArrowSortDown16Regular, ArrowSortUp16Regular, Info16Regular } from "@fluentui/react-icons";
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { PIM_HELP, PIM_WORDS, holderKey, teamLine, type HolderSort, type HolderSortKey } from "../../lib/inventory";
import type { Holder, PimStatus } from "../../platform";
import { HEAD_HEIGHT, ROW_HEIGHT, useTableStyles } from "./tableStyles";
import { useVirtualWindow } from "./useVirtualWindow";

// Sum of the minimums fits a 1280-px window beside the navigation; wider windows share the rest.
const COLUMNS = "44px minmax(130px, 1.1fr) minmax(170px, 1.9fr) minmax(140px, 1.3fr) minmax(108px, 0.8fr) 130px 160px 98px";

const useStyles = makeStyles({
  inner: { minWidth: "980px" },
  row: { gridTemplateColumns: COLUMNS },
  headCell: { display: "flex", alignItems: "center", minWidth: 0, paddingInline: tokens.spacingHorizontalXXS },
  // The PIM header's sort button leaves room for the legend's button right after the word.
  fit: { width: "auto", flexShrink: 1 },
  legend: { maxWidth: "380px", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  term: { fontWeight: tokens.fontWeightSemibold },
  def: { margin: 0, color: tokens.colorNeutralForeground2 },
  badge: { flexShrink: 0 },
  text: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis" },
});

const HEADERS: { key: HolderSortKey; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "upn", label: "UPN" },
  { key: "environment", label: "Environment" },
  { key: "businessUnit", label: "Business unit" },
  { key: "kind", label: "Kind" },
  { key: "pim", label: "PIM" },
  { key: "standing", label: "Standing" },
];
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
  onSort: (key: HolderSortKey) => void;
  selected: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  /** The signed-in admin's UPN: their rows say You. */
  you: string;
  empty: ReactNode;
  /** Changes with the filter and the sort. */
  resetKey: string;
};

/**
 * The holders, virtualized above 200 rows. One tab stop: the arrow keys move the keyboard's row,
 * Space ticks it; a click anywhere on a row ticks it too (the ticks are what a dry run takes).
 */
export function HolderGrid({ rows, sort, onSort, selected, onToggle, onToggleAll, you, empty, resetKey }: Props) {
  const s = useStyles();
  const t = useTableStyles();
  const gridId = useId("inv-grid");
  const w = useVirtualWindow(rows.length, ROW_HEIGHT, { head: HEAD_HEIGHT });
  const [active, setActive] = useState(0);
  const [focused, setFocused] = useState(false);
  const at = Math.min(active, Math.max(0, rows.length - 1));

  // A new filter or sort: back to the top, where the keyboard's row starts again. (Not on new
  // rows: during a run they arrive every second, and the list must not jump while being read.)
  useEffect(() => {
    setActive(0);
    if (w.ref.current) w.ref.current.scrollTop = 0;
  }, [resetKey, w.ref]);

  const moveTo = (i: number) => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, i));
    setActive(next);
    w.reveal(next);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor((w.viewport - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
    const row = rows[at];
    if (e.key === "ArrowDown") moveTo(at + 1);
    else if (e.key === "ArrowUp") moveTo(at - 1);
    else if (e.key === "PageDown") moveTo(at + page);
    else if (e.key === "PageUp") moveTo(at - page);
    else if (e.key === "Home") moveTo(0);
    else if (e.key === "End") moveTo(rows.length - 1);
    else if (e.key === " " && row) onToggle(holderKey(row), !selected.has(holderKey(row)));
    else return;
    e.preventDefault();
  };

  let ticked = 0;
  for (const r of rows) if (selected.has(holderKey(r))) ticked++;
  const all = ticked === 0 ? false : ticked === rows.length ? true : "mixed";

  // Stable handlers for the memoized rows: a scroll re-renders only the rows coming into view.
  const latest = useRef(onToggle);
  latest.current = onToggle;
  const toggle = useMemo(
    () => (i: number, key: string, on: boolean) => {
      setActive(i);
      latest.current(key, on);
    },
    [],
  );
  const youLower = you.toLowerCase();
  const rowId = (i: number) => `${gridId}-row-${i}`;

  const visible = [];
  for (let i = w.first; i < w.last; i++) {
    const h = rows[i];
    const key = holderKey(h);
    visible.push(
      <HolderRow key={w.keyOf(i)} id={rowId(i)} index={i} holder={h} hkey={key} you={h.upn.toLowerCase() === youLower} ticked={selected.has(key)} active={focused && i === at} toggle={toggle} />,
    );
  }

  return (
    <div
      ref={w.ref}
      role="grid"
      tabIndex={0}
      aria-label="System Administrators"
      aria-rowcount={rows.length + 1}
      aria-multiselectable
      aria-activedescendant={rows.length && at >= w.first && at < w.last ? rowId(at) : undefined}
      className={t.scroller}
      data-testid="inv-grid"
      style={{ height: `${Math.min(HEAD_HEIGHT + 12.5 * ROW_HEIGHT, HEAD_HEIGHT + Math.max(2, rows.length) * ROW_HEIGHT + 2)}px` }}
      onScroll={w.onScroll}
      onKeyDown={onKeyDown}
      onFocus={(e) => e.target === e.currentTarget && setFocused(true)}
      onBlur={(e) => e.target === e.currentTarget && setFocused(false)}
    >
      <div className={s.inner}>
        <div role="rowgroup" className={t.head}>
          <div role="row" aria-rowindex={1} className={mergeClasses(t.row, s.row)}>
            <div role="columnheader" className={t.check}>
              <Checkbox aria-label="Select all shown holders" data-testid="inv-select-all" checked={all} disabled={rows.length === 0} onChange={(_, d) => onToggleAll(d.checked === true)} />
            </div>
            {HEADERS.map((hd) => {
              const on = sort.key === hd.key;
              return (
                <div key={hd.key} role="columnheader" aria-sort={on ? sort.dir : "none"} className={s.headCell}>
                  <button type="button" className={mergeClasses(t.sort, hd.key === "pim" && s.fit)} data-testid={`inv-sort-${hd.key}`} onClick={() => onSort(hd.key)}>
                    <span className={t.sortLabel}>{hd.label}</span>
                    {on ? sort.dir === "ascending" ? <ArrowSortUp16Regular aria-hidden /> : <ArrowSortDown16Regular aria-hidden /> : null}
                  </button>
                  {hd.key === "pim" ? <PimLegend /> : null}
                </div>
              );
            })}
          </div>
        </div>
        {rows.length === 0 ? (
          <div className={t.empty} data-testid="inv-empty">
            {empty}
          </div>
        ) : (
          <div role="rowgroup" className={t.body} style={{ height: `${w.height}px` }}>
            {visible}
          </div>
        )}
      </div>
    </div>
  );
}

type RowProps = {
  id: string;
  index: number;
  holder: Holder;
  hkey: string;
  you: boolean;
  ticked: boolean;
  active: boolean;
  toggle: (i: number, key: string, on: boolean) => void;
};

const HolderRow = memo(function HolderRow({ id, index, holder: h, hkey, you, ticked, active, toggle }: RowProps) {
  const s = useStyles();
  const t = useTableStyles();
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={ticked}
      className={mergeClasses(t.row, t.item, t.hover, s.row, ticked && t.selected, active && t.active)}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="inv-holder-row"
      data-upn={h.upn}
      data-env-id={h.environmentId}
      data-standing={String(h.standing)}
      onClick={() => toggle(index, hkey, !ticked)}
    >
      <div role="gridcell" className={t.check} onClick={(e) => e.stopPropagation()}>
        <Checkbox aria-label={`Select ${h.fullName} in ${h.environmentName}`} checked={ticked} input={{ tabIndex: -1 }} onChange={(_, d) => toggle(index, hkey, d.checked === true)} />
      </div>
      <div role="gridcell" className={mergeClasses(t.cell, t.flexCell)} title={h.fullName}>
        <span className={mergeClasses(s.text, t.strong)}>{h.fullName}</span>
        {you ? (
          <Badge appearance="tint" color="brand" size="small" className={s.badge}>
            You
          </Badge>
        ) : null}
      </div>
      <div role="gridcell" className={t.cell} title={h.upn}>
        {h.upn}
      </div>
      <div role="gridcell" className={t.cell} title={h.environmentName}>
        {h.environmentName}
      </div>
      {h.throughTeam ? (
        <div role="gridcell" className={t.cell} title={teamLine(h.throughTeam)} data-testid="inv-through-team">
          {`Team ${h.throughTeam.team}`}
        </div>
      ) : (
        <div role="gridcell" className={t.cell} title={h.businessUnit}>
          {h.businessUnit}
        </div>
      )}
      <div role="gridcell" className={mergeClasses(t.cell, t.flexCell)}>
        <span className={s.text}>{h.isApplicationUser ? "Application user" : "Person"}</span>
        {h.isDisabled ? (
          <Badge appearance="tint" color="warning" size="small" className={s.badge} data-testid="inv-disabled">
            Disabled
          </Badge>
        ) : null}
      </div>
      <div role="gridcell" className={t.cell}>
        <Tooltip content={PIM_HELP[h.pim]} relationship="description" withArrow>
          <span data-testid="inv-pim" data-pim={h.pim}>
            {PIM_WORDS[h.pim]}
          </span>
        </Tooltip>
      </div>
      <div role="gridcell" className={t.cell}>
        {h.standing ? (
          <Badge appearance="tint" color="warning" data-testid="inv-standing">
            Yes
          </Badge>
        ) : (
          <span className={t.muted}>No</span>
        )}
      </div>
    </div>
  );
});
