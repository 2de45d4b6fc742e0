import { Body1, Button, Dropdown, Option, SearchBox, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

// The filter bars above the lists (Environments, System Administrators, Activity): a search
// landmark with the search box first (the most used), then the admin center's dropdowns.
const useStyles = makeStyles({
  bar: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  search: { flexGrow: 1 },
  emptyBox: { display: "flex", flexDirection: "column", alignItems: "center", gap: tokens.spacingVerticalS },
});

const ALL = "__all";

export function FilterBar({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const s = useStyles();
  return (
    <div className={mergeClasses(s.bar, className)} role="search" aria-label={label}>
      {children}
    </div>
  );
}

type SearchProps = { label: string; placeholder: string; value: string; onChange: (text: string) => void; testId: string; className: string };

/** The search box; `className` gives its widths. */
export function FilterSearch({ label, placeholder, value, onChange, testId, className }: SearchProps) {
  const s = useStyles();
  return (
    <SearchBox
      className={mergeClasses(s.search, className)}
      aria-label={label}
      placeholder={placeholder}
      value={value}
      data-testid={testId}
      onChange={(_, d) => onChange(d.value)}
    />
  );
}

type ChoiceProps<T extends string> = {
  label: string;
  /** The first choice, which filters nothing ("All types"). */
  allLabel: string;
  value: T | "";
  options: readonly { value: T; label: string }[];
  onChange: (v: T | "") => void;
  testId?: string;
  /** Its width: Fluent's default Dropdown is 250px wide, these say "All …" and take what they need. */
  className: string;
};

/** A dropdown of one column's values, "" = any. */
export function FilterChoice<T extends string>({ label, allLabel, value, options, onChange, testId, className }: ChoiceProps<T>) {
  const current = options.find((o) => o.value === value)?.label ?? allLabel;
  return (
    <Dropdown
      aria-label={label}
      className={className}
      data-testid={testId}
      value={current}
      selectedOptions={[value || ALL]}
      onOptionSelect={(_, d) => onChange(d.optionValue === ALL || !d.optionValue ? "" : (d.optionValue as T))}
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

/** A grid's empty state when the filters hide every row: says so, with the way back. */
export function NoMatch({ what, onClear, testId }: { what: string; onClear: () => void; testId: string }) {
  const s = useStyles();
  return (
    <span className={s.emptyBox}>
      <Body1>{`No ${what} matches the search or filters.`}</Body1>
      <Button data-testid={testId} onClick={onClear}>
        Clear filters
      </Button>
    </span>
  );
}
