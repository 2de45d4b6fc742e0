import {
  Button,
  Caption1,
  Combobox,
  Dropdown,
  Option,
  ProgressBar,
  Radio,
  RadioGroup,
  Tag,
  TagGroup,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Dismiss20Regular, Play20Regular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import { geoName } from "../../lib/environments";
import type { Environment, InventoryScope, InventoryScopeKind } from "../../platform";
import { useResultStyles } from "../grid/ResultTable";
import type { RunState } from "./useInventoryRun";

const useStyles = makeStyles({
  line: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  spacer: { flexGrow: 1 },
  radios: { marginInlineStart: `calc(-1 * ${tokens.spacingHorizontalS})` },
  picker: { minWidth: "260px" },
  // Fluent's listbox grows with its options; 50 names would cover the window.
  listbox: { maxHeight: "320px" },
  tags: { flexWrap: "wrap", rowGap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground2 },
  progress: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
});

/** The scope as chosen: kept when switching between kinds, so nothing typed is lost. */
export type ScopeChoice = { kind: InventoryScopeKind; geo: string; ids: string[] };
export const DEFAULT_SCOPE: ScopeChoice = { kind: "all", geo: "", ids: [] };

export function toScope(c: ScopeChoice): InventoryScope {
  return { kind: c.kind, geo: c.kind === "geo" ? c.geo : "", environmentIds: c.kind === "environments" ? c.ids : [] };
}

// Enough to find one by typing; the rest are a keystroke away.
const MAX_OPTIONS = 50;
const TAGS_SHOWN = 8;

type Props = {
  value: ScopeChoice;
  onChange: (next: ScopeChoice) => void;
  /** The Environments list (geos and names); undefined while loading or when it failed. */
  environments: readonly Environment[] | undefined;
  run: RunState;
  onRun: () => void;
  onCancel: () => void;
};

/** Scope, Run inventory and, while it runs, the progress and Cancel. */
export function ScopeBar({ value, onChange, environments, run, onRun, onCancel }: Props) {
  const s = useStyles();
  const r = useResultStyles();
  const [query, setQuery] = useState("");
  const set = (patch: Partial<ScopeChoice>) => onChange({ ...value, ...patch });

  const geos = useMemo(() => {
    const count = new Map<string, number>();
    for (const e of environments ?? []) count.set(e.geo, (count.get(e.geo) ?? 0) + 1);
    return [...count].map(([geo, c]) => ({ geo, label: `${geoName(geo)} (${c})` })).sort((a, b) => a.label.localeCompare(b.label));
  }, [environments]);
  const byId = useMemo(() => new Map((environments ?? []).map((e) => [e.id, e])), [environments]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = environments ?? [];
    return (q ? list.filter((e) => e.displayName.toLowerCase().includes(q)) : list).slice(0, MAX_OPTIONS);
  }, [environments, query]);

  const ready = value.kind === "all" || (value.kind === "geo" ? value.geo !== "" : value.ids.length > 0);
  const geoLabel = geos.find((g) => g.geo === value.geo)?.label ?? "";
  const nameOf = (id: string) => byId.get(id)?.displayName ?? id;

  return (
    <section className={r.panel} aria-label="Scope">
      <div className={s.line}>
        <RadioGroup
          layout="horizontal"
          aria-label="Which environments"
          className={s.radios}
          value={value.kind}
          disabled={run.running}
          data-testid="inv-scope"
          onChange={(_, d) => set({ kind: d.value as InventoryScopeKind })}
        >
          <Radio value="all" label="All environments" data-testid="inv-scope-all" />
          <Radio value="geo" label="One geo" data-testid="inv-scope-geo" />
          <Radio value="environments" label="Selected environments" data-testid="inv-scope-environments" />
        </RadioGroup>
        <span className={s.spacer} />
        {/* Keyed apart: one button morphing into the other fades through colours no text is
            readable on (a primary blue under the default button's text). */}
        {run.running ? (
          <Button key="cancel" icon={<Dismiss20Regular />} data-testid="inv-cancel" disabled={run.cancelling} onClick={onCancel}>
            {run.cancelling ? "Cancelling…" : "Cancel"}
          </Button>
        ) : (
          <Button key="run" appearance="primary" icon={<Play20Regular />} data-testid="inv-run" disabled={!ready} onClick={onRun}>
            Run inventory
          </Button>
        )}
      </div>

      {value.kind === "geo" ? (
        <div className={s.line}>
          <Dropdown
            aria-label="Geo"
            placeholder={environments ? "Choose a geo" : "Loading geos…"}
            className={s.picker}
            data-testid="inv-geo"
            disabled={run.running || !environments}
            value={geoLabel}
            selectedOptions={value.geo ? [value.geo] : []}
            listbox={{ className: s.listbox }}
            onOptionSelect={(_, d) => set({ geo: d.optionValue ?? "" })}
          >
            {geos.map((g) => (
              <Option key={g.geo} value={g.geo}>
                {g.label}
              </Option>
            ))}
          </Dropdown>
        </div>
      ) : null}

      {value.kind === "environments" ? (
        <div className={s.line}>
          <Combobox
            multiselect
            freeform
            aria-label="Environments to read"
            placeholder={environments ? "Type to find environments" : "Loading environments…"}
            className={s.picker}
            data-testid="inv-environments"
            disabled={run.running || !environments}
            value={query}
            selectedOptions={value.ids}
            positioning="below-start"
            listbox={{ className: s.listbox }}
            onChange={(e) => setQuery(e.target.value)}
            onOptionSelect={(_, d) => {
              set({ ids: d.selectedOptions });
              setQuery("");
            }}
          >
            {matches.map((e) => (
              <Option key={e.id} value={e.id} text={e.displayName}>
                {e.displayName}
              </Option>
            ))}
            {matches.length === 0 ? <Option disabled value="" text="">No environment has that name</Option> : null}
          </Combobox>
          {value.ids.length > 0 ? (
            <TagGroup
              aria-label="Chosen environments"
              className={s.tags}
              data-testid="inv-env-tags"
              onDismiss={(_, d) => set({ ids: value.ids.filter((id) => id !== d.value) })}
            >
              {value.ids.slice(0, TAGS_SHOWN).map((id) => (
                <Tag key={id} value={id} size="small" dismissible={!run.running} dismissIcon={{ "aria-label": `Remove ${nameOf(id)}` }}>
                  {nameOf(id)}
                </Tag>
              ))}
            </TagGroup>
          ) : null}
          {value.ids.length > TAGS_SHOWN ? <Caption1 className={s.muted}>and {value.ids.length - TAGS_SHOWN} more</Caption1> : null}
        </div>
      ) : null}

      {run.running ? (
        <div className={s.progress}>
          <ProgressBar
            data-testid="inv-progress"
            thickness="large"
            value={run.total ? run.done / run.total : undefined}
            aria-label="Reading System Administrators"
          />
          <Caption1 className={s.muted} data-testid="inv-progress-text" aria-live="polite">
            {run.cancelling
              ? "Cancelling…"
              : run.total
                ? `${run.done} of ${run.total} environments${run.latest ? ` · ${run.latest} done` : ""}`
                : "Starting…"}
          </Caption1>
        </div>
      ) : null}
    </section>
  );
}
