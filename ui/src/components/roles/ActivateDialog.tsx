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
import { useEffect, useRef, useState, type FormEvent } from "react";
import { activationProblems, defaultDuration, requirementsOf, type ActivationField } from "../../lib/roleValidation";
import {
  activateRoles,
  extendRole,
  onActivationProgress,
  toApiError,
  type ActivationOutcome,
  type ActivationProgress,
  type ApiError,
  type Preset,
} from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { ActivationForm, type FieldRefs, type FormValues, type RoleLike } from "./ActivationForm";
import { ActivationStepper } from "./ActivationStepper";
import { invalidateRoles, useRolePreferences } from "./queries";
import { SavePreset } from "./SavePreset";

const useStyles = makeStyles({
  surface: { maxWidth: "640px", width: "calc(100vw - 48px)" },
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  running: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  saved: { color: tokens.colorStatusSuccessForeground1, alignSelf: "center" },
});

export type DialogRequest =
  | { mode: "activate"; roles: readonly RoleLike[]; preset?: Preset }
  | { mode: "extend"; roles: readonly [RoleLike] };

type Phase = "form" | "running" | "done";
const FIELD_ORDER: Exclude<ActivationField, "roles">[] = ["duration", "justification", "ticketSystem", "ticketNumber"];

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
  const req = requirementsOf(roles);

  const [values, setValues] = useState<FormValues>(() => ({
    duration: defaultDuration(req.maxMinutes, preset?.durationMinutes),
    justification: preset?.justification ?? "",
    ticketNumber: "",
    ticketSystem: preset?.ticketSystem ?? "",
  }));
  const [attempted, setAttempted] = useState(false);
  const [phase, setPhase] = useState<Phase>("form");
  const [error, setError] = useState<ApiError | null>(null);
  const [events, setEvents] = useState<Record<string, ActivationProgress[]>>({});
  const [outcomes, setOutcomes] = useState<ActivationOutcome[] | undefined>();
  const [savedPreset, setSavedPreset] = useState<string | null>(null);
  const refs: FieldRefs = {
    duration: useRef(null),
    justification: useRef(null),
    ticketSystem: useRef(null),
    ticketNumber: useRef(null),
  };
  const live = useRef(true);
  const stepperRef = useRef<HTMLDivElement>(null);

  const input = {
    roleIds: roles.map((r) => r.roleId),
    durationMinutes: values.duration,
    justification: values.justification.trim(),
    ticketNumber: values.ticketNumber.trim(),
    ticketSystem: values.ticketSystem.trim(),
  };
  const problems = activationProblems(input, req);
  const shown = attempted ? problems : {};

  // Progress events for these roles, from before the call starts until the dialog closes.
  useEffect(() => {
    live.current = true;
    const ids = new Set(roles.map((r) => r.roleId));
    let off: (() => void) | undefined;
    let gone = false;
    onActivationProgress((p) => {
      if (!gone && ids.has(p.roleId)) setEvents((prev) => ({ ...prev, [p.roleId]: [...(prev[p.roleId] ?? []), p] }));
    })
      .then((u) => (gone ? u() : (off = u)))
      .catch(() => {
        // Without events the stepper still ends right: the outcomes say where each role stands.
      });
    return () => {
      gone = true;
      live.current = false;
      off?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Focus lands on the first empty required field; after a refusal, on the field to fix. Effects
  // run after the commit (the field exists) and after the Dialog's own first-element focus.
  type Focusable = Exclude<ActivationField, "roles">;
  const [focusReq, setFocusReq] = useState<{ field: Focusable; n: number }>(() => ({
    field:
      req.justification && !values.justification.trim()
        ? "justification"
        : req.ticket && !values.ticketNumber.trim()
          ? "ticketNumber"
          : !values.justification.trim()
            ? "justification"
            : "duration",
    n: 0,
  }));
  const focusField = (field: Focusable) => setFocusReq((f) => ({ field, n: f.n + 1 }));
  useEffect(() => {
    refs[focusReq.field].current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusReq]);
  // While running the submit button is gone: keep focus inside the dialog, on the progress.
  useEffect(() => {
    if (phase === "running") stepperRef.current?.focus();
  }, [phase]);

  const change = (patch: Partial<FormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setSavedPreset(null);
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (phase !== "form") return;
    setAttempted(true);
    const firstProblem = FIELD_ORDER.find((f) => problems[f]);
    if (firstProblem || problems.roles) {
      if (firstProblem) focusField(firstProblem);
      return;
    }
    setError(null);
    setEvents({});
    setOutcomes(undefined);
    setPhase("running");
    let result: ActivationOutcome[];
    try {
      result =
        mode === "extend"
          ? [
              await extendRole({
                roleId: input.roleIds[0],
                durationMinutes: input.durationMinutes,
                justification: input.justification,
                ticketNumber: input.ticketNumber,
                ticketSystem: input.ticketSystem,
              }),
            ]
          : await activateRoles(input);
    } catch (err) {
      if (!live.current) return;
      setError(toApiError(err));
      setPhase("form");
      focusField("justification");
      return;
    } finally {
      invalidateRoles(qc);
      void qc.invalidateQueries({ queryKey: ["rolePreferences"] });
    }
    if (!live.current) return;
    const failed = result.find((o) => o.result === "failed");
    if (roles.length === 1 && failed) {
      // One role refused: nothing happened, so back to the form to fix and try again.
      setError(failed.error ?? { code: "internal", message: "The activation failed. Try again." });
      setPhase("form");
      focusField("justification");
      return;
    }
    setOutcomes(result);
    setPhase("done");
    onOutcomes?.(result);
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
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={s.content}>
              {phase === "form" ? (
                <>
                  {error ? (
                    <div data-testid="activate-error">
                      <ErrorBar error={error} />
                    </div>
                  ) : null}
                  {shown.roles ? <ErrorBar error={{ code: "invalidInput", message: shown.roles }} /> : null}
                  <ActivationForm mode={mode} roles={roles} req={req} values={values} onChange={change} problems={shown} prefs={prefsQ.data} refs={refs} />
                </>
              ) : (
                <ActivationStepper ref={stepperRef} roles={roles} events={events} outcomes={outcomes} mode={mode} />
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
                  <Spinner size="tiny" />
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
