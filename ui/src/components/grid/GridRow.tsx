import { Checkbox, mergeClasses } from "@fluentui/react-components";
import { memo, type ReactNode } from "react";
import { ROW_HEIGHT, useGridStyles } from "./gridStyles";

type ClassOf<T> = (item: T, s: ReturnType<typeof useGridStyles>) => string | false | undefined;

/** One column of a VirtualGrid: its header, and each row's cell. */
export type GridColumn<T> = {
  key: string;
  label: string;
  render: (item: T) => ReactNode;
  /** The cell's look besides the common one (it may use the grid's own classes). */
  className?: ClassOf<T>;
  title?: (item: T) => string | undefined;
  testId?: (item: T) => string | undefined;
  /** Shown in the header after the sort button (the PIM legend). */
  headerAfter?: ReactNode;
};

export type RowHandlers = {
  click: (index: number, id: string) => void;
  toggle: (index: number, id: string) => void;
  open: (id: string) => void;
};

type Props<T> = {
  domId: string;
  index: number;
  item: T;
  id: string;
  interactive: boolean;
  selected: boolean;
  active: boolean;
  checkLabel?: (item: T) => string;
  columns: readonly GridColumn<T>[];
  rowClass: string;
  testId: string;
  data: (item: T) => Record<string, string>;
  on: RowHandlers;
};

function Row<T>({ domId, index, item, id, interactive, selected, active, checkLabel, columns, rowClass, testId, data, on }: Props<T>) {
  const s = useGridStyles();
  const cellRole = interactive ? "gridcell" : "cell";
  return (
    <div
      id={interactive ? domId : undefined}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={interactive ? selected : undefined}
      className={mergeClasses(rowClass, s.item, interactive && s.hover, selected && s.selected, active && s.active)}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid={testId}
      {...data(item)}
      onClick={interactive ? () => on.click(index, id) : undefined}
      onDoubleClick={interactive ? () => on.open(id) : undefined}
    >
      {checkLabel ? (
        <div role="gridcell" className={s.check} onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
          <Checkbox
            aria-label={checkLabel(item)}
            checked={selected}
            // One tab stop for the whole grid: Space ticks the keyboard's row instead.
            input={{ tabIndex: -1 }}
            onChange={() => on.toggle(index, id)}
          />
        </div>
      ) : null}
      {columns.map((c) => (
        <div key={c.key} role={cellRole} className={mergeClasses(s.cell, c.className?.(item, s) || undefined)} title={c.title?.(item)} data-testid={c.testId?.(item)}>
          {c.render(item)}
        </div>
      ))}
    </div>
  );
}

/** Memoized: a scroll renders only the rows that come into view. */
export const GridRow = memo(Row) as typeof Row;
