import { tokens, type GriffelStyle } from "@fluentui/react-components";

// The sortable column headers and the empty-state row shared by the hand-rolled grids
// (Environments, System Administrators).

/** A column header that is a button: click to sort. */
export const sortButton = (height: string): GriffelStyle => ({
  display: "flex",
  alignItems: "center",
  gap: tokens.spacingHorizontalXS,
  width: "100%",
  minWidth: 0,
  height,
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
});

export const sortLabel: GriffelStyle = { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" };

/** Stays in view when the grid scrolls sideways. */
export const emptyRow: GriffelStyle = {
  position: "sticky",
  left: 0,
  padding: tokens.spacingVerticalXXL,
  textAlign: "center",
  color: tokens.colorNeutralForeground2,
};
