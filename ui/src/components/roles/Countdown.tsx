import { Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { countdownText, endsSoon, hhmm, timeLeft } from "../../lib/roles";

const useStyles = makeStyles({
  text: { fontVariantNumeric: "tabular-nums" },
  soon: { color: tokens.colorStatusWarningForeground2, fontWeight: tokens.fontWeightSemibold },
  ended: { color: tokens.colorNeutralForeground3 },
});

/** The current time, refreshed every `ms` (and when the window comes back into view). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const t = setInterval(tick, ms);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(t);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [ms]);
  return now;
}

type Props = {
  end: string;
  /** Put before the time left: "Power Platform Administrator — 59 min left". Implies `short`. */
  label?: string;
  /** "59 min left" without "· until 14:32". */
  short?: boolean;
  "data-testid"?: string;
};

/** "1 h 59 min left · until 14:32", live; warning colour in the last 10 minutes. */
export function Countdown({ end, label, short = !!label, "data-testid": testId = "countdown" }: Props) {
  const s = useStyles();
  const now = useNow();
  const ended = new Date(end).getTime() <= now;
  const left = short ? (ended ? `ended at ${hhmm(end)}` : `${timeLeft(new Date(end).getTime() - now)} left`) : countdownText(end, now);
  const text = label ? `${label} — ${left}` : left;
  return (
    <Text
      className={mergeClasses(s.text, ended ? s.ended : endsSoon(end, now) ? s.soon : undefined)}
      data-testid={testId}
      data-ends-soon={!ended && endsSoon(end, now) ? "true" : undefined}
      role="timer"
      aria-live="off"
      title={new Date(end).toLocaleString()}
    >
      {text}
    </Text>
  );
}
