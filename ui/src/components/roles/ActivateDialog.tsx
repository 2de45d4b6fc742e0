import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ActivationOutcome, Preset } from "../../platform";
import { ActivationFormWithErrors, type FormValues, type RoleLike } from "./ActivationForm";
import { ActivationStepper } from "./ActivationStepper";
import { invalidateRoles, useRolePreferences } from "./queries";
import { SavePreset } from "./SavePreset";
import { useActivation } from "./useActivation";

const useStyles = makeStyles({
  surface: { maxWidth: "640px", width: "calc(100vw - 48px)" },
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  running: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  saved: { color: tokens.colorStatusSuccessForeground1, alignSelf: "center" },
});

export type DialogRequest =
  | { mode: "activate"; roles: readonly RoleLike[]; preset?: Preset }
  | { mode: "extend"; roles: readonly [RoleLike] };

/**
 * Activate one or more roles (or extend one): the form built from their policies, then a stepper
 * fed by `activation-progress` until the outcomes are in. A refusal goes back to the form with
 * everything still typed.
 */
export function ActivateDialog({
  request,
  onClose,
  onOutcomes,
}: {
  request: DialogRequest;
  onClose: () => void;
  /** Told the outcomes once they are in (not when a single role was refused: the form stays). */
  onOutcomes?: (outcomes: ActivationOutcome[]) => void;
}) {
  const s = useStyles();
  const qc = useQueryClient();
  const prefsQ = useRolePreferences();
  const { mode, roles } = request;
  const preset = request.mode === "activate" ? request.preset : undefined;
  const a = useActivation({ mode, roles, preset, onOutcomes });
  const { phase, values, input, problems: shown } = a;
  const [savedPreset, setSavedPreset] = useState<string | null>(null);

  const change = (patch: Partial<FormValues>) => {
    a.change(patch);
    setSavedPreset(null);
  };

  const close = () => {
    if (phase === "running") return;
    if (phase === "done") invalidateRoles(qc);
    onClose();
  };

  const verb = mode === "extend" ? "Extend" : "Activate";
  const title = roles.length === 1 ? `${verb} ${roles[0].name}` : `${verb} ${roles.length} roles`;
  return (
    <Dialog
      open
      modalType="modal"
      onOpenChange={(_, d) => {
        // A click beside the dialog never throws away what was typed; Escape and Cancel do.
        if (!d.open && d.type !== "backdropClick") close();
      }}
    >
      <DialogSurface className={s.surface} data-testid="activate-dialog" data-mode={mode} aria-busy={phase === "running"}>
        <form onSubmit={a.submit} noValidate>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={s.content}>
              {phase === "form" ? (
                <ActivationFormWithErrors
                  error={a.error}
                  mode={mode}
                  roles={roles}
                  req={a.req}
                  values={values}
                  onChange={change}
                  problems={shown}
                  prefs={prefsQ.data}
                  refs={a.refs}
                />
              ) : (
                <ActivationStepper ref={a.stepperRef} roles={roles} events={a.events} outcomes={a.outcomes} mode={mode} />
              )}
            </DialogContent>
            <DialogActions fluid={false} position="start">
              {phase === "form" && mode === "activate" ? (
                <SavePreset
                  prefs={prefsQ.data}
                  current={() => ({ roleIds: input.roleIds, durationMinutes: values.duration, ticketSystem: input.ticketSystem, justification: input.justification })}
                  onSaved={setSavedPreset}
                />
              ) : null}
              {savedPreset && phase === "form" ? (
                <Caption1 className={s.saved} data-testid="preset-saved">
                  Saved preset “{savedPreset}”.
                </Caption1>
              ) : null}
            </DialogActions>
            <DialogActions position="end">
              {phase === "form" ? (
                <>
                  <Button appearance="primary" type="submit" data-testid="activate-submit">
                    {verb}
                  </Button>
                  <Button type="button" data-testid="activate-cancel" onClick={close}>
                    Cancel
                  </Button>
                </>
              ) : phase === "running" ? (
                <span className={s.running} data-testid="activate-running">
                  <Spinner size="tiny" aria-hidden />
                  {mode === "extend" ? "Extending…" : "Activating… this can take a minute or two."}
                </span>
              ) : (
                <Button appearance="primary" type="button" data-testid="activate-done" autoFocus onClick={close}>
                  Done
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
