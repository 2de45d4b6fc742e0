import {
  Button,
  Card,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
import { APP_INFO_KEY, UPDATE_KEY } from "../../lib/queryKeys";
import { ErrorBar } from "../ErrorBar";
import {
  appInfo,
  checkForUpdate,
  installUpdate,
  toApiError,
  type ApiError,
  type AppInfo,
  type AvailableUpdate,
  type UpdateStatus,
} from "../../platform";

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
});


const STATUS_TEXT: Record<UpdateStatus, string> = {
  automatic: "Elevate looks for a new version when it starts and installs it only when you say so.",
  managedByIt: "Your IT department updates Elevate on this computer.",
  notInThisBuild: "This copy of Elevate does not update itself. Get new versions from wherever you got this one.",
};

export function useAppInfo() {
  return useQuery<AppInfo, ApiError>({ queryKey: APP_INFO_KEY, queryFn: () => appInfo(), staleTime: Infinity });
}

/** Checked once per start: the manifest is small, and an admin tool should not nag. */
export function useAvailableUpdate(enabled: boolean) {
  return useQuery<AvailableUpdate | null, ApiError>({
    queryKey: UPDATE_KEY,
    queryFn: () => checkForUpdate(),
    enabled,
    staleTime: Infinity,
  });
}

/** Settings → Updates: what this copy does about new versions. */
export function UpdatesCard() {
  const s = useStyles();
  const info = useAppInfo();
  return (
    <Card className={s.card} aria-labelledby="updates-title">
      <Subtitle2 as="h2" id="updates-title" className={s.heading}>
        Updates
      </Subtitle2>
      {info.data ? (
        <>
          <Text data-testid="updates-version">
            Elevate {info.data.version} ({info.data.build})
          </Text>
          <Text className={s.muted} data-testid="updates-status">
            {STATUS_TEXT[info.data.updates]}
          </Text>
        </>
      ) : info.isError ? (
        <ErrorBar error={toApiError(info.error)} onRetry={() => void info.refetch()} />
      ) : (
        <Spinner size="tiny" label="Reading the version…" />
      )}
    </Card>
  );
}

/** A bar at the top of every page when a verified newer version is waiting. */
export function UpdateBar({ className }: { className?: string }) {
  const info = useAppInfo();
  const update = useAvailableUpdate(info.data?.updates === "automatic");
  const install = useMutation<void, ApiError>({ mutationFn: () => installUpdate() });
  if (!update.data) return null;
  return (
    <div className={className}>
      <MessageBar intent="info" data-testid="update-available" aria-live="polite">
        <MessageBarBody>
          <MessageBarTitle>Elevate {update.data.version} is available.</MessageBarTitle>
          Elevate restarts to install it; a running activation or clean-up should finish first.
        </MessageBarBody>
        <MessageBarActions>
          <Button
            appearance="primary"
            size="small"
            data-testid="update-install"
            disabled={install.isPending}
            onClick={() => install.mutate()}
          >
            {install.isPending ? "Installing…" : "Restart and update"}
          </Button>
        </MessageBarActions>
      </MessageBar>
      {install.error ? <ErrorBar error={toApiError(install.error)} /> : null}
    </div>
  );
}
