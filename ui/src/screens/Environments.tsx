import {
  Body1,
  Button,
  Caption1,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  InlineDrawer,
  Link,
  MessageBar,
  MessageBarBody,
  Skeleton,
  SkeletonItem,
  Text,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwise20Regular, Dismiss20Regular, Info20Regular, People20Regular, PersonAdd20Regular } from "@fluentui/react-icons";
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { AddMeDialog } from "../components/environments/AddMeDialog";
import { DetailsPane } from "../components/environments/DetailsPane";
import { EnvironmentFilters } from "../components/environments/EnvironmentFilters";
import { EnvironmentGrid } from "../components/environments/EnvironmentGrid";
import { MembershipPane } from "../components/environments/MembershipPane";
import { NoMatch } from "../components/grid/FilterBar";
import { useEnvironments } from "../components/environments/queries";
import { ErrorBar } from "../components/ErrorBar";
import { NO_ENV_FILTER, facets, filterRows, indexEnvironments, sortRows, type EnvFilter, type Sort } from "../lib/environments";
import { hhmm } from "../lib/roles";
import type { PageProps } from "../nav";
import { toApiError, type Environment } from "../platform";

const useStyles = makeStyles({
  // The page fills the window's height so the grid, not the page, scrolls.
  // Everything but the grid keeps its height; on a short window the page scrolls instead.
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, flexGrow: 1, minHeight: 0, minWidth: 0, "& > *": { flexShrink: 0 } },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  title: { margin: 0, flexGrow: 1 },
  intro: { color: tokens.colorNeutralForeground2, marginTop: `calc(-1 * ${tokens.spacingVerticalS})` },
  updated: { color: tokens.colorNeutralForeground3 },
  commands: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  spacer: { flexGrow: 1 },
  count: { color: tokens.colorNeutralForeground2 },
  body: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) auto", flexGrow: 1, flexShrink: 1, minHeight: "320px" },
  gridCell: { minWidth: 0, minHeight: 0 },
  drawer: {
    width: "340px",
    marginInlineStart: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  paneSubtitle: { color: tokens.colorNeutralForeground2, display: "block", overflowWrap: "anywhere" },
  skeleton: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalL },
});

type Pane = { kind: "details" | "membership"; id: string };
const NO_ENVIRONMENTS: Environment[] = [];

