import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { activationProblems, defaultDuration, requirementsOf, trimmed, type ActivationField } from "../../lib/roleValidation";
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
import type { FieldRefs, FormValues, RoleLike } from "./ActivationForm";
import { ROLE_PREFERENCES } from "../../lib/queryKeys";
import { invalidateRoles } from "./queries";

export type ActivationPhase = "form" | "running" | "done";
type Focusable = Exclude<ActivationField, "roles">;
const FIELD_ORDER: Focusable[] = ["duration", "justification", "ticketSystem", "ticketNumber"];

type Options = {
  mode: "activate" | "extend";
  roles: readonly RoleLike[];
  /** Fills the form's first values (activate only). */
  preset?: Preset;
  /** Told the outcomes once they are in (not when a single role was refused: the form stays). */
  onOutcomes?: (outcomes: ActivationOutcome[]) => void;
};

/**
 * An activation (or extension) from the form to the outcomes, shared by My roles' Activate dialog
 * and Add me's guided activation: the values and their problems (shown after a first attempt),
 * the focus on the field to fix, the call, and the `activation-progress` events for the stepper.
 * A refusal goes back to the form with everything still typed.
 */
export function useActivation({ mode, roles, preset, onOutcomes }: Options) {
  const qc = useQueryClient();
  const req = requirementsOf(roles);

  const [values, setValues] = useState<FormValues>(() => ({
    duration: defaultDuration(req.maxMinutes, preset?.durationMinutes),
    justification: preset?.justification ?? "",
    ticketNumber: "",
    ticketSystem: preset?.ticketSystem ?? "",
  }));
  const [attempted, setAttempted] = useState(false);
  const [phase, setPhase] = useState<ActivationPhase>("form");
  const [error, setError] = useState<ApiError | null>(null);
  const [events, setEvents] = useState<Record<string, ActivationProgress[]>>({});
  const [outcomes, setOutcomes] = useState<ActivationOutcome[] | undefined>();
  const refs: FieldRefs = {
    duration: useRef(null),
    justification: useRef(null),
    ticketSystem: useRef(null),
    ticketNumber: useRef(null),
  };
  const live = useRef(true);
  const stepperRef = useRef<HTMLDivElement>(null);

  // Only rows limited to an administrative unit name their scope; Elevate otherwise uses the
  // role's only scope, or the whole directory.
  const unitScopes = roles.flatMap((r) => (r.scopeId && r.scopeId !== "/" ? [[r.roleId, r.scopeId] as const] : []));
  const input = {
    roleIds: roles.map((r) => r.roleId),
    ...(unitScopes.length ? { scopeIds: Object.fromEntries(unitScopes) } : {}),
    durationMinutes: values.duration,
    justification: trimmed(values.justification),
    ticketNumber: trimmed(values.ticketNumber),
    ticketSystem: trimmed(values.ticketSystem),
  };
  const problems = activationProblems(input, req);

  // Progress events for these roles, from before the call starts until the form goes away.
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

  const change = (patch: Partial<FormValues>) => setValues((v) => ({ ...v, ...patch }));

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
      void qc.invalidateQueries({ queryKey: ROLE_PREFERENCES });
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

  return {
    req,
    values,
    change,
    input,
    /** Shown next to their fields, after a first attempt to submit. */
    problems: attempted ? problems : {},
    refs,
    phase,
    error,
    events,
    outcomes,
    stepperRef,
    submit,
  };
}
