import { makeStyles, tokens } from "@fluentui/react-components";
import { emptyRow, sortButton, sortLabel } from "../gridHeader";

// Fixed heights are what make the window arithmetic exact: no row is ever measured.
export const ROW_HEIGHT = 40;
export const HEAD_HEIGHT = 40;
// Sum of the minimums (plus the row's end padding): fits a 1280-px window beside the navigation.
const COLUMNS = "44px minmax(200px, 2fr) 100px 100px minmax(170px, 1.3fr) 104px minmax(150px, 1fr) 110px";
const MIN_WIDTH = "990px";

/** The Environments grid's look: one CSS grid template shared by the header and every row. */
export const useStyles = makeStyles({
  scroller: {
    position: "relative",
    overflow: "auto",
    height: "100%",
    minHeight: "240px",
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    outlineStyle: "none",
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "1px" },
  },
  inner: { minWidth: MIN_WIDTH },
  head: {
    position: "sticky",
    top: 0,
    zIndex: 1,
    height: `${HEAD_HEIGHT}px`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  row: {
    display: "grid",
    gridTemplateColumns: COLUMNS,
    alignItems: "center",
    height: `${ROW_HEIGHT}px`,
    boxSizing: "border-box",
    paddingInlineEnd: tokens.spacingHorizontalS,
  },
  body: { position: "relative" },
  item: {
    position: "absolute",
    left: 0,
    right: 0,
    cursor: "default",
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    ":hover": { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    ":hover": { backgroundColor: tokens.colorSubtleBackgroundSelected },
  },
  // The keyboard's row, shown only while the grid has focus (aria-activedescendant moves no focus).
  active: { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "-2px" },
  cell: {
    minWidth: 0,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    paddingInline: tokens.spacingHorizontalS,
  },
  check: { display: "flex", justifyContent: "center" },
  name: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  headCell: { paddingInline: tokens.spacingHorizontalXXS, minWidth: 0 },
  sort: sortButton("32px"),
  sortLabel,
  empty: emptyRow,
});
