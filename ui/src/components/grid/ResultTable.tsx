import { Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

// The short result tables under a step (a dry run's rows, a removal's outcomes, the rows of a
// users file that were not used): Fluent's small table, all rows in the DOM (a few hundred at
// the most), in a box that scrolls under a sticky header.
const useStyles = makeStyles({
  // The card a step's results sit in (dry run, removal).
  panel: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  box: { maxHeight: "300px", overflowY: "auto", border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`, borderRadius: tokens.borderRadiusMedium },
  fixed: { tableLayout: "fixed", minWidth: "720px" },
  sticky: { position: "sticky", top: 0, zIndex: 1, backgroundColor: tokens.colorNeutralBackground1 },
  wrap: { overflowWrap: "anywhere" },
  more: { color: tokens.colorNeutralForeground2 },
});

export const useResultStyles = useStyles;

export type ResultColumn<T> = {
  label: string;
  /** A share of a fixed-layout table ("28%"), or a width. */
  width?: string;
  /** The cell's look. */
  className?: string;
  /** Long words wrap anywhere (default: yes). */
  wrap?: boolean;
  cell: (row: T) => ReactNode;
};

type Props<T> = {
  label: string;
  columns: readonly ResultColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The row's test id and data attributes. */
  rowProps: (row: T) => Record<string, string | number | undefined>;
  /** Rows shown at the most; a line says how many more there are and where. */
  max?: number;
  more?: (hidden: number) => string;
  /** A bordered box of its own that scrolls (default), or the container's (an accordion panel). */
  boxed?: boolean;
  /** Fixed columns across at least 720px (the wide tables). */
  fixed?: boolean;
};

export function ResultTable<T>({ label, columns, rows, rowKey, rowProps, max = Infinity, more, boxed = true, fixed = true }: Props<T>) {
  const s = useStyles();
  const shown = rows.length > max ? rows.slice(0, max) : rows;
  return (
    <div className={boxed ? s.box : undefined}>
      <Table size="small" className={fixed ? s.fixed : undefined} aria-label={label}>
        <TableHeader className={boxed ? s.sticky : undefined}>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c.label} style={c.width ? { width: c.width } : undefined}>
                {c.label}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {shown.map((r) => (
            <TableRow key={rowKey(r)} {...rowProps(r)}>
              {columns.map((c) => (
                <TableCell key={c.label} className={mergeClasses(c.wrap !== false && s.wrap, c.className)}>
                  {c.cell(r)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {more && rows.length > shown.length ? <Caption1 className={s.more}>{more(rows.length - shown.length)}</Caption1> : null}
    </div>
  );
}
