import {
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Select,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { RefObject } from "react";
import { requirementLines } from "../../lib/roles";
import {
  MAX_JUSTIFICATION,
  charCount,
  durationLabel,
  durationOptions,
  type ActivationField,
  type ActivationProblems,
  type Requirements,
} from "../../lib/roleValidation";
import type { ApiError, EligibleRole, RolePreferences } from "../../platform";
import { ErrorBar } from "../ErrorBar";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  roles: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  requirements: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
  ticket: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1.4fr)", gap: tokens.spacingHorizontalM },
  recent: { display: "flex", flexWrap: "wrap", alignItems: "baseline", columnGap: tokens.spacingHorizontalS, rowGap: "2px" },
  recentLabel: { color: tokens.colorNeutralForeground3 },
  recentItem: { maxWidth: "260px", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", fontSize: tokens.fontSizeBase200 },
  countOver: { color: tokens.colorStatusDangerForeground1 },
});

export type FormValues = { duration: number; justification: string; ticketNumber: string; ticketSystem: string };
export type FieldRefs = Record<Exclude<ActivationField, "roles">, RefObject<HTMLElement | null>>;
/** `scopeId` when the role comes from an Eligible row: it is activated at that row's scope. */
export type RoleLike = Pick<EligibleRole, "roleId" | "name" | "policy"> & Partial<Pick<EligibleRole, "scopeId">>;

type Props = {
  mode: "activate" | "extend";
  roles: readonly RoleLike[];
  req: Requirements;
  values: FormValues;
  onChange: (patch: Partial<FormValues>) => void;
  /** Shown next to their fields (after a first attempt to submit). */
  problems: ActivationProblems;
  prefs?: RolePreferences;
  refs: FieldRefs;
};

/** The Activate (or Extend) dialog's fields, built from the roles' policies. */
export function ActivationForm({ mode, roles, req, values, onChange, problems, prefs, refs }: Props) {
  const s = useStyles();
  const options = durationOptions(req.maxMinutes);
  const count = charCount(values.justification.trim());
  const lines = requirementLines(roles, mode);
  return (
    <div className={s.form}>
      {roles.length > 1 ? (
        <ul className={s.roles} aria-label="Roles to activate" data-testid="activate-roles">
          {roles.map((r) => (
            <li key={r.roleId}>{r.name}</li>
          ))}
        </ul>
      ) : null}
      <MessageBar intent="info" layout="multiline" data-testid="activate-requirements">
        <MessageBarBody>
          {lines.length === 1 ? (
            lines[0]
          ) : (
            <ul className={s.requirements}>
              {lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </MessageBarBody>
      </MessageBar>
      <Field
        label={mode === "extend" ? "Extend by" : "Duration"}
        hint={`Up to ${durationLabel(req.maxMinutes)}${roles.length > 1 ? " (the shortest any of these roles allows)" : ""}.`}
        validationState={problems.duration ? "error" : "none"}
        validationMessage={problems.duration}
      >
        <Select
          data-testid="activate-duration"
          ref={refs.duration as RefObject<HTMLSelectElement>}
          value={String(values.duration)}
          onChange={(_, d) => onChange({ duration: Number(d.value) })}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Justification"
        required={req.justification}
        validationState={problems.justification ? "error" : "none"}
        validationMessage={problems.justification}
        hint={
          <span className={s.recent}>
            <span className={count > MAX_JUSTIFICATION ? s.countOver : undefined} data-testid="activate-justification-count">
              {count} / {MAX_JUSTIFICATION}
            </span>
            <Recent what="justification" items={prefs?.recentJustifications} onPick={(v) => onChange({ justification: v })} />
          </span>
        }
      >
        <Textarea
          data-testid="activate-justification"
          ref={refs.justification as RefObject<HTMLTextAreaElement>}
          resize="vertical"
          rows={3}
          placeholder="What will you do? e.g. Reset password, MFA reset, login error investigation"
          value={values.justification}
          onChange={(_, d) => onChange({ justification: d.value })}
        />
      </Field>
      <div className={s.ticket}>
        <Field
          label="Ticket system"
          validationState={problems.ticketSystem ? "error" : "none"}
          validationMessage={problems.ticketSystem}
          hint={<Recent what="ticket system" items={prefs?.recentTicketSystems} onPick={(v) => onChange({ ticketSystem: v })} />}
        >
          <Input
            data-testid="activate-ticket-system"
            ref={refs.ticketSystem as RefObject<HTMLInputElement>}
            placeholder="e.g. ServiceNow"
            autoComplete="off"
            value={values.ticketSystem}
            onChange={(_, d) => onChange({ ticketSystem: d.value })}
          />
        </Field>
        <Field
          label="Ticket number"
          required={req.ticket}
          validationState={problems.ticketNumber ? "error" : "none"}
          validationMessage={problems.ticketNumber}
          hint={<Recent what="ticket" items={prefs?.recentTickets} onPick={(v) => onChange({ ticketNumber: v })} />}
        >
          <Input
            data-testid="activate-ticket-number"
            ref={refs.ticketNumber as RefObject<HTMLInputElement>}
            placeholder="e.g. INC0012345"
            autoComplete="off"
            spellCheck={false}
            value={values.ticketNumber}
            onChange={(_, d) => onChange({ ticketNumber: d.value })}
          />
        </Field>
      </div>
    </div>
  );
}

/** The form with, above it, why the last attempt was refused: by PIM (`error`), or before sending (the roles). */
export function ActivationFormWithErrors({ error, ...props }: Props & { error: ApiError | null }) {
  return (
    <>
      {error ? (
        <div data-testid="activate-error">
          <ErrorBar error={error} />
        </div>
      ) : null}
      {props.problems.roles ? <ErrorBar error={{ code: "invalidInput", message: props.problems.roles }} /> : null}
      <ActivationForm {...props} />
    </>
  );
}

/** "Recent: a · b · c": what was typed before, one click to use it again. */
function Recent({ what, items, onPick }: { what: string; items?: readonly string[]; onPick: (v: string) => void }) {
  const s = useStyles();
  const shown = (items ?? []).filter((v) => v.trim() !== "").slice(0, 3);
  if (shown.length === 0) return null;
  const testId = `recent-${what.replace(/\s+/g, "-")}`;
  return (
    <span className={s.recent}>
      <Caption1 className={s.recentLabel}>Recent:</Caption1>
      {shown.map((v) => (
        <Link key={v} as="button" type="button" className={s.recentItem} title={v} aria-label={`Use recent ${what}: ${v}`} data-testid={testId} onClick={() => onPick(v)}>
          {v}
        </Link>
      ))}
    </span>
  );
}
