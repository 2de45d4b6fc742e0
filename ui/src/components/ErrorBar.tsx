import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ApiError } from "../platform";
import { CopyButton } from "./CopyButton";

const useStyles = makeStyles({
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, paddingBlock: tokens.spacingVerticalXS },
  message: { whiteSpace: "normal", overflowWrap: "anywhere" },
  detail: { color: tokens.colorNeutralForeground2, overflowWrap: "anywhere" },
  correlation: {
    display: "flex",
    alignItems: "center",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground2,
  },
  id: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
});

type Props = {
  error: ApiError;
  onRetry?: () => void;
  retryLabel?: string;
  className?: string;
};

/** One way to show an ApiError: the message, the correlation id (copyable), and Try again. */
export function ErrorBar({ error, onRetry, retryLabel = "Try again", className }: Props) {
  const s = useStyles();
  return (
    <MessageBar intent="error" layout="multiline" data-testid="error-bar" className={className}>
      <MessageBarBody className={s.body}>
        <Text className={s.message}>{error.message}</Text>
        {error.detail ? (
          <Text size={200} className={s.detail}>
            {error.detail}
          </Text>
        ) : null}
        {error.correlationId ? (
          <span className={s.correlation}>
            <Text size={200}>Correlation ID:</Text>
            <Text size={200} className={s.id} data-testid="error-correlation-id">
              {error.correlationId}
            </Text>
            <CopyButton text={error.correlationId} what="correlation ID" />
          </span>
        ) : null}
      </MessageBarBody>
      {onRetry ? (
        <MessageBarActions>
          <Button data-testid="error-retry" onClick={onRetry}>
            {retryLabel}
          </Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
