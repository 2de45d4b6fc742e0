import { Button, Caption1, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { Dismiss20Regular } from "@fluentui/react-icons";
import { n } from "../../lib/inventory";
import { ErrorBar } from "../ErrorBar";
import { addMeWorking, type AddMeState } from "./useAddMeToFailed";

const useStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  reason: { overflowWrap: "anywhere" },
  status: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2, minHeight: "24px" },
});

type Props = {
  state: AddMeState;
  onRetry: () => void;
  onDismiss: () => void;
  onOpenRoles: () => void;
};

/** Add me's way through (preflight, adding, reading again), and how it ended. */
export function AddMeStatus({ state, onRetry, onDismiss, onOpenRoles }: Props) {
  const s = useStyles();
  const dismiss = <Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={onDismiss} />;
  if (addMeWorking(state))
    return (
      <div className={s.status} data-testid="inv-addme-status" aria-live="polite">
        <Spinner size="tiny" aria-hidden />
        <Caption1>
          {state.step === "checking"
            ? `Checking what Add me needs in ${n(state.ids.length, "environment")}…`
            : state.step === "adding"
              ? `Adding you as System Administrator: ${state.done} of ${state.total}${state.latest ? ` · ${state.latest}` : ""}`
              : `${state.message ?? ""} Reading them again…`}
        </Caption1>
      </div>
    );
  if (state.step === "done")
    return (
      <MessageBar intent={state.notAdded.length ? "warning" : "success"} layout="multiline" data-testid="inv-addme-done">
        <MessageBarBody>
          {state.message} Read again.
          {state.notAdded.length ? (
            <ul className={s.list}>
              {state.notAdded.map((x) => (
                <li key={x.name} className={s.reason}>
                  {x.name}: {x.message}
                </li>
              ))}
            </ul>
          ) : null}
        </MessageBarBody>
        <MessageBarActions containerAction={dismiss} />
      </MessageBar>
    );
  if (state.step === "blocked")
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="inv-addme-blocked">
        <MessageBarBody>
          <MessageBarTitle>Nothing was sent: Add me would not work yet</MessageBarTitle>
          {/* The preflight's own fix speaks of the Add me dialog's guided activation: here, My roles. */}
          {state.message}.{" "}
          {state.role ? (
            <>
              <Link as="button" type="button" data-testid="inv-addme-roles" onClick={onOpenRoles}>
                Activate {state.role} in My roles
              </Link>
              , then try again.
            </>
          ) : (
            state.fix
          )}
        </MessageBarBody>
        <MessageBarActions containerAction={dismiss} />
      </MessageBar>
    );
  return state.error ? <ErrorBar error={state.error} onRetry={onRetry} /> : null;
}
