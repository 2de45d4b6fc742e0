// The moment the first screen can be used, for `cargo xtask bench` (start-up figure): a
// performance mark, set once, after the frame that shows the screen has been painted.
import { useEffect } from "react";

export const INTERACTIVE_MARK = "elevate:interactive";

/** Steps on the way there, for the bench's breakdown: scripts running, session asked, answered. */
export type StartupStep = "scripts" | "session-asked" | "session-answered";

export function markStartup(step: StartupStep): void {
  if (typeof performance.mark !== "function" || typeof performance.getEntriesByName !== "function") return;
  const name = `elevate:${step}`;
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

export function useMarkInteractive(ready: boolean): void {
  useEffect(() => {
    // Test DOMs (jsdom) have no User Timing.
    if (!ready || typeof performance.mark !== "function" || typeof performance.getEntriesByName !== "function") return;
    if (performance.getEntriesByName(INTERACTIVE_MARK).length > 0) return;
    // The frame after the commit is the one on screen.
    const id = requestAnimationFrame(() => {
      if (performance.getEntriesByName(INTERACTIVE_MARK).length === 0) performance.mark(INTERACTIVE_MARK);
    });
    return () => cancelAnimationFrame(id);
  }, [ready]);
}
