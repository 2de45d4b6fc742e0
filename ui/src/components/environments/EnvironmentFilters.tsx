import { Button, Dropdown, Option, SearchBox, makeStyles, tokens } from "@fluentui/react-components";
import type { EnvFilter, Facets } from "../../lib/environments";

const useStyles = makeStyles({
  bar: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  // Fluent's default Dropdown is 250px wide; these say "All …" and take what they need.
  dropdown: { minWidth: "140px" },
  search: { minWidth: "240px", flexGrow: 1, maxWidth: "380px" },
});

const ALL = "__all";

function Choice({
  label,
  allLabel,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  allLabel: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
  testId: string;
}) {
  const s = useStyles();
  const current = options.find((o) => o.value === value)?.label ?? allLabel;
  return (
    <Dropdown
      aria-label={label}
      className={s.dropdown}
      data-testid={testId}
      value={current}
      selectedOptions={[value || ALL]}
      onOptionSelect={(_, d) => onChange(d.optionValue === ALL || !d.optionValue ? "" : d.optionValue)}
    >
      <Option value={ALL}>{allLabel}</Option>
      {options.map((o) => (
        <Option key={o.value} value={o.value}>
          {o.label}
        </Option>
      ))}
    </Dropdown>
  );
}

/** Search first (the most used), then the admin center's Type / Region / State. */
export function EnvironmentFilters({
  value,
  onChange,
  facets,
}: {
  value: EnvFilter;
  onChange: (next: EnvFilter) => void;
  facets: Facets;
}) {
  const s = useStyles();
  const set = (patch: Partial<EnvFilter>) => onChange({ ...value, ...patch });
  const filtered = value.text !== "" || value.type !== "" || value.region !== "" || value.state !== "";
  const plain = (list: string[]) => list.map((v) => ({ value: v, label: v }));
  return (
    <div className={s.bar} role="search" aria-label="Filter environments">
      <SearchBox
        className={s.search}
        aria-label="Search environments"
        placeholder="Search name, ID, URL, type or region"
        value={value.text}
        data-testid="env-search"
        onChange={(_, d) => set({ text: d.value })}
      />
      <Choice label="Type" allLabel="All types" value={value.type} options={plain(facets.types)} testId="env-filter-type" onChange={(type) => set({ type })} />
      <Choice label="Region" allLabel="All regions" value={value.region} options={facets.regions} testId="env-filter-region" onChange={(region) => set({ region })} />
      <Choice label="State" allLabel="All states" value={value.state} options={plain(facets.states)} testId="env-filter-state" onChange={(state) => set({ state })} />
      {filtered ? (
        <Button appearance="subtle" data-testid="env-clear-filters" onClick={() => onChange({ text: "", type: "", region: "", state: "" })}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
