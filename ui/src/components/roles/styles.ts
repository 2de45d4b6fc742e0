import { makeStyles, tokens } from "@fluentui/react-components";

/** The look shared by the Eligible and Active lists. */
export const useListStyles = makeStyles({
  box: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  list: { listStyleType: "none", margin: 0, padding: 0 },
  row: {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr) minmax(160px, 240px) auto",
    alignItems: "start",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    ":last-child": { borderBottom: "none" },
    "@media (max-width: 760px)": { gridTemplateColumns: "auto minmax(0, 1fr) auto" },
  },
  rowNoCheck: {
    gridTemplateColumns: "minmax(0, 1fr) minmax(180px, 260px) 240px",
    "@media (max-width: 760px)": { gridTemplateColumns: "minmax(0, 1fr) auto" },
  },
  main: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold },
  description: { color: tokens.colorNeutralForeground2 },
  facts: { display: "flex", flexDirection: "column", gap: "2px", color: tokens.colorNeutralForeground2, minWidth: 0 },
  badges: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
  hint: {
    display: "flex",
    alignItems: "flex-start",
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorStatusWarningForeground2,
  },
  hintIcon: { flexShrink: 0, marginTop: "2px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", justifyContent: "flex-end", flexWrap: "wrap" },
  check: { marginTop: `calc(-1 * ${tokens.spacingVerticalXS})` },
  bar: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap", marginBottom: tokens.spacingVerticalM },
  empty: {
    padding: tokens.spacingVerticalXXL,
    textAlign: "center",
    color: tokens.colorNeutralForeground2,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  wide: { gridColumn: "1 / -1" },
});
