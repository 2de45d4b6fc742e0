import { makeStyles, tokens } from "@fluentui/react-components";
import { emptyRow, sortButton, sortLabel } from "../gridHeader";

// Fixed heights make the window arithmetic exact: no row is ever measured.
export const ROW_HEIGHT = 40;
export const HEAD_HEIGHT = 36;

/**
 * The look shared by the page's scrolling tables (environments, holders): a bordered box that
 * scrolls, a sticky header, absolutely placed rows of one CSS grid template (set per table).
 */
export const useTableStyles = makeStyles({
  scroller: {
    position: "relative",
    overflow: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    outlineStyle: "none",
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "1px" },
  },
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
    alignItems: "center",
    height: "100%",
    boxSizing: "border-box",
    paddingInlineEnd: tokens.spacingHorizontalS,
  },
  body: { position: "relative" },
  item: {
    position: "absolute",
    left: 0,
    right: 0,
    height: `${ROW_HEIGHT}px`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  hover: { cursor: "default", ":hover": { backgroundColor: tokens.colorSubtleBackgroundHover } },
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
  flexCell: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  headText: { fontWeight: tokens.fontWeightSemibold },
  check: { display: "flex", justifyContent: "center" },
  strong: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  sort: sortButton("30px"),
  sortLabel,
  empty: emptyRow,
});
