import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowUndo20Regular, Play20Regular } from "@fluentui/react-icons";
import { useEffect, useState } from "react";
import { localTime } from "../../lib/journal";
import { toApiError } from "../../platform";
import { CopyButton } from "../CopyButton";
import { ErrorBar } from "../ErrorBar";
import { useCleanupRuns } from "./useCleanup";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  row: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    ":last-child": { borderBottom: "none" },
  },
  what: { display: "flex", flexDirection: "column", gap: "2px", flexGrow: 1, minWidth: "280px" },
  when: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2 },
  path: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground3, fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  panel: { marginInline: tokens.spacingHorizontalM },
});

type Props = {
  /** A removal, rollback or resume is under way: no second one. */
  busy: boolean;
  onResume: (runId: string) => void;
  onRollback: (runId: string, count: number) => void;
};

/** The clean-up runs found in the logs: interrupted ones can be finished, finished ones rolled back. */
export function EarlierRuns({ busy, onResume, onRollback }: Props) {
  const s = useStyles();
  const q = useCleanupRuns();
  const runs = q.data ?? [];
  const interrupted = runs.some((r) => !r.finished);
  const [open, setOpen] = useState<string[]>([]);
  // An interrupted run needs a decision: its section opens by itself once.
  useEffect(() => {
    if (interrupted) setOpen(["runs"]);
  }, [interrupted]);

  return (
    <section aria-label="Earlier clean-up runs" data-testid="cleanup-runs">
      <Accordion collapsible openItems={open} onToggle={(_, d) => setOpen(d.openItems.map(String))}>
        <AccordionItem value="runs">
          <AccordionHeader>
            {`Earlier clean-up runs${q.data ? ` (${runs.length})` : ""}`}
            {interrupted ? (
              <Badge appearance="tint" color="warning" style={{ marginInlineStart: tokens.spacingHorizontalS }}>
                Interrupted run
              </Badge>
            ) : null}
          </AccordionHeader>
          <AccordionPanel className={s.panel}>
            {q.isPending ? <Spinner size="tiny" label="Reading the logs…" /> : null}
            {q.isError ? <ErrorBar error={toApiError(q.error)} onRetry={() => void q.refetch()} /> : null}
            {q.data && runs.length === 0 ? <Body1 className={s.muted}>No clean-up has run on this computer yet.</Body1> : null}
            <ul className={s.list}>
              {runs.map((r) => (
                <li key={r.runId} className={s.row} data-testid="cleanup-run" data-run-id={r.runId} data-finished={String(r.finished)}>
                  <span className={s.what}>
                    <span className={s.when}>
                      <Body1>{localTime(r.startedAt)}</Body1>
                      <Badge appearance="tint" color={r.finished ? "subtle" : "warning"}>
                        {r.finished ? "Finished" : "Interrupted"}
                      </Badge>
                    </span>
                    <Caption1 className={s.muted}>
                      {`${r.planned} planned · ${r.removed} removed · ${r.failed} failed${r.unknown ? ` · ${r.unknown} without an answer (checked before acting again)` : ""}${r.restored ? ` · ${r.restored} put back` : ""}${r.startedBy ? ` · by ${r.startedBy}` : ""}`}
                    </Caption1>
                    {r.problem ? (
                      <MessageBar intent="error" layout="multiline" data-testid="cleanup-run-problem">
                        <MessageBarBody>{r.problem}</MessageBarBody>
                      </MessageBar>
                    ) : null}
                    <Caption1 className={s.path}>
                      {r.logsFolder}
                      <CopyButton text={r.logsFolder} what="logs folder path" />
                    </Caption1>
                  </span>
                  {r.problem ? null : !r.finished ? (
                    <Button icon={<Play20Regular />} data-testid="cleanup-resume" disabled={busy} onClick={() => onResume(r.runId)}>
                      Interrupted — Resume
                    </Button>
                  ) : r.rollbackRows.length > 0 ? (
                    <Button icon={<ArrowUndo20Regular />} data-testid="cleanup-run-rollback" disabled={busy} onClick={() => onRollback(r.runId, r.rollbackRows.length)}>
                      Roll back
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </section>
  );
}
