// The window arithmetic of the Environments grid, for any list of fixed-height rows: which rows
// are in view (plus a few), so a tenant's 10,000 holders scroll as fast as 10. Up to `threshold`
// rows every row is rendered (simpler for find-in-page and for tests); above it only the window.
import { useCallback, useLayoutEffect, useRef, useState } from "react";

// jsdom (and a first paint before layout) reports 0: assume a typical box until measured.
const FALLBACK_VIEWPORT = 480;

type Options = { threshold?: number; overscan?: number; head?: number };

export function useVirtualWindow(count: number, rowHeight: number, { threshold = 200, overscan = 8, head = 0 }: Options = {}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || FALLBACK_VIEWPORT);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el) setScrollTop(el.scrollTop);
  }, []);

  const virtual = count > threshold;
  const first = virtual ? Math.max(0, Math.floor(scrollTop / rowHeight) - overscan) : 0;
  const last = virtual ? Math.min(count, Math.ceil((scrollTop + viewport - head) / rowHeight) + overscan) : count;

  /** Scroll just enough to show row `i` below the sticky header. */
  const reveal = useCallback(
    (i: number) => {
      const el = ref.current;
      if (!el) return;
      const top = i * rowHeight;
      const room = (el.clientHeight || viewport) - head;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + room) el.scrollTop = top + rowHeight - room;
      setScrollTop(el.scrollTop);
    },
    [rowHeight, viewport, head],
  );

  // Rows keyed by slot when virtual: a filter updates the rows on screen in place. Any window is
  // shorter than `slots`, so keys stay unique.
  const slots = Math.ceil(viewport / rowHeight) + 2 * overscan + 2;
  const keyOf = (i: number) => (virtual ? i % slots : i);

  return { ref, onScroll, first, last, virtual, height: count * rowHeight, reveal, viewport, keyOf };
}
