// The moment the first screen can be used, for `cargo xtask bench` (start-up figure): a
// performance mark, set once, after the frame that shows the screen has been painted.
import { useEffect } from "react";

export const INTERACTIVE_MARK = "elevate:interactive";

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
