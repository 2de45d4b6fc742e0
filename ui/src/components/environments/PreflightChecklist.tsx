import { Body1, Caption1, Link, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { CheckmarkCircle20Filled, DismissCircle20Filled, Info20Filled, Warning20Filled } from "@fluentui/react-icons";
import { useState } from "react";
import { endsWords } from "../../lib/environments";
import type { CheckStatus, Preflight, PreflightCheck } from "../../platform";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  line: {
    display: "grid",
    gridTemplateColumns: "20px minmax(0, 1fr)",
    columnGap: tokens.spacingHorizontalS,
    rowGap: "2px",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  // A line that makes Power Platform refuse: the one to read first.
  failLine: {
    backgroundColor: tokens.colorStatusDangerBackground1,
    boxShadow: `inset 3px 0 0 ${tokens.colorStatusDangerBorderActive}`,
  },
  icon: { gridRow: "1 / span 3", paddingTop: "1px" },
  pass: { color: tokens.colorStatusSuccessForeground1 },
  fail: { color: tokens.colorStatusDangerForeground1 },
  warn: { color: tokens.colorStatusWarningForeground1 },
  info: { color: tokens.colorBrandForeground1 },
  title: { fontWeight: tokens.fontWeightSemibold },
  detail: { color: tokens.colorNeutralForeground2 },
  fix: { color: tokens.colorNeutralForeground2, gridColumn: "2" },
  fixLabel: { fontWeight: tokens.fontWeightSemibold },
  toggle: { alignSelf: "flex-start", fontSize: tokens.fontSizeBase200 },
  wrap: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  srOnly: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

const STATUS_WORDS: Record<CheckStatus, string> = { pass: "OK", fail: "Problem", warn: "Warning", info: "Note" };

function StatusIcon({ status }: { status: CheckStatus }) {
  const s = useStyles();
  switch (status) {
    case "pass":
      return <CheckmarkCircle20Filled className={s.pass} aria-hidden />;
    case "fail":
      return <DismissCircle20Filled className={s.fail} aria-hidden />;
    case "warn":
      return <Warning20Filled className={s.warn} aria-hidden />;
    case "info":
      return <Info20Filled className={s.info} aria-hidden />;
  }
}

function CheckLine({ check }: { check: PreflightCheck }) {
  const s = useStyles();
  return (
    <li className={mergeClasses(s.line, check.status === "fail" && s.failLine)} data-testid="preflight-check" data-kind={check.kind} data-status={check.status}>
      <span className={s.icon}>
        <StatusIcon status={check.status} />
      </span>
      <Body1 className={s.title}>
        <span className={s.srOnly}>{STATUS_WORDS[check.status]}: </span>
        {check.title}
      </Body1>
      <Caption1 className={s.detail}>{check.detail}</Caption1>
      {check.fix ? (
        <Caption1 className={s.fix} data-testid="preflight-fix">
          <span className={s.fixLabel}>How to fix: </span>
          {check.fix}
        </Caption1>
      ) : null}
    </li>
  );
}

/** What the verdict means in one sentence, above the lines. */
export function VerdictBanner({ preflight }: { preflight: Preflight }) {
  const p = preflight;
  const fails = p.checks.filter((c) => c.status === "fail").length;
  const [intent, title, body] =
    p.verdict === "ready"
      ? ([
          "success",
          "Ready",
          `Add me will work. You will be System Administrator ${endsWords(p.endsAt)}${p.reliedRole ? `, through ${p.reliedRole}` : ""}.`,
        ] as const)
      : p.verdict === "alreadyAdmin"
        ? ([
            "info",
            "Already System Administrator",
            "You already are System Administrator here. Microsoft's API would answer success anyway, so Elevate sends nothing.",
          ] as const)
        : p.verdict === "needsActivation"
          ? ([
              "warning",
              "One step first",
              `${p.activate?.name ?? "An admin role"} is not active. It is the only thing missing: Elevate can activate it and then add you.`,
            ] as const)
          : ([
              "error",
              "Power Platform will refuse this",
              fails === 1 ? "One problem below stands in the way." : `${fails} problems below stand in the way.`,
            ] as const);
  return (
    <MessageBar intent={intent} layout="multiline" data-testid="preflight-verdict" data-verdict={p.verdict}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {body}
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * The preflight of one environment: each line with its reason and, when possible, the fix. With
 * `collapsePassing` (room is short: a form follows), only the lines that need attention show until
 * "Show all N checks".
 */
export function PreflightChecklist({ preflight, collapsePassing = false }: { preflight: Preflight; collapsePassing?: boolean }) {
  const s = useStyles();
  const [showAll, setShowAll] = useState(false);
  const all = preflight.checks;
  const hidden = collapsePassing ? all.filter((c) => c.status === "pass").length : 0;
  const shown = hidden === 0 || showAll ? all : all.filter((c) => c.status !== "pass");
  const list = (
    <ul className={s.list} id={`preflight-${preflight.environmentId}`} aria-label={`Preflight for ${preflight.environmentName}`} data-testid="preflight-checklist">
      {shown.map((c) => (
        <CheckLine key={c.kind} check={c} />
      ))}
    </ul>
  );
  if (hidden === 0) return list;
  return (
    <div className={s.wrap}>
      {list}
      <Link
        as="button"
        type="button"
        className={s.toggle}
        aria-expanded={showAll}
        aria-controls={`preflight-${preflight.environmentId}`}
        data-testid="preflight-show-all"
        onClick={() => setShowAll((v) => !v)}
      >
        {showAll ? "Show only what needs attention" : `Show all ${all.length} checks (${hidden} passed)`}
      </Link>
    </div>
  );
}
