import { Button, DialogActions, DialogContent, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, type ReactNode } from "react";
import type { ActivationOutcome } from "../../platform";
import { ActivationFormWithErrors, type RoleLike } from "../roles/ActivationForm";
import { ActivationStepper } from "../roles/ActivationStepper";
import { useRolePreferences } from "../roles/queries";
import { useActivation } from "../roles/useActivation";

const useStyles = makeStyles({
  // The form holds the dialog body's content and actions without being a grid cell of its own.
  form: { display: "contents" },
  // Taller than the window (several environments, an error), the content scrolls; its parts keep their height.
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, "& > *": { flexShrink: 0 } },
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  heading: { margin: 0 },
  actions: { flexWrap: "wrap", justifyContent: "flex-end" },
  running: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
});

type Props = {
  /** The eligible role the preflight says is missing, with its PIM policy when known. */
  role: RoleLike;
  /** What goes above the form: the preflight and its messages. */
  children: ReactNode;
  /** Told the outcome once it is in; a refusal stays here, on the form, with what was typed. */
  onOutcomes: (outcomes: ActivationOutcome[]) => void;
  /** Told when the activation starts and stops running (the dialog must not close meanwhile). */
  onRunning: (running: boolean) => void;
  /** Cancel or Close: never offered while the activation runs. */
  onCancel: () => void;
};

/**
 * Add me's guided path: below the preflight, My roles' activation form for the one missing role,
 * and ONE button that activates it and adds you. The stepper shows the activation inline; the
 * dialog carries on (check again, add) once the outcome is in.
 */
export function GuidedActivation({ role, children, onOutcomes, onRunning, onCancel }: Props) {
  const s = useStyles();
  const prefsQ = useRolePreferences();
  const roles = [role];
  const a = useActivation({ mode: "activate", roles, onOutcomes });
  const { phase } = a;

  useEffect(() => {
    onRunning(phase === "running");
    return () => onRunning(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase]);

  return (
    <form className={s.form} onSubmit={a.submit} noValidate data-testid="addme-guided">
      <DialogContent className={s.content}>
        {children}
        <section className={s.section} aria-label={`Activate ${role.name}`}>
          <Subtitle2 as="h3" className={s.heading}>Activate {role.name}</Subtitle2>
          {phase === "form" ? (
            <ActivationFormWithErrors
              error={a.error}
              mode="activate"
              roles={roles}
              req={a.req}
              values={a.values}
              onChange={a.change}
              problems={a.problems}
              prefs={prefsQ.data}
              refs={a.refs}
            />
          ) : (
            <ActivationStepper ref={a.stepperRef} roles={roles} events={a.events} outcomes={a.outcomes} mode="activate" />
          )}
        </section>
      </DialogContent>
      {/* Fluid: "Activate Power Platform Administrator and add me" needs the dialog's full width. */}
      <DialogActions fluid className={s.actions}>
        {phase === "form" ? (
          <>
            <Button appearance="primary" type="submit" data-testid="addme-activate-continue">
              Activate {role.name} and add me
            </Button>
            <Button type="button" data-testid="addme-cancel" onClick={onCancel}>
              Cancel
            </Button>
          </>
        ) : phase === "running" ? (
          <span className={s.running} data-testid="addme-activating">
            <Spinner size="tiny" aria-hidden />
            Activating… this can take a minute or two.
          </span>
        ) : (
          <Button type="button" data-testid="addme-cancel" autoFocus onClick={onCancel}>
            Close
          </Button>
        )}
      </DialogActions>
    </form>
  );
}
