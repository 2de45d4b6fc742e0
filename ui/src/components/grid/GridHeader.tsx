import { Checkbox, mergeClasses } from "@fluentui/react-components";
import { ArrowSortDown16Regular, ArrowSortUp16Regular } from "@fluentui/react-icons";
import type { MouseEvent } from "react";
import type { GridColumn } from "./GridRow";
import { HEAD_HEIGHT, useGridStyles, type HeadSize } from "./gridStyles";

type Props<T> = {
  columns: readonly GridColumn<T>[];
  head: HeadSize;
  rowClass: string;
  /** The select-all checkbox, when rows can be ticked. */
  all?: { label: string; testId: string; checked: boolean | "mixed"; disabled: boolean; onChange: (on: boolean) => void };
  /** Sortable: each header is a button. */
  sort?: { testIdPrefix: string; direction: (key: string) => "ascending" | "descending" | undefined; toggle: (e: MouseEvent, key: string) => void };
};

/** The sticky header row: select all, then a header per column (a sort button when sortable). */
export function GridHeader<T>({ columns, head, rowClass, all, sort }: Props<T>) {
  const s = useGridStyles();
  const offset = all ? 2 : 1;
  return (
    <div role="rowgroup" className={s.head} style={{ height: `${HEAD_HEIGHT[head]}px` }}>
      <div role="row" aria-rowindex={1} className={rowClass}>
        {all ? (
          <div role="columnheader" aria-colindex={1} className={s.check}>
            <Checkbox aria-label={all.label} data-testid={all.testId} checked={all.checked} disabled={all.disabled} onChange={(_, d) => all.onChange(d.checked === true)} />
          </div>
        ) : null}
        {columns.map((c, i) => {
          const dir = sort?.direction(c.key);
          return (
            <div
              key={c.key}
              role="columnheader"
              aria-colindex={i + offset}
              aria-sort={sort ? (dir ?? "none") : undefined}
              className={sort ? s.headCell : mergeClasses(s.cell, s.headText)}
            >
              {sort ? (
                <button
                  type="button"
                  className={mergeClasses(s.sort, head === "tall" ? s.sortTall : s.sortCompact, c.headerAfter ? s.fit : undefined)}
                  data-testid={`${sort.testIdPrefix}-${c.key}`}
                  onClick={(e) => sort.toggle(e, c.key)}
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
  );
}
