import { makeStyles, tokens } from "@fluentui/react-components";

// The one look of the app's virtualized grids (Environments, System Administrators, the scan
// list): a bordered box that scrolls, a sticky header, absolutely placed rows of one CSS grid
// template (set per grid). Fixed heights make the window arithmetic exact: no row is measured.
export const ROW_HEIGHT = 40;
export const HEAD_HEIGHT = { tall: 40, compact: 36 } as const;
export type HeadSize = keyof typeof HEAD_HEIGHT;

export const useGridStyles = makeStyles({
  scroller: {
    position: "relative",
    overflow: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    outlineStyle: "none",
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "1px" },
  },
  // A grid that takes the height its page gives it (Environments).
  fill: { height: "100%", minHeight: "240px" },
  head: {
    position: "sticky",
    top: 0,
    zIndex: 1,
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
  // A flex cell's text, which ellipsizes beside its badge.
  text: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis" },
  badge: { flexShrink: 0 },
  check: { display: "flex", justifyContent: "center" },
  strong: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  failed: { color: tokens.colorStatusDangerForeground1 },
  headCell: { display: "flex", alignItems: "center", minWidth: 0, paddingInline: tokens.spacingHorizontalXXS },
  headText: { fontWeight: tokens.fontWeightSemibold },
  // A column header that is a button: click to sort.
  sort: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalXS,
    width: "100%",
    minWidth: 0,
    paddingInline: tokens.spacingHorizontalS,
    border: "none",
    borderRadius: tokens.borderRadiusMedium,
    background: "none",
    color: tokens.colorNeutralForeground1,
    font: "inherit",
    fontWeight: tokens.fontWeightSemibold,
    textAlign: "start",
    cursor: "pointer",
    ":hover": { backgroundColor: tokens.colorSubtleBackgroundHover },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  // Two header sizes: the page's main grid (Environments) and the section grids.
  sortTall: { height: "32px" },
  sortCompact: { height: "30px" },
  // A sort button that leaves room for something after its word (the PIM legend).
  fit: { width: "auto", flexShrink: 1 },
  sortLabel: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  // Stays in view when the grid scrolls sideways.
  empty: {
    position: "sticky",
    left: 0,
    padding: tokens.spacingVerticalXXL,
    textAlign: "center",
    color: tokens.colorNeutralForeground2,
  },
});
