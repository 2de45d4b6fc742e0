import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  NavDrawer,
  NavDrawerBody,
  NavItem,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Dismiss20Regular } from "@fluentui/react-icons";
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, lazy, useEffect, useRef, useState } from "react";
import iconUrl from "../../icons/icon.svg";
import { ErrorBar } from "./components/ErrorBar";
import { UpdateBar } from "./components/updates/Updates";
import { SESSION, forgetAccount } from "./lib/queryKeys";
import { useAppTheme } from "./lib/theme";
import { NAV } from "./nav";
import { markStartup, useMarkInteractive } from "./lib/interactive";
import { session as loadSession, signOut, toApiError, type ApiError, type SessionState } from "./platform";

// Only a signed-in account needs these: loaded when one is there, not with the first screen.
const AccountMenu = lazy(() => import("./components/account/AccountMenu"));
const RoleNotices = lazy(() => import("./components/roles/RoleNotices"));

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Rust already retries what is worth retrying; a failure is shown with a Try again button.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

const useStyles = makeStyles({
  root: {
    height: "100%",
    display: "grid",
    gridTemplateRows: "48px minmax(0, 1fr)",
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  skip: {
    position: "absolute",
    left: tokens.spacingHorizontalS,
    top: "-100px",
    zIndex: 10,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForegroundLink,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow8,
    ":focus": { top: tokens.spacingVerticalS },
  },
  banner: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    paddingInline: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  logo: { width: "24px", height: "24px", flexShrink: 0 },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  spacer: { flexGrow: 1 },
  body: { display: "grid", gridTemplateColumns: "auto minmax(0, 1fr)", minHeight: 0 },
  nav: {
    height: "100%",
    width: "220px",
    minWidth: "220px",
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  // Fluent fades the selection bar in with a fill-mode "both" animation on ::after. WebKitGTK
  // (the Linux webview) keeps a finished animation's pseudo-element alive after the item loses
  // its selected class, so the bar of every page visited before stayed painted. No animation,
  // no stale bar: only the current page shows as selected.
  //
  // Hovered or pressed, Fluent paints the item with the hover background but leaves the text in
  // its resting colour: in the high-contrast theme that is white on cyan (1.5:1). The text takes
  // the colour made for that background, in every theme.
  //
  // Nothing in the nav moves: its fades (the indicator, the icon swap, the hover background)
  // kept the first screen changing for a quarter of a second after it was there.
  navItem: {
    "::after": { animationName: "none" },
    transitionProperty: "none",
    "& .fui-Icon-filled, & .fui-Icon-regular": { animationName: "none" },
    ":hover": { color: tokens.colorNeutralForeground1Hover },
    ":active": { color: tokens.colorNeutralForeground1Pressed },
  },
  main: {
    overflow: "auto",
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXXL}`,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    ":focus-visible": { outline: "none" },
  },
  bars: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "1100px" },
  center: { display: "flex", alignItems: "center", justifyContent: "center", padding: tokens.spacingVerticalXXXL },
});

/** Who is signed in (restoring a saved sign-in the first time). */
export async function askSession(): Promise<SessionState> {
  markStartup("session-asked");
  const state = await loadSession();
  markStartup("session-answered");
  return state;
}

/**
 * The session, asked before React first renders: when it answers within `waitMs` (it does,
 * unless a saved sign-in needs the network), the first screen rendered is already the sign-in
 * page or Home, not a spinner that is replaced a moment later. `alongWith`: whatever else that
 * screen needs, waited for within the same limit.
 */
export async function askSessionFirst(client: QueryClient, waitMs: number, alongWith: Promise<unknown>[] = []): Promise<void> {
  const asked = client.prefetchQuery({ queryKey: SESSION, queryFn: askSession });
  await Promise.race([Promise.all([asked, ...alongWith]), new Promise((done) => setTimeout(done, waitMs))]);
}

/** Everything the app needs around it: the OS theme and the query cache. */
export function App({ queryClient }: { queryClient?: QueryClient }) {
  const { theme } = useAppTheme();
  const [client] = useState(() => queryClient ?? makeQueryClient());
  return (
    <FluentProvider theme={theme}>
      <QueryClientProvider client={client}>
        <Shell />
      </QueryClientProvider>
    </FluentProvider>
  );
}

function Shell() {
  const s = useStyles();
  const qc = useQueryClient();
  const mainRef = useRef<HTMLElement>(null);
  const [page, setPage] = useState("home");
  const [noticeDismissed, setNoticeDismissed] = useState<string | null>(null);

  const sessionQ = useQuery<SessionState, ApiError>({
    queryKey: SESSION,
    queryFn: askSession,
    staleTime: Infinity,
  });
  const signOutM = useMutation<SessionState, ApiError, boolean>({
    mutationFn: (endBrowserSession) => signOut(endBrowserSession),
    onSuccess: (next) => {
      qc.setQueryData(SESSION, next);
      forgetAccount(qc);
      setPage("home");
    },
  });

  const current = sessionQ.data;
  const entries = NAV.filter((e) => !e.signedInOnly || current?.account);
  const entry = entries.find((e) => e.id === page) ?? entries[0];

  useEffect(() => {
    document.title = current && !current.account && entry.id === "home" ? "Sign in - Elevate" : `${entry.label} - Elevate`;
  }, [current, entry]);

  // Start-up ends when the first screen (sign-in or Home) is there, not at the spinner.
  useMarkInteractive(!sessionQ.isPending);

  const navigate = (id: string) => {
    setPage(id);
    mainRef.current?.scrollTo?.({ top: 0 });
  };

  const notice = current?.notice && current.notice !== noticeDismissed ? current.notice : null;

  return (
    <div className={s.root}>
      {current?.account ? (
        <Suspense fallback={null}>
          <RoleNotices />
        </Suspense>
      ) : null}
      <a
        href="#main"
        className={s.skip}
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <header role="banner" className={s.banner}>
        <img src={iconUrl} alt="" className={s.logo} />
        <Text as="span" className={s.brand}>
          Elevate
        </Text>
        <span className={s.spacer} />
        {current?.account ? (
          <Suspense fallback={null}>
            <AccountMenu account={current.account} busy={signOutM.isPending} onSignOut={(endBrowserSession) => signOutM.mutate(endBrowserSession)} />
          </Suspense>
        ) : null}
      </header>
      <div className={s.body}>
        <NavDrawer
          open
          type="inline"
          surfaceMotion={null}
          tabbable
          size="small"
          aria-label="Main"
          className={s.nav}
          selectedValue={entry.id}
          onNavItemSelect={(_, d) => navigate(String(d.value))}
        >
          <NavDrawerBody>
            {entries.map((e) => (
              <NavItem key={e.id} value={e.id} icon={<e.icon />} className={s.navItem} data-testid={`nav-${e.id}`}>
                {e.label}
              </NavItem>
            ))}
          </NavDrawerBody>
        </NavDrawer>
        <main id="main" ref={mainRef} tabIndex={-1} className={s.main}>
          {notice || signOutM.error ? (
            <div className={s.bars}>
              {notice ? (
                <MessageBar intent="info" data-testid="notice-bar">
                  <MessageBarBody>{notice}</MessageBarBody>
                  <MessageBarActions
                    containerAction={
                      <Button
                        appearance="transparent"
                        aria-label="Dismiss"
                        icon={<Dismiss20Regular />}
                        onClick={() => setNoticeDismissed(notice)}
                      />
                    }
                  />
                </MessageBar>
              ) : null}
              {signOutM.error ? (
                <ErrorBar error={toApiError(signOutM.error)} onRetry={() => signOutM.mutate(signOutM.variables ?? false)} />
              ) : null}
            </div>
          ) : null}
          <UpdateBar className={s.bars} />
          {sessionQ.isPending ? (
            <div className={s.center}>
              <Spinner label="Starting Elevate…" />
            </div>
          ) : sessionQ.isError ? (
            <div className={s.bars}>
              <ErrorBar error={toApiError(sessionQ.error)} onRetry={() => void sessionQ.refetch()} />
            </div>
          ) : (
            <Suspense
              fallback={
                <div className={s.center}>
                  <Spinner label={`Opening ${entry.label}…`} />
                </div>
              }
            >
              <entry.Screen session={sessionQ.data} navigate={navigate} />
            </Suspense>
          )}
        </main>
      </div>
    </div>
  );
}
