// The two confirmations of the clean-up: removing (names the count and the environments, and the
// last-admin and own-assignment cases) and rolling back (lists every row it will act on). Escape
// or Cancel closes either.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { n, removeQuestion } from "../../lib/inventory";
import type { CleanupPlan, RunRow } from "../../platform";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  // "Remove 120 assignments" on one line: the count is what is being confirmed.
  nowrap: { whiteSpace: "nowrap", flexShrink: 0 },
  rows: { maxHeight: "240px", overflowY: "auto", margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

export function RemoveDialog({ plan, onConfirm, onClose }: { plan: CleanupPlan; onConfirm: () => void; onClose: () => void }) {
  const s = useStyles();
  const last = plan.removals.filter((r) => r.lastAdmin);
  const lastEnvs = new Set(last.map((r) => r.environmentId)).size;
  const yours = plan.removals.filter((r) => r.isYou).length;
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="cleanup-confirm-dialog">
        <DialogBody>
          <DialogTitle>Remove System Administrator assignments</DialogTitle>
          <DialogContent className={s.content}>
            <Text data-testid="cleanup-confirm-text">{removeQuestion(plan)} The plan is saved (sealed) first, so the run can be rolled back.</Text>
            {last.length ? (
              <MessageBar intent="warning" layout="multiline" data-testid="cleanup-confirm-last-admin">
                <MessageBarBody>
                  {`${n(lastEnvs, "environment")} will have no enabled person left as System Administrator (${n(last.length, "removal")} marked "last System Administrator"). Only Global, Power Platform and Dynamics 365 Administrators can get in there afterwards, with Add me.`}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {yours ? (
              <MessageBar intent="warning" layout="multiline" data-testid="cleanup-confirm-self">
                <MessageBarBody>{`${n(yours, "of them is", "of them are")} your own: you lose System Administrator there.`}</MessageBarBody>
              </MessageBar>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button data-testid="cleanup-confirm-cancel" onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" className={s.nowrap} data-testid="cleanup-confirm" onClick={onConfirm}>
              {`Remove ${n(plan.removals.length, "assignment")}`}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** `rows`: what the rollback will act on (null while the run's files are read). */
export function RollbackDialog({ rows, onConfirm, onClose }: { rows: readonly RunRow[] | null; onConfirm: () => void; onClose: () => void }) {
  const s = useStyles();
  const unknown = rows?.filter((r) => r.result === "unknown").length ?? 0;
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="cleanup-rollback-confirm">
        <DialogBody>
          <DialogTitle>Roll back the clean-up</DialogTitle>
          <DialogContent className={s.content}>
            {rows === null ? (
              <Spinner size="tiny" label="Reading the run…" />
            ) : (
              <>
                <Text>
                  {`Put back ${n(rows.length, "System Administrator assignment")}? Elevate adds each to the same business unit's role, as the run's sealed records list them:`}
                </Text>
                <ul className={s.rows} data-testid="cleanup-rollback-rows">
                  {rows.map((r) => (
                    <li key={`${r.removal.environmentId}|${r.removal.systemUserId}|${r.removal.roleId}`} data-result={r.result}>
                      {`${r.removal.fullName} (${r.removal.upn}) in ${r.removal.environmentName}${r.result === "unknown" ? " — no answer when removed" : ""}`}
                    </li>
                  ))}
                </ul>
                {unknown ? (
                  <MessageBar intent="info" layout="multiline">
                    <MessageBarBody>{`${n(unknown, "removal")} got no answer. Elevate checks ${unknown === 1 ? "it" : "each"} first and puts back only an assignment that is gone.`}</MessageBarBody>
                  </MessageBar>
                ) : null}
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button data-testid="cleanup-rollback-cancel" onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" data-testid="cleanup-rollback-go" disabled={!rows?.length} onClick={onConfirm}>
              Roll back
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
