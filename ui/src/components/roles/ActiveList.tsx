import {
  Badge,
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Tooltip,
  mergeClasses,
} from "@fluentui/react-components";
import { Dismiss20Regular } from "@fluentui/react-icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { hhmm, membership } from "../../lib/roles";
import { deactivateRole, toApiError, type ActiveRole, type ApiError } from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { Countdown } from "./Countdown";
import { invalidateRoles } from "./queries";
import { useListStyles } from "./styles";

type Props = {
  roles: readonly ActiveRole[];
  onExtend: (role: ActiveRole) => void;
  /**
   * PIM's clock minus this computer's, in ms (from My roles' `fetchedAt`): the 5-minute minimum is
   * PIM's, so "now" for it is PIM's now.
   */
  clockOffset?: number;
};

/** The Active tab: what the user holds now, how long for, and Deactivate / Extend. */
export function ActiveList({ roles, onExtend, clockOffset = 0 }: Props) {
  const s = useListStyles();
  const qc = useQueryClient();
  const [tooEarly, setTooEarly] = useState<{ roleId: string; from: string } | null>(null);
  const [confirm, setConfirm] = useState<ActiveRole | null>(null);

  const deactivate = useMutation<void, ApiError, ActiveRole>({
    mutationFn: (r) => deactivateRole(r.roleId),
    onSuccess: () => setConfirm(null),
    onSettled: () => invalidateRoles(qc),
  });

  const askDeactivate = (r: ActiveRole) => {
    deactivate.reset();
    // PIM refuses a deactivation in the first 5 minutes: say so instead of asking it.
    const from = r.deactivateFrom ? new Date(r.deactivateFrom).getTime() : Number.NaN;
    if (from > Date.now() + clockOffset) {
      // Said in this computer's time.
      setTooEarly({ roleId: r.roleId, from: new Date(from - clockOffset).toISOString() });
      return;
    }
    setTooEarly(null);
    setConfirm(r);
  };

  if (roles.length === 0) {
    return (
      <div className={mergeClasses(s.box, s.empty)} data-testid="active-empty">
        <Body1>No role is active right now.</Body1>
        <Caption1>Activate one on the Eligible tab; it shows here until it ends.</Caption1>
      </div>
    );
  }

  return (
    <div className={s.box}>
      <ul className={s.list} aria-label="Active roles">
        {roles.map((r) => {
          const activated = r.assignmentType === "activated";
          return (
            <li key={`${r.roleId}:${r.assignmentType}`} className={mergeClasses(s.row, s.rowNoCheck)} data-testid="active-role" data-role-id={r.roleId}>
              <div className={s.main}>
                <Body1 className={s.name}>{r.name}</Body1>
                <div className={s.badges}>
                  <Badge appearance="tint" color={activated ? "brand" : "informative"}>
                    {activated ? "Activated" : "Assigned"}
                  </Badge>
                  {r.inToken ? null : (
                    <Tooltip
                      content="Services that read your sign-in (such as Power Platform) don't see this role yet. Elevate refreshes your sign-in; if it stays, sign out and in again."
                      relationship="description"
                    >
                      <Badge appearance="tint" color="warning" data-testid="not-in-token">
                        Not yet in your sign-in
                      </Badge>
                    </Tooltip>
                  )}
                </div>
              </div>
              <div className={s.facts}>
                <Caption1>Scope: {r.scope}</Caption1>
                <Caption1 data-testid="membership">{membership(r)}</Caption1>
                {r.end ? <Countdown end={r.end} /> : <Caption1 data-testid="permanent">Permanent</Caption1>}
              </div>
              <div className={s.actions}>
                {activated ? (
                  <>
                    <Button data-testid="extend-button" onClick={() => onExtend(r)}>
                      Extend
                    </Button>
                    <Button data-testid="deactivate-button" onClick={() => askDeactivate(r)}>
                      Deactivate
                    </Button>
                  </>
                ) : null}
              </div>
              {tooEarly?.roleId === r.roleId ? (
                <MessageBar intent="info" className={s.wide} data-testid="deactivate-too-early">
                  <MessageBarBody>
                    PIM keeps a role active for at least 5 minutes. You can deactivate it at {hhmm(tooEarly.from)}.
                  </MessageBarBody>
                  <MessageBarActions
                    containerAction={
                      <Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={() => setTooEarly(null)} />
                    }
                  />
                </MessageBar>
              ) : null}
            </li>
          );
        })}
      </ul>
      <Dialog
        open={confirm !== null}
        onOpenChange={(_, d) => {
          if (!d.open && !deactivate.isPending) setConfirm(null);
        }}
      >
        <DialogSurface data-testid="deactivate-confirm">
          <DialogBody>
            <DialogTitle>Deactivate {confirm?.name}?</DialogTitle>
            <DialogContent>
              You lose the role's rights now, in every Microsoft 365 service and Power Platform environment. To use them
              again, activate the role again.
              {deactivate.error ? <ErrorBar error={toApiError(deactivate.error)} /> : null}
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                data-testid="deactivate-confirm-button"
                disabled={deactivate.isPending}
                icon={deactivate.isPending ? <Spinner size="tiny" aria-hidden /> : undefined}
                onClick={() => confirm && deactivate.mutate(confirm)}
              >
                Deactivate
              </Button>
              <Button disabled={deactivate.isPending} onClick={() => setConfirm(null)}>
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
