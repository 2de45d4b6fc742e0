// The moment the first screen can be used, for `cargo xtask bench` (start-up figure): a
// performance mark, set once, after the frame that shows the screen has been painted.
import { useEffect } from "react";

export const INTERACTIVE_MARK = "elevate:interactive";

/** Steps on the way there, for the bench's breakdown: scripts running, session asked, answered. */
export type StartupStep = "scripts" | "session-asked" | "session-answered";

export function markStartup(step: StartupStep): void {
  if (canMark()) markOnce(`elevate:${step}`);
}

export function useMarkInteractive(ready: boolean): void {
  useEffect(() => {
    if (!ready || !canMark() || performance.getEntriesByName(INTERACTIVE_MARK).length > 0) return;
    // The frame after the commit is the one on screen.
    const id = requestAnimationFrame(() => markOnce(INTERACTIVE_MARK));
    return () => cancelAnimationFrame(id);
  }, [ready]);
}

/** Test DOMs (jsdom) have no User Timing. */
function canMark(): boolean {
  return typeof performance.mark === "function" && typeof performance.getEntriesByName === "function";
}

function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}