/** Environments: the admin center's list, Details, Membership and Add me with a preflight. */
export function EnvironmentsPage({ navigate }: PageProps) {
  const s = useStyles();
  const q = useEnvironments();
  const list = q.data?.environments ?? NO_ENVIRONMENTS;

  // Built once per fetch (10,000 rows): the search key, the dropdowns' choices, the id lookup.
  const indexed = useMemo(() => indexEnvironments(list), [list]);
  const choices = useMemo(() => facets(list), [list]);
  const byId = useMemo(() => new Map(list.map((e) => [e.id, e])), [list]);

  const [sort, setSort] = useState<Sort>({ key: "name", dir: "ascending" });
  const sorted = useMemo(() => sortRows(indexed, sort), [indexed, sort]);
  const [filter, setFilter] = useState<EnvFilter>(NO_ENV_FILTER);
  // No useDeferredValue: filtering 10,000 precomputed keys takes ~2 ms, and deferring would
  // add a second render and a frame between the keystroke and the filtered list.
  const text = filter.text;
  const { type, region, state } = filter;
  const rows = useMemo(() => filterRows(sorted, { text, type, region, state }), [sorted, text, type, region, state]);

  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [pane, setPane] = useState<Pane | null>(null);
  const [addMeFor, setAddMeFor] = useState<Environment[] | null>(null);
  const gridWrap = useRef<HTMLDivElement>(null);

  // What the commands act on: the selected rows that are shown, in the shown order.
  const chosen = useMemo(() => rows.filter((r) => selected.has(r.env.id)).map((r) => r.env), [rows, selected]);
  const one = chosen.length === 1 ? chosen[0] : undefined;
  const paneEnv = pane ? byId.get(pane.id) : undefined;

  const selectOnly = useCallback((id: string) => {
    setSelected(new Set([id]));
    // An open pane follows the selection, as in the admin center.
    setPane((p) => (p ? { ...p, id } : p));
  }, []);
  const openDetails = useCallback((id: string) => setPane({ kind: "details", id }), []);

  const closePane = () => {
    setPane(null);
    gridWrap.current?.querySelector<HTMLElement>("[role=grid]")?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Escape in the grid or the pane closes the pane (the dialog, in a portal, handles its own).
    if (e.key === "Escape" && pane && e.currentTarget.contains(e.target as Node)) {
      e.preventDefault();
      closePane();
    }
  };

  const filtered = filter.text !== "" || type !== "" || region !== "" || state !== "";
  const empty = filtered ? (
    <NoMatch what="environment" testId="env-empty-clear" onClear={() => setFilter(NO_ENV_FILTER)} />
  ) : (
    <Body1>Power Platform lists no environments for you.</Body1>
  );

  return (
    <div className={s.page}>
      <div className={s.head}>
        <Title2 as="h1" className={s.title}>
          Environments
        </Title2>
        {q.data ? (
          <Caption1 className={s.updated} data-testid="env-updated">
            Updated {hhmm(q.data.fetchedAt)}
          </Caption1>
        ) : null}
        <Button icon={<ArrowClockwise20Regular />} data-testid="env-refresh" disabled={q.isFetching} onClick={() => void q.refetch()}>
          Refresh
        </Button>
      </div>
      <Text className={s.intro}>
        Your organization's Power Platform environments. Select one or more and choose Add me to become System
        Administrator: Elevate first checks what would stand in the way, and says how to fix it.
      </Text>
      {q.isError ? <ErrorBar error={toApiError(q.error)} onRetry={() => void q.refetch()} /> : null}
      {q.data?.notShown ? (
        <MessageBar intent="warning" layout="multiline" data-testid="env-not-shown">
          <MessageBarBody>{q.data.notShown}</MessageBarBody>
        </MessageBar>
      ) : null}
      {q.data?.partial ? (
        <MessageBar intent="info" layout="multiline" data-testid="env-partial">
          <MessageBarBody>
            Only some environments are listed. With no Global, Power Platform or Dynamics 365 Administrator role active,
            Power Platform shows only the default environment and those you are a user of.{" "}
            <Link as="button" type="button" data-testid="env-partial-roles" onClick={() => navigate("roles")}>
              Activate one in My roles
            </Link>{" "}
            to see them all.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <EnvironmentFilters value={filter} onChange={setFilter} facets={choices} />
      <div className={s.commands} role="toolbar" aria-label="Environment commands">
        <Button icon={<Info20Regular />} data-testid="env-details" disabled={!one} onClick={() => one && setPane({ kind: "details", id: one.id })}>
          Details
        </Button>
        <Button icon={<People20Regular />} data-testid="env-membership" disabled={!one} onClick={() => one && setPane({ kind: "membership", id: one.id })}>
          Membership
        </Button>
        <Button appearance="primary" icon={<PersonAdd20Regular />} data-testid="env-add-me" disabled={chosen.length === 0} onClick={() => setAddMeFor(chosen)}>
          Add me
        </Button>
        <span className={s.spacer} />
        {/* A live region is only heard when its text changes after it is on the page: always there. */}
        <Caption1 className={s.count} data-testid="env-selected-count" aria-live="polite">
          {chosen.length > 0 ? `${chosen.length} selected` : null}
        </Caption1>
        {q.data ? (
          <Caption1 className={s.count} data-testid="env-count">
            {rows.length === list.length ? `${list.length} environments` : `${rows.length} of ${list.length} environments`}
          </Caption1>
        ) : null}
      </div>
      <div className={s.body} onKeyDown={onKeyDown}>
        <div className={s.gridCell} ref={gridWrap}>
          {q.isPending ? (
            <Skeleton aria-label="Loading environments" className={s.skeleton}>
              {[0, 1, 2, 3, 4].map((i) => (
                <SkeletonItem key={i} size={32} />
              ))}
            </Skeleton>
          ) : (
            <EnvironmentGrid
              rows={rows}
              sort={sort}
              onSort={setSort}
              selected={selected}
              onSelected={setSelected}
              onSelectOnly={selectOnly}
              onOpen={openDetails}
              empty={empty}
            />
          )}
        </div>
        {pane && paneEnv ? (
          <InlineDrawer open position="end" className={s.drawer} data-testid={pane.kind === "details" ? "env-details-pane" : "env-membership-pane"} aria-label={pane.kind === "details" ? "Details" : "Membership"}>
            <DrawerHeader>
              <DrawerHeaderTitle
                action={<Button appearance="subtle" aria-label="Close" icon={<Dismiss20Regular />} data-testid="env-pane-close" onClick={closePane} />}
              >
                {pane.kind === "details" ? "Details" : "Membership"}
                <Caption1 className={s.paneSubtitle}>{paneEnv.displayName}</Caption1>
              </DrawerHeaderTitle>
            </DrawerHeader>
            <DrawerBody>
              {pane.kind === "details" ? (
                <DetailsPane env={paneEnv} />
              ) : (
                <MembershipPane env={paneEnv} onAddMe={() => setAddMeFor([paneEnv])} />
              )}
            </DrawerBody>
          </InlineDrawer>
        ) : null}
      </div>
      {addMeFor ? <AddMeDialog environments={addMeFor} onClose={() => setAddMeFor(null)} /> : null}
    </div>
  );
}
