import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { roleToActivate } from "../../lib/environments";
import {
  addMe,
  onElevationProgress,
  preflight,
  toApiError,
  type ActivationOutcome,
  type ApiError,
  type Elevation,
  type Environment,
  type EnvironmentList,
  type Preflight,
} from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { ActivateDialog } from "../roles/ActivateDialog";
import type { RoleLike } from "../roles/ActivationForm";
import { useMyRoles } from "../roles/queries";
import { ElevationResults } from "./ElevationResults";
import { PreflightChecklist, VerdictBanner } from "./PreflightChecklist";
import { PreflightSummary } from "./PreflightSummary";
import { ENVIRONMENTS, invalidateMembership } from "./queries";

const useStyles = makeStyles({
  surface: { maxWidth: "720px", width: "calc(100vw - 48px)" },
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  busy: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalL, ":focus-visible": { outline: "none" } },
  latest: { color: tokens.colorNeutralForeground2 },
  actions: { flexWrap: "wrap", justifyContent: "flex-end" },
  running: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
});

type Step = "checking" | "review" | "activating" | "running" | "results";
type Note = { intent: "info" | "warning" | "error"; text: string; recheck?: boolean };
type Failure = { error: ApiError; again: () => void };

/**
 * Add me, the admin center's way but explained: a preflight first (why it would fail, how to fix
 * it), then the elevation. When only an eligible role is missing, it activates that role with My
 * roles' dialog and carries on by itself.
 */
