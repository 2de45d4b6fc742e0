import {
  Badge,
  Button,
  Card,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { ErrorBar } from "../ErrorBar";
import {
  checkConnectivity,
  toApiError,
  type ApiError,
  type CheckResult,
  type CheckStage,
  type ConnectivityReport,
} from "../../platform";

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  list: { margin: 0, padding: 0, listStyle: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  detail: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
});

const RESULT: Record<CheckResult, { label: string; color: "success" | "danger" | "informative" }> = {
  ok: { label: "Reachable", color: "success" },
  failed: { label: "Not reachable", color: "danger" },
  skipped: { label: "Not checked", color: "informative" },
};

/** Where it failed, in the words a person uses for it. */
export const STAGE: Record<CheckStage, string> = {
  dns: "Name not found",
  tcp: "No connection",
  proxy: "Proxy",
  tls: "Secure connection",
  http: "Answer",
};

/** Settings → Check connection: each host Elevate needs, and what stops it if one fails. */
export function ConnectionCheckCard() {
  const s = useStyles();
  const run = useMutation<ConnectivityReport, ApiError>({ mutationFn: () => checkConnectivity() });
  const report = run.data;
  return (
    <Card className={s.card} aria-labelledby="connection-title">
      <Subtitle2 as="h2" id="connection-title" className={s.heading}>
        Connection
      </Subtitle2>
      <Text className={s.muted}>
        Checks that this computer can reach every service Elevate needs: sign-in, Microsoft Graph, the Power Platform
        APIs and one of your environments. If one fails, it says where and what to do.
      </Text>
      <div>
        <Button data-testid="connection-check" onClick={() => run.mutate()} disabled={run.isPending}>
          Check connection
        </Button>
        {run.isPending ? <Spinner size="tiny" label="Checking…" style={{ display: "inline-flex", marginLeft: 12 }} /> : null}
      </div>
      {run.error ? <ErrorBar error={toApiError(run.error)} /> : null}
      {report ? (
        <>
          <Text data-testid="connection-proxy" className={s.muted}>
            {report.proxy}
          </Text>
          <ul className={s.list} aria-label="Connection results">
            {report.checks.map((c) => (
              <li key={c.service} className={s.row} data-testid="connection-row">
                <span className={s.head}>
                  <Text weight="semibold">{c.service}</Text>
                  <Badge appearance="tint" color={RESULT[c.result].color}>
                    {c.stage ? `${RESULT[c.result].label}: ${STAGE[c.stage]}` : RESULT[c.result].label}
                  </Badge>
                  {c.host ? <Text className={s.detail}>{c.host}</Text> : null}
                </span>
                <Text>{c.message}</Text>
                {c.detail ? <Text className={s.detail}>Details for IT: {c.detail}</Text> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  );
}
