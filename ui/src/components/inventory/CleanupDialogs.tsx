// The two confirmations of the clean-up: removing (names the count and the environments, and the
// last-admin and own-assignment cases) and rolling back. Escape or Cancel closes either.
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
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { n, removeQuestion } from "../../lib/inventory";
import type { CleanupPlan } from "../../platform";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  // "Remove 120 assignments" on one line: the count is what is being confirmed.
  nowrap: { whiteSpace: "nowrap", flexShrink: 0 },
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
            <Text data-testid="cleanup-confirm-text">{removeQuestion(plan)} A rollback file is written first.</Text>
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

export function RollbackDialog({ count, onConfirm, onClose }: { count: number; onConfirm: () => void; onClose: () => void }) {
  const s = useStyles();
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface data-testid="cleanup-rollback-confirm">
        <DialogBody>
          <DialogTitle>Roll back the clean-up</DialogTitle>
          <DialogContent className={s.content}>
            <Text>
              {`Put back ${n(count, "System Administrator assignment")} this run removed? Elevate reads them from the run's rollback file and adds each to the same business unit's role.`}
            </Text>
          </DialogContent>
          <DialogActions>
            <Button data-testid="cleanup-rollback-cancel" onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" data-testid="cleanup-rollback-go" onClick={onConfirm}>
              Roll back
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