export function AddMeDialog({ environments, onClose }: { environments: readonly Environment[]; onClose: () => void }) {
  const s = useStyles();
  const qc = useQueryClient();
  const rolesQ = useMyRoles();
  // The environments as they were when the dialog opened: the page's selection may move on.
  const [targets] = useState(() => environments.map((e) => ({ id: e.id, name: e.displayName })));
  const ids = targets.map((t) => t.id);
  const single = targets.length === 1;

  const [step, setStep] = useState<Step>("checking");
  const [checks, setChecks] = useState<Preflight[] | undefined>();
  const [failed, setFailed] = useState<Failure | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const [confirmTry, setConfirmTry] = useState(false);
  const [progress, setProgress] = useState({ done: 0, total: targets.length, latest: "" });
  const [results, setResults] = useState<Elevation[]>([]);
  const [activating, setActivating] = useState<RoleLike | null>(null);
  const live = useRef(true);
  const running = useRef(false);
  const busyRef = useRef<HTMLDivElement>(null);

  const check = async (thenAdd = false) => {
    setFailed(null);
    setConfirmTry(false);
    setNote(null);
    setStep("checking");
    let list: Preflight[];
    try {
      list = await preflight(ids);
    } catch (e) {
      if (!live.current) return;
      setFailed({ error: toApiError(e), again: () => void check(thenAdd) });
      setStep("review");
      return;
    }
    if (!live.current) return;
    setChecks(list);
    if (thenAdd) {
      // After the guided activation: carry on only if the role is now seen everywhere it was missing.
      const stillMissing = list.some((p) => p.verdict === "needsActivation");
      if (!stillMissing && list.some((p) => p.verdict === "ready")) return void add(false);
      if (stillMissing)
        setNote({ intent: "warning", text: "The role is active, but Power Platform does not see it yet. Wait a minute, then check again.", recheck: true });
    }
    setStep("review");
  };

  const add = async (tryAnyway: boolean) => {
    setFailed(null);
    setConfirmTry(false);
    setNote(null);
    setProgress({ done: 0, total: ids.length, latest: "" });
    setStep("running");
    running.current = true;
    try {
      const out = await addMe({ environmentIds: ids, tryAnyway });
      if (!live.current) return;
      setResults(out);
      setStep("results");
    } catch (e) {
      if (!live.current) return;
      setFailed({ error: toApiError(e), again: () => void add(tryAnyway) });
      setStep("review");
    } finally {
      running.current = false;
      invalidateMembership(qc);
    }
  };

  // Progress for this run, subscribed before the first call; the preflight runs once on open.
  useEffect(() => {
    live.current = true;
    let off: (() => void) | undefined;
    let gone = false;
    onElevationProgress((p) => {
      if (!gone && running.current) setProgress({ done: p.done, total: p.total, latest: p.latest.environmentName });
    })
      .then((u) => (gone ? u() : (off = u)))
      .catch(() => {
        // Without events the bar waits; the results still arrive with the call.
      });
    void check();
    return () => {
      gone = true;
      live.current = false;
      off?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (step === "running" || step === "checking") busyRef.current?.focus();
  }, [step]);

  const needed = checks ? roleToActivate(checks) : undefined;
  const startActivation = () => {
    if (!needed) return;
    const eligible = rolesQ.data?.eligible.find((r) => r.roleId === needed.roleId);
    setNote(null);
    setActivating({ roleId: needed.roleId, name: eligible?.name ?? needed.name, policy: eligible?.policy });
    setStep("activating");
  };

  const activated = (outcomes: ActivationOutcome[]) => {
    const o = outcomes.find((x) => x.roleId === activating?.roleId) ?? outcomes[0];
    if (!o) return;
    if ((o.result === "active" && o.inToken) || o.result === "alreadyActive") {
      setActivating(null);
      // A partial list (no admin role was active) is complete now.
      if (qc.getQueryData<EnvironmentList>(ENVIRONMENTS)?.partial) void qc.invalidateQueries({ queryKey: ENVIRONMENTS });
      void check(true);
    } else if (o.result === "pending") {
      setNote({ intent: "info", text: "Waiting for approval — Elevate will tell you when it is decided; then click Add me again." });
    } else if (o.result === "active") {
      setNote({ intent: "warning", text: `${o.roleName} is active, but not yet in your sign-in: Power Platform may not see it for a few minutes.`, recheck: true });
    } else {
      setNote({ intent: "error", text: o.error?.message ?? "The activation failed." });
    }
  };

  const close = () => {
    if (running.current || step === "running") return;
    onClose();
  };

  if (step === "activating" && activating) {
    return (
      <ActivateDialog
        request={{ mode: "activate", roles: [activating] }}
        onOutcomes={activated}
        onClose={() => {
          setActivating(null);
          setStep((st) => (st === "activating" ? "review" : st));
        }}
      />
    );
  }

  const p = single ? checks?.[0] : undefined;
  const readyCount = checks?.filter((c) => c.verdict === "ready").length ?? 0;
  const blockedCount = checks?.filter((c) => c.verdict === "blocked").length ?? 0;
  const title = single ? `Add me to ${targets[0].name}` : `Add me to ${targets.length} environments`;

  return (
    <Dialog
      open
      modalType="modal"
      onOpenChange={(_, d) => {
        if (!d.open && d.type !== "backdropClick") close();
      }}
    >
      <DialogSurface className={s.surface} data-testid="addme-dialog" aria-busy={step === "running" || step === "checking"}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={s.content}>
            {failed ? <ErrorBar error={failed.error} onRetry={failed.again} /> : null}
            {note ? (
              <MessageBar intent={note.intent} layout="multiline" data-testid="addme-note">
                <MessageBarBody>{note.text}</MessageBarBody>
              </MessageBar>
            ) : null}
            {step === "checking" ? (
              <div ref={busyRef} tabIndex={-1} className={s.busy} data-testid="addme-checking">
                <Spinner size="small" label="Checking…" />
              </div>
            ) : step === "running" ? (
              <div ref={busyRef} tabIndex={-1} className={s.busy} aria-live="polite">
                <ProgressBar
                  data-testid="addme-progress"
                  thickness="large"
                  value={single ? undefined : progress.total ? progress.done / progress.total : 0}
                  aria-label="Adding you as System Administrator"
                />
                <Caption1 className={s.latest} data-testid="addme-progress-text">
                  {single
                    ? `Adding you to ${targets[0].name}…`
                    : `Adding you… ${progress.done} of ${progress.total} done${progress.latest ? ` (last: ${progress.latest})` : ""}`}
                </Caption1>
              </div>
            ) : step === "results" ? (
              <ElevationResults results={results} />
            ) : p ? (
              <>
                <VerdictBanner preflight={p} />
                <PreflightChecklist preflight={p} />
              </>
            ) : checks ? (
              <>
                <PreflightSummary list={checks} />
                {needed ? (
                  <MessageBar intent="warning" layout="multiline" data-testid="addme-needs-activation">
                    <MessageBarBody>
                      {needed.name} is not active. Elevate activates it once, then adds you everywhere it is the only thing missing.
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
              </>
            ) : null}
            {confirmTry ? (
              <MessageBar intent="warning" layout="multiline" data-testid="addme-try-anyway-prompt">
                <MessageBarBody>
                  {single
                    ? "The preflight says Power Platform will refuse this. Send the request anyway?"
                    : `The preflight says Power Platform will refuse ${blockedCount === 1 ? "1 of these" : `${blockedCount} of these`}. Send the requests anyway?`}
                </MessageBarBody>
              </MessageBar>
            ) : null}
          </DialogContent>
          {/* Fluid: "Activate Power Platform Administrator and continue" needs the dialog's full width. */}
          <DialogActions fluid className={s.actions}>
            {actions()}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );

  // A function, not a component: a component declared here would remount (and drop focus) on every render.
  function actions() {
    const cancel = (label = "Cancel") => (
      <Button data-testid="addme-cancel" onClick={close}>
        {label}
      </Button>
    );
    if (step === "checking") return cancel();
    if (step === "running")
      return (
        <span className={s.running}>
          <Spinner size="tiny" />
          Working…
        </span>
      );
    if (step === "results")
      return (
        <Button appearance="primary" data-testid="addme-done" autoFocus onClick={close}>
          Done
        </Button>
      );
    if (confirmTry)
      return (
        <>
          <Button appearance="primary" data-testid="addme-try-anyway-confirm" onClick={() => void add(true)}>
            Send anyway
          </Button>
          <Button data-testid="addme-try-anyway-cancel" autoFocus onClick={() => setConfirmTry(false)}>
            Cancel
          </Button>
        </>
      );
    if (!checks) return cancel("Close");
    const tryAnyway = blockedCount > 0 && (
      <Button data-testid="addme-try-anyway" onClick={() => setConfirmTry(true)}>
        Try anyway
      </Button>
    );
    const primary =
      note?.recheck ? (
        <Button appearance="primary" data-testid="addme-recheck" onClick={() => void check(true)}>
          Check again
        </Button>
      ) : needed && (!note || note.intent === "error") ? (
        // While My roles loads, the role's policy (what the form must ask) is not known yet.
        <Button appearance="primary" data-testid="addme-activate-continue" disabled={rolesQ.isPending} onClick={startActivation}>
          Activate {needed.name} and continue
        </Button>
      ) : readyCount > 0 && !needed ? (
        <Button appearance="primary" data-testid="addme-confirm" onClick={() => void add(false)}>
          {single ? "Add me" : `Add me to ${readyCount === 1 ? "1 environment" : `${readyCount} environments`}`}
        </Button>
      ) : null;
    const allDone = checks.every((c) => c.verdict === "alreadyAdmin");
    return (
      <>
        {primary}
        {tryAnyway}
        {cancel(primary ? "Cancel" : allDone || blockedCount > 0 ? "Close" : "Cancel")}
      </>
    );
  }
}
