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
  return (
    <FilterBar label="Filter activity">
      <FilterSearch
        className={s.search}
        label="Search activity"
        placeholder="Search name, target, ticket, ID…"
        value={value.text}
        testId="activity-search"
        onChange={(text) => set({ text })}
      />
      <Choice
        className={s.dropdown}
        label="Action"
        allLabel="All actions"
        value={value.action}
        testId="activity-filter-action"
        options={(Object.keys(ACTION_LABELS) as JournalAction[]).map((a) => ({ value: a, label: ACTION_LABELS[a] }))}
        onChange={(action) => set({ action })}
      />
      <Choice
        className={s.dropdown}
        label="Result"
        allLabel="All results"
        value={value.outcome}
        testId="activity-filter-result"
        options={(Object.keys(OUTCOME_LABELS) as JournalOutcome[]).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
        onChange={(outcome) => set({ outcome })}
      />
      <Choice
        className={s.dropdown}
        label="Environment"
        allLabel="All environments"
        value={value.environment}
        testId="activity-filter-environment"
        options={environments.map((e) => ({ value: e, label: e }))}
        onChange={(environment) => set({ environment })}
      />
      <Choice
        className={s.dropdown}
        label="Role"
        allLabel="All roles"
        value={value.role}
        testId="activity-filter-role"
        options={roles.map((r) => ({ value: r, label: r }))}
        onChange={(role) => set({ role })}
      />
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
          <Input
            type="date"
            aria-label="From"
            className={s.date}
            value={value.from}
            data-testid="activity-filter-from"
            onChange={(_, d) => set({ from: d.value })}
          />
          <span className={s.dash} aria-hidden>
            to
          </span>
          <Input
            type="date"
            aria-label="To"
            className={s.date}
            value={value.to}
            data-testid="activity-filter-to"
            onChange={(_, d) => set({ to: d.value })}
          />
        </>
      ) : null}
    </FilterBar>
  );
}
