import { Input, makeStyles, tokens } from "@fluentui/react-components";
import { ACTION_LABELS, OUTCOME_LABELS, localDate } from "../lib/journal";
import type { JournalAction, JournalOutcome } from "../platform";
import { FilterBar, FilterChoice as Choice, FilterSearch } from "./grid/FilterBar";

export type Period = "" | "today" | "week" | "month" | "custom";

/** What the filter bar holds, as typed; Activity turns it into a JournalFilter. */
export type FilterState = {
  action: JournalAction | "";
  outcome: JournalOutcome | "";
  environment: string;
  role: string;
  period: Period;
  /** `yyyy-mm-dd`, local days, both included; only for a custom period. */
  from: string;
  to: string;
  text: string;
};

export const NO_FILTER: FilterState = {
  action: "",
  outcome: "",
  environment: "",
  role: "",
  period: "",
  from: "",
  to: "",
  text: "",
};

const PERIODS: { value: Exclude<Period, "">; label: string }[] = [
  { value: "today", label: "Today" },
  { value: "week", label: "Last 7 days" },
  { value: "month", label: "Last 30 days" },
  { value: "custom", label: "Custom dates" },
];

const ACTION_OPTIONS = (Object.keys(ACTION_LABELS) as JournalAction[]).map((a) => ({ value: a, label: ACTION_LABELS[a] }));
const OUTCOME_OPTIONS = (Object.keys(OUTCOME_LABELS) as JournalOutcome[]).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }));

const useStyles = makeStyles({
  dropdown: { minWidth: "120px" },
  date: { width: "150px" },
  search: { minWidth: "220px", maxWidth: "340px" },
  dash: { color: tokens.colorNeutralForeground3 },
});

/** True when any filter narrows the list. */
export function isFiltered(f: FilterState): boolean {
  return Object.values(f).some((v) => v !== "");
}

/** One row of filters: search first (the most used), then the admin center's dropdowns. */
export function ActivityFilters({
  value,
  onChange,
  environments,
  roles,
}: {
  value: FilterState;
  onChange: (next: FilterState) => void;
  environments: string[];
  roles: string[];
}) {
  const s = useStyles();
  const set = (patch: Partial<FilterState>) => onChange({ ...value, ...patch });
  const plain = (list: string[]) => list.map((v) => ({ value: v, label: v }));
  const choices: { field: "action" | "outcome" | "environment" | "role"; id: string; label: string; allLabel: string; options: { value: string; label: string }[] }[] = [
    { field: "action", id: "action", label: "Action", allLabel: "All actions", options: ACTION_OPTIONS },
    { field: "outcome", id: "result", label: "Result", allLabel: "All results", options: OUTCOME_OPTIONS },
    { field: "environment", id: "environment", label: "Environment", allLabel: "All environments", options: plain(environments) },
    { field: "role", id: "role", label: "Role", allLabel: "All roles", options: plain(roles) },
  ];
  return (
    <FilterBar label="Filter activity">
      <FilterSearch className={s.search} label="Search activity" placeholder="Search name, target, ticket, ID…" value={value.text} testId="activity-search" onChange={(text) => set({ text })} />
      {choices.map((c) => (
        <Choice key={c.field} className={s.dropdown} label={c.label} allLabel={c.allLabel} value={value[c.field]} testId={`activity-filter-${c.id}`} options={c.options} onChange={(v) => set({ [c.field]: v })} />
      ))}
      <Choice
        className={s.dropdown}
        label="Date"
        allLabel="Any time"
        value={value.period}
        testId="activity-filter-period"
        options={PERIODS}
        // Custom dates start as today, so the inputs show what is applied.
        onChange={(period) => set(period === "custom" ? { period, from: localDate(), to: localDate() } : { period, from: "", to: "" })}
      />
      {value.period === "custom" ? (
        <>
          <Input type="date" aria-label="From" className={s.date} value={value.from} data-testid="activity-filter-from" onChange={(_, d) => set({ from: d.value })} />
          <span className={s.dash} aria-hidden>
            to
          </span>
          <Input type="date" aria-label="To" className={s.date} value={value.to} data-testid="activity-filter-to" onChange={(_, d) => set({ to: d.value })} />
        </>
      ) : null}
    </FilterBar>
  );
}
