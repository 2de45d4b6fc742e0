import {
  Button,
  Field,
  Input,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Save20Regular } from "@fluentui/react-icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { saveRolePreferences, toApiError, type ApiError, type Preset, type RolePreferences } from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { ROLE_PREFERENCES } from "../../lib/queryKeys";

const useStyles = makeStyles({
  surface: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, width: "300px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

/** The presets with `preset` added, replacing one of the same name (names are unique). */
export function withPreset(prefs: RolePreferences, preset: Preset): RolePreferences {
  const key = preset.name.trim().toLowerCase();
  return { ...prefs, presets: [...prefs.presets.filter((p) => p.name.trim().toLowerCase() !== key), preset] };
}

type Props = {
  prefs: RolePreferences | undefined;
  /** What the dialog holds now, without the name. */
  current: () => Omit<Preset, "name">;
  onSaved: (name: string) => void;
};

/** "Save as preset…": asks a name and keeps the dialog's roles, duration, ticket system and justification. */
export function SavePreset({ prefs, current, onSaved }: Props) {
  const s = useStyles();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [touched, setTouched] = useState(false);
  const save = useMutation<RolePreferences, ApiError, Preset>({
    mutationFn: (p) => saveRolePreferences(withPreset(prefs!, p)),
    onSuccess: (next, p) => {
      qc.setQueryData(ROLE_PREFERENCES, next);
      setOpen(false);
      onSaved(p.name);
    },
  });
  const trimmed = name.trim();
  const problem = trimmed === "" ? "Enter a name for the preset." : trimmed.length > 60 ? "Keep the name to 60 characters or fewer." : undefined;
  const replaces = !problem && prefs?.presets.some((p) => p.name.trim().toLowerCase() === trimmed.toLowerCase());

  const submit = () => {
    setTouched(true);
    if (problem || !prefs) return;
    save.mutate({ ...current(), name: trimmed });
  };

  return (
    <Popover
      open={open}
      trapFocus
      onOpenChange={(_, d) => {
        setOpen(d.open);
        if (d.open) {
          setName("");
          setTouched(false);
          save.reset();
        }
      }}
    >
      <PopoverTrigger disableButtonEnhancement>
        <Button appearance="subtle" icon={<Save20Regular />} data-testid="save-preset" disabled={!prefs}>
          Save as preset…
        </Button>
      </PopoverTrigger>
      <PopoverSurface className={s.surface} aria-label="Save as preset">
        <Field
          label="Preset name"
          validationState={touched && problem ? "error" : replaces ? "warning" : "none"}
          validationMessage={touched && problem ? problem : replaces ? "Replaces the preset with this name." : undefined}
          hint="Keeps these roles, the duration, the ticket system and the justification."
        >
          <Input
            data-testid="preset-name"
            value={name}
            placeholder="e.g. Helpdesk shift"
            onChange={(_, d) => setName(d.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                e.stopPropagation();
                submit();
              }
            }}
          />
        </Field>
        {save.error ? <ErrorBar error={toApiError(save.error)} /> : null}
        <div className={s.actions}>
          <Button appearance="primary" data-testid="preset-save" disabled={save.isPending} onClick={submit}>
            Save preset
          </Button>
          {save.isPending ? <Spinner size="tiny" label="Saving…" /> : null}
        </div>
      </PopoverSurface>
    </Popover>
  );
}
