import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  Text,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowRight16Regular, PersonKey20Regular, ShieldCheckmark20Regular, Timer20Regular } from "@fluentui/react-icons";
import { useQuery } from "@tanstack/react-query";
import { CopyButton } from "../components/CopyButton";
import { ErrorBar } from "../components/ErrorBar";
import { Countdown } from "../components/roles/Countdown";
import { useMyRoles } from "../components/roles/queries";
import type { PageProps } from "../nav";
import { home, toApiError, type ApiError, type HomeSummary } from "../platform";
import { SignInScreen } from "./SignIn";
import { HOME } from "../lib/queryKeys";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "1100px" },
  title: { margin: 0 },
  heading: { margin: 0 },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(340px, 1fr))",
    gap: tokens.spacingVerticalL,
    alignItems: "start",
  },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  facts: {
    display: "grid",
    gridTemplateColumns: "max-content minmax(0, 1fr)",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    alignItems: "center",
  },
  term: { color: tokens.colorNeutralForeground2 },
  def: { margin: 0, display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, minWidth: 0 },
  value: { overflowWrap: "anywhere" },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  roles: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  role: {
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    gap: tokens.spacingVerticalXS,
    paddingBlock: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    ":last-child": { borderBottom: "none" },
  },
  roleName: { fontWeight: tokens.fontWeightSemibold },
  empty: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, paddingBlock: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
  skeleton: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** Home: who is signed in and which admin roles are active. Signed out, it is the sign-in screen. */
export function HomePage({ session, navigate }: PageProps) {
  if (!session.account) return <SignInScreen session={session} onSetUp={() => navigate("settings")} />;
  return <SignedInHome session={session} navigate={navigate} />;
}

function SignedInHome({ session, navigate }: PageProps) {
  const s = useStyles();
  const q = useQuery<HomeSummary, ApiError>({ queryKey: HOME, queryFn: () => home() });

  return (
    <div className={s.page}>
      <Title2 as="h1" className={s.title}>
        Home
      </Title2>
      {session.storage === "memoryOnly" ? (
        <MessageBar intent="warning" layout="multiline" data-testid="storage-warning">
          <MessageBarBody>
            <MessageBarTitle>Sign-in kept in memory only.</MessageBarTitle>
            Your system's credential store is unavailable, so Elevate keeps your sign-in in memory only. You'll need to
            sign in again next time.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {q.isError ? <ErrorBar error={toApiError(q.error)} onRetry={() => void q.refetch()} /> : null}
      {q.isError && !q.data ? null : (
        <div className={s.grid}>
          <Card className={s.card}>
            <CardHeader
              image={<PersonKey20Regular />}
              header={
                <Subtitle2 as="h2" className={s.heading}>
                  Your account
                </Subtitle2>
              }
            />
            {q.isPending ? (
              <LoadingLines rows={3} label="Loading your account" />
            ) : q.data ? (
              <dl className={s.facts}>
                <dt className={s.term}>Name</dt>
                <dd className={s.def}>
                  <Body1 className={s.value} data-testid="home-account-name">
                    {q.data.account.name}
                  </Body1>
                  {q.data.account.kind === "demo" ? (
                    <Badge appearance="tint" color="informative">
                      Demo tenant
                    </Badge>
                  ) : null}
                </dd>
                <dt className={s.term}>User name</dt>
                <dd className={s.def}>
                  <Body1 className={s.value} data-testid="home-account-upn">
                    {q.data.account.upn}
                  </Body1>
                </dd>
                <dt className={s.term}>Tenant ID</dt>
                <dd className={s.def}>
                  <Text className={s.mono} data-testid="home-tenant-id">
                    {q.data.account.tenantId}
                  </Text>
                  <CopyButton text={q.data.account.tenantId} what="tenant ID" />
                </dd>
              </dl>
            ) : null}
            {session.demo ? (
              <Caption1 className={s.muted} data-testid="home-demo-url">
                Demo tenant running at {session.demo.baseUrl}
              </Caption1>
            ) : null}
          </Card>

          <Card className={s.card}>
            <CardHeader
              image={<ShieldCheckmark20Regular />}
              header={
                <Subtitle2 as="h2" className={s.heading}>
                  Admin roles active now
                </Subtitle2>
              }
            />
            {q.isPending ? (
              <LoadingLines rows={2} label="Loading your active roles" />
            ) : q.data ? (
              q.data.activeRoles.length > 0 ? (
                <ul className={s.roles} data-testid="home-roles" aria-label="Admin roles active now">
                  {q.data.activeRoles.map((r) => (
                    <li key={r.templateId} className={s.role} data-testid="home-role">
                      <Body1 className={s.roleName}>{r.name}</Body1>
                      {r.canSelfElevate ? (
                        <Badge appearance="tint" color="success">
                          Can self-elevate in Power Platform
                        </Badge>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <div className={s.empty} data-testid="home-no-roles">
                  <Body1>No admin role is active right now.</Body1>
                  <Caption1 className={s.muted}>
                    Roles you activate in Privileged Identity Management (PIM) appear here until they end.
                  </Caption1>
                </div>
              )
            ) : null}
          </Card>

          <ActivationsCard onOpen={() => navigate("roles")} />
        </div>
      )}
    </div>
  );
}

/** "Active roles": how long each running PIM activation has left, and the way to My roles. */
function ActivationsCard({ onOpen }: { onOpen: () => void }) {
  const s = useStyles();
  const q = useMyRoles();
  const running = (q.data?.active ?? []).filter((r) => r.assignmentType === "activated" && r.end);
  return (
    <Card className={s.card} data-testid="home-activations">
      <CardHeader
        image={<Timer20Regular />}
        header={
          <Subtitle2 as="h2" className={s.heading}>
            Active roles
          </Subtitle2>
        }
      />
      {q.isPending ? (
        <LoadingLines rows={2} label="Loading your activations" />
      ) : q.isError ? (
        <Caption1 className={s.muted} data-testid="home-activations-error">
          Elevate couldn't load your activations: {toApiError(q.error).message}
        </Caption1>
      ) : running.length > 0 ? (
        <ul className={s.roles} aria-label="Activations running">
          {running.map((r) => (
            <li key={r.roleId} className={s.role}>
              <Countdown end={r.end!} label={r.name} data-testid="home-countdown" />
            </li>
          ))}
        </ul>
      ) : (
        <div className={s.empty} data-testid="home-no-activations">
          <Body1>No role activation is running.</Body1>
          <Caption1 className={s.muted}>Activate an eligible role for just the time you need it.</Caption1>
        </div>
      )}
      <div>
        <Button icon={<ArrowRight16Regular />} iconPosition="after" data-testid="home-my-roles" onClick={onOpen}>
          My roles
        </Button>
      </div>
    </Card>
  );
}

function LoadingLines({ rows, label }: { rows: number; label: string }) {
  const s = useStyles();
  return (
    <Skeleton aria-label={label} className={s.skeleton}>
      {Array.from({ length: rows }, (_, i) => (
        <SkeletonItem key={i} size={16} style={{ width: `${90 - i * 15}%` }} />
      ))}
    </Skeleton>
  );
}
