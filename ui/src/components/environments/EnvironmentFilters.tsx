import { Button, makeStyles } from "@fluentui/react-components";
import { NO_ENV_FILTER, type EnvFilter, type Facets } from "../../lib/environments";
import { FilterBar, FilterChoice, FilterSearch } from "../grid/FilterBar";

const useStyles = makeStyles({
  dropdown: { minWidth: "140px" },
  search: { minWidth: "240px", maxWidth: "380px" },
});

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
    <FilterBar label="Filter environments">
      <FilterSearch className={s.search} label="Search environments" placeholder="Search name, ID, URL, type or region" value={value.text} testId="env-search" onChange={(text) => set({ text })} />
      <FilterChoice className={s.dropdown} label="Type" allLabel="All types" value={value.type} options={plain(facets.types)} testId="env-filter-type" onChange={(type) => set({ type })} />
      <FilterChoice className={s.dropdown} label="Region" allLabel="All regions" value={value.region} options={facets.regions} testId="env-filter-region" onChange={(region) => set({ region })} />
      <FilterChoice className={s.dropdown} label="State" allLabel="All states" value={value.state} options={plain(facets.states)} testId="env-filter-state" onChange={(state) => set({ state })} />
      {filtered ? (
        <Button appearance="subtle" data-testid="env-clear-filters" onClick={() => onChange(NO_ENV_FILTER)}>
          Clear filters
        </Button>
      ) : null}
    </FilterBar>
  );
}
