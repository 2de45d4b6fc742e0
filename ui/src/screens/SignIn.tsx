import {
  Button,
  Caption1,
  Card,
  Divider,
  Link,
  Spinner,
  Text,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { BuildingMultiple20Regular, Beaker20Regular } from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import iconUrl from "../../../icons/icon.svg";
import { CopyButton } from "../components/CopyButton";
import { ErrorBar } from "../components/ErrorBar";
import {
  cancelSignIn,
  onSignInProgress,
  signIn,
  toApiError,
  type ApiError,
  type SessionState,
  type SignInMethod,
  type SignInProgress,
  type TenantKind,
} from "../platform";
import { SESSION } from "../lib/queryKeys";

const useStyles = makeStyles({
  page: { display: "flex", justifyContent: "center", alignItems: "flex-start", paddingTop: tokens.spacingVerticalXXL },
  card: {
    width: "min(560px, 100%)",
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    gap: tokens.spacingVerticalL,
  },
  logo: { width: "48px", height: "48px" },
  headline: { margin: 0 },
  intro: { color: tokens.colorNeutralForeground2, lineHeight: tokens.lineHeightBase400, fontSize: tokens.fontSizeBase300 },
  actions: { display: "flex", flexDirection: "column", alignItems: "stretch", gap: tokens.spacingVerticalM },
  block: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalXS },
  wide: { alignSelf: "stretch" },
  muted: { color: tokens.colorNeutralForeground2 },
  waiting: {
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} 0`,
    textAlign: "center",
  },
  row: { display: "flex", alignItems: "center", justifyContent: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero800,
    lineHeight: tokens.lineHeightHero800,
    fontWeight: tokens.fontWeightSemibold,
    letterSpacing: "0.12em",
    userSelect: "all",
  },
  uri: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere", userSelect: "all" },
});

type Attempt = { kind: TenantKind; method: SignInMethod };
type Phase = { name: "idle" } | { name: "running"; attempt: Attempt; id: number };

type Props = {
  session: SessionState;
  /** Open the Settings screen (to set up the organization). */
  onSetUp: () => void;
};

/** Shown while nobody is signed in. */
export function SignInScreen({ session, onSetUp }: Props) {
  const s = useStyles();
  const qc = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [progress, setProgress] = useState<SignInProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [last, setLast] = useState<Attempt | null>(null);
  const attemptId = useRef(0);
  const cancelled = useRef<Set<number>>(new Set());
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    let unlisten: (() => void) | undefined;
    let gone = false;
    onSignInProgress((p) => {
      if (!gone) setProgress(p);
    })
      .then((u) => {
        if (gone) u();
        else unlisten = u;
      })
      .catch(() => {
        // Without progress events the sign-in still works; only the copy link is missing.
      });
    return () => {
      gone = true;
      mounted.current = false;
      unlisten?.();
    };
  }, []);

  const start = async (attempt: Attempt) => {
    const id = ++attemptId.current;
    setLast(attempt);
    setError(null);
    setProgress(null);
    setPhase({ name: "running", attempt, id });
    try {
      const next = await signIn(attempt.kind, attempt.method);
      qc.setQueryData(SESSION, next);
      if (mounted.current && attemptId.current === id) setPhase({ name: "idle" });
    } catch (e) {
      if (!mounted.current || attemptId.current !== id) return;
      const err = toApiError(e);
      setPhase({ name: "idle" });
      setProgress(null);
      // The user pressed Cancel: that is not an error worth a red bar.
      if (!(cancelled.current.has(id) && err.code === "signInCancelled")) setError(err);
    }
  };

  const cancel = async () => {
    if (phase.name !== "running") return;
    cancelled.current.add(phase.id);
    // Back to the buttons at once, whatever the pending sign-in does next: never a stuck spinner.
    attemptId.current++;
    setPhase({ name: "idle" });
    setProgress(null);
    try {
      await cancelSignIn();
    } catch (e) {
      if (mounted.current) setError(toApiError(e));
    }
  };

  const running = phase.name === "running";
  const orgReady = session.organizationConfigured;

  return (
    <div className={s.page}>
      <Card className={s.card} aria-labelledby="signin-title">
        <img src={iconUrl} alt="" className={s.logo} />
        <Title2 as="h1" id="signin-title" className={s.headline}>
          Just-in-time admin rights for Microsoft 365 and Power Platform
        </Title2>
        <Text as="p" block className={s.intro} style={{ margin: 0 }}>
          Admin rights are safest when you hold them only while you need them. Elevate signs you in with your work
          account, turns on the admin roles you are eligible for, and makes you System Administrator in a Power Platform
          environment for just as long as the task takes. When the time is up, the rights go away by themselves.
        </Text>

        {error ? (
          <ErrorBar error={error} onRetry={last ? () => void start(last) : undefined} />
        ) : null}

        {running ? (
          <Waiting progress={progress} method={phase.attempt.method} onCancel={cancel} />
        ) : (
          <div className={s.actions}>
            <div className={s.block}>
              <Button
                appearance="primary"
                size="large"
                className={s.wide}
                icon={<BuildingMultiple20Regular />}
                data-testid="signin-org"
                disabled={!orgReady}
                onClick={() => void start({ kind: "organization", method: "browser" })}
              >
                Sign in to your organization
              </Button>
              {orgReady ? (
                // Only when IT allows it: device code needs "Allow public client flows", which
                // also lets anyone phish a code for this app registration.
                session.deviceCodeAllowed ? (
                  <Link as="button" data-testid="signin-device" onClick={() => void start({ kind: "organization", method: "deviceCode" })}>
                    Use a device code instead
                  </Link>
                ) : null
              ) : (
                <>
                  <Text className={s.muted}>Your organization is not set up yet.</Text>
                  <Link as="button" data-testid="signin-setup" onClick={onSetUp}>
                    Set up your organization
                  </Link>
                </>
              )}
            </div>
            <Divider>or</Divider>
            <div className={s.block}>
              <Button
                size="large"
                className={s.wide}
                icon={<Beaker20Regular />}
                data-testid="signin-demo"
                onClick={() => void start({ kind: "demo", method: "browser" })}
                aria-describedby="signin-demo-caption"
              >
                Explore with the demo tenant
              </Button>
              <Caption1 id="signin-demo-caption" className={s.muted}>
                A built-in practice tenant with sample users, roles and environments. Nothing you do there touches a real
                organization.
              </Caption1>
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}

function Waiting({
  progress,
  method,
  onCancel,
}: {
  progress: SignInProgress | null;
  method: SignInMethod;
  onCancel: () => void;
}) {
  const s = useStyles();
  const label = progress?.stage === "finishing" ? "Signing you in…" : "Finish signing in in your browser…";
  return (
    <div className={s.waiting} data-testid="signin-waiting" role="status" aria-live="polite">
      <Spinner size="medium" label={label} labelPosition="below" />
      {progress?.stage === "waitingForDeviceCode" ? (
        <>
          <Text className={s.muted}>On any device, open this page and enter the code:</Text>
          <div className={s.row}>
            <Text className={s.uri} data-testid="signin-device-uri">
              {progress.verificationUri}
            </Text>
            <CopyButton text={progress.verificationUri} what="sign-in page address" />
          </div>
          <div className={s.row}>
            <Text className={s.code} data-testid="signin-device-code">
              {progress.userCode}
            </Text>
            <CopyButton text={progress.userCode} what="code" label="Copy code" appearance="secondary" />
          </div>
        </>
      ) : null}
      {progress?.stage === "waitingForBrowser" && method === "browser" ? (
        <div className={s.row}>
          <Text className={s.muted}>Browser didn't open?</Text>
          <CopyButton
            text={progress.url}
            what="sign-in link"
            label="Copy the sign-in link"
            appearance="transparent"
            data-testid="signin-copy-link"
          />
        </div>
      ) : null}
      <Button data-testid="signin-cancel" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
