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
import type { RoleLike } from "../roles/ActivationForm";
import { useMyRoles } from "../roles/queries";
import { ElevationResults, resultsAnnouncement } from "./ElevationResults";
import { GuidedActivation } from "./GuidedActivation";
import { PreflightChecklist, VerdictBanner } from "./PreflightChecklist";
import { PreflightSummary } from "./PreflightSummary";
import { ENVIRONMENTS } from "../../lib/queryKeys";
import { invalidateMembership } from "./queries";

const useStyles = makeStyles({
  surface: { maxWidth: "720px", width: "calc(100vw - 48px)" },
  // Heard, not seen: the results below say the same for the eye.
  announcement: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clipPath: "inset(50%)", whiteSpace: "nowrap" },
  // The content scrolls when it is taller than the window: its parts keep their height.
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, "& > *": { flexShrink: 0 } },
  busy: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalL, ":focus-visible": { outline: "none" } },
  latest: { color: tokens.colorNeutralForeground2 },
  actions: { flexWrap: "wrap", justifyContent: "flex-end" },
  running: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
});

type Step = "checking" | "review" | "running" | "results";
type Note = { intent: "info" | "warning" | "error"; text: string; recheck?: boolean };
type Failure = { error: ApiError; again: () => void };

/**
 * Add me, the admin center's way but explained: a preflight first (why it would fail, how to fix
 * it), then the elevation. When only an eligible role is missing, the activation form is right
 * below the preflight: one button activates the role, checks again and adds you.
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
  // The guided activation put the role in place (or PIM says it already was): no form again.
  const [roleActivated, setRoleActivated] = useState(false);
  const [activating, setActivating] = useState(false);
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
  // The role as My roles knows it (its PIM policy shapes the form); its policy unknown if My roles failed.
  const eligible = needed ? rolesQ.data?.eligible.find((r) => r.roleId === needed.roleId) : undefined;
  const role: RoleLike | undefined = needed && { roleId: needed.roleId, name: eligible?.name ?? needed.name, policy: eligible?.policy };
  // The form goes under the preflight once My roles says what the role's policy asks for.
  const offer = !!role && !roleActivated;
  const guided = step === "review" && offer && !rolesQ.isPending;

  const activated = (outcomes: ActivationOutcome[]) => {
    const o = outcomes.find((x) => x.roleId === needed?.roleId) ?? outcomes[0];
    if (!o) return;
    if (o.result === "active" || o.result === "alreadyActive") {
      // In the sign-in or not: the preflight says whether Power Platform sees it yet.
      setRoleActivated(true);
      // A partial list (no admin role was active) is complete now.
      if (qc.getQueryData<EnvironmentList>(ENVIRONMENTS)?.partial) void qc.invalidateQueries({ queryKey: ENVIRONMENTS });
      void check(true);
    } else if (o.result === "pending") {
      setNote({ intent: "info", text: "Waiting for approval — Elevate will tell you when it is decided; then click Add me again." });
    } else {
      setNote({ intent: "error", text: o.error?.message ?? "The activation failed." });
    }
  };

  // Escape and Cancel; never while Add me runs or (Escape) while the role is being activated.
  const leave = () => {
    if (running.current || step === "running") return;
    onClose();
  };
  const close = () => {
    if (!activating) leave();
  };

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
      <DialogSurface className={s.surface} data-testid="addme-dialog" aria-busy={step === "running" || step === "checking" || activating}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          {guided && role ? (
            <GuidedActivation role={role} onOutcomes={activated} onRunning={setActivating} onCancel={leave}>
              {messages()}
              {preflightView(true)}
            </GuidedActivation>
          ) : (
            <>
              <DialogContent className={s.content}>
                {messages()}
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
                ) : (
                  preflightView(offer)
                )}
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
              <DialogActions fluid className={s.actions}>
                {actions()}
              </DialogActions>
            </>
          )}
          {/* Always on the page, so its text changing is heard when Add me ends. */}
          <div role="status" className={s.announcement} data-testid="addme-announcement">
            {step === "results" ? resultsAnnouncement(results) : ""}
          </div>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );

  // Functions, not components: a component declared here would remount (and drop focus) on every render.
  function messages() {
    return (
      <>
        {failed ? <ErrorBar error={failed.error} onRetry={failed.again} /> : null}
        {note ? (
          <MessageBar intent={note.intent} layout="multiline" data-testid="addme-note">
            <MessageBarBody>{note.text}</MessageBarBody>
          </MessageBar>
        ) : null}
      </>
    );
  }

  /** The preflight: one environment's lines (only those that need attention above the form), or the summary. */
  function preflightView(compact: boolean) {
    if (p)
      return (
        <>
          <VerdictBanner preflight={p} />
          <PreflightChecklist preflight={p} collapsePassing={compact} />
        </>
      );
    if (!checks) return null;
    return (
      <>
        <PreflightSummary list={checks} compact={compact} />
        {offer && needed ? (
          <MessageBar intent="warning" layout="multiline" data-testid="addme-needs-activation">
            <MessageBarBody>
              {needed.name} is not active. Elevate activates it once, then adds you everywhere it is the only thing missing.
            </MessageBarBody>
          </MessageBar>
        ) : null}
      </>
    );
  }

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
          <Spinner size="tiny" aria-hidden />
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
    const tryAnyway = blockedCount > 0 && !offer && (
      <Button data-testid="addme-try-anyway" onClick={() => setConfirmTry(true)}>
        Try anyway
      </Button>
    );
    const primary =
      note?.recheck || (needed && roleActivated) ? (
        <Button appearance="primary" data-testid="addme-recheck" onClick={() => void check(true)}>
          Check again
        </Button>
      ) : needed ? (
        // While My roles loads, the role's policy (what the form must ask) is not known yet.
        <Button appearance="primary" data-testid="addme-activate-continue" disabled>
          Activate {needed.name} and add me
        </Button>
      ) : readyCount > 0 ? (
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
