import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Body1,
  Button,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { DocumentBulletList20Regular, Dismiss16Regular } from "@fluentui/react-icons";
import { n } from "../../lib/inventory";
import type { UsersFile } from "../../platform";
import { ResultTable } from "../grid/ResultTable";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  line: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  icon: { color: tokens.colorNeutralForeground2, flexShrink: 0 },
  summary: { flexGrow: 1, overflowWrap: "anywhere" },
  panel: { marginInline: 0, maxHeight: "220px", overflowY: "auto" },
  text: { fontFamily: tokens.fontFamilyMonospace },
});

/** "7 users from standing-admins.csv", and the rows that could not be used, with why. */
export function UsersFileView({ file, onClear }: { file: UsersFile; onClear: () => void }) {
  const s = useStyles();
  const name = file.fileName ?? "the users file";
  return (
    <div className={s.root} data-testid="inv-users-file">
      <div className={s.line}>
        <DocumentBulletList20Regular className={s.icon} aria-hidden />
        <Body1 className={s.summary} data-testid="inv-import-summary">
          {n(file.upns.length, "user")} from {name}
          {file.problems.length ? ` · ${n(file.problems.length, "row")} not used` : ""}
        </Body1>
        <Button size="small" appearance="subtle" icon={<Dismiss16Regular />} data-testid="inv-import-clear" onClick={onClear}>
          Remove file
        </Button>
      </div>
      {file.problems.length ? (
        // Open from the start: a row that was not used is a user that will not be cleaned up.
        <Accordion collapsible defaultOpenItems={["problems"]}>
          <AccordionItem value="problems">
            <AccordionHeader size="small">Rows not used ({file.problems.length})</AccordionHeader>
            <AccordionPanel className={s.panel}>
              <ResultTable
                label="Rows of the users file that were not used"
                columns={[
                  { label: "Line", width: "64px", wrap: false, cell: (p) => p.line },
                  { label: "Text", className: s.text, cell: (p) => p.text || "(empty)" },
                  { label: "Problem", wrap: false, cell: (p) => p.problem },
                ]}
                rows={file.problems}
                rowKey={(p) => `${p.line}:${p.text}`}
                rowProps={(p) => ({ "data-testid": "inv-import-problem", "data-line": p.line })}
                boxed={false}
                fixed={false}
              />
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      ) : null}
    </div>
  );
}
