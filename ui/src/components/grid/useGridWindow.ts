import { observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useRef } from "react";
import { ROW_HEIGHT } from "./gridStyles";

const OVERSCAN = 8;
// jsdom (and a first paint before layout) reports 0: assume a typical box until measured.
const FALLBACK_VIEWPORT = 600;

/**
 * Which rows of a scrolling box of fixed-height rows are in view (plus a few), from TanStack
 * Virtual. `headPx` is the sticky header above the rows; not `virtual`, every row is rendered.
 */
export function useGridWindow(count: number, headPx: number, virtual: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  // The scroll offset comes through React's onScroll (and `reveal`), so a keyboard move that
  // scrolls re-renders the window at once, in jsdom too.
  const offsetListener = useRef<((offset: number, scrolling: boolean) => void) | null>(null);
  const v = useVirtualizer({
    count,
    getScrollElement: () => ref.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: virtual ? OVERSCAN : count,
    scrollMargin: headPx,
    initialRect: { width: 0, height: FALLBACK_VIEWPORT },
    observeElementRect: (instance, cb) => observeElementRect(instance, (r) => cb(r.height ? r : { width: r.width, height: FALLBACK_VIEWPORT })),
    observeElementOffset: (instance, cb) => {
      offsetListener.current = cb;
      cb(instance.scrollElement?.scrollTop ?? 0, false);
      return () => void (offsetListener.current = null);
    },
  });
  const viewport = v.scrollRect?.height || FALLBACK_VIEWPORT;
  const onScroll = useCallback(() => offsetListener.current?.(ref.current?.scrollTop ?? 0, true), []);

  /** Scroll just enough to show row `i` below the sticky header (or to the top: -1). */
  const reveal = (i: number) => {
    const el = ref.current;
    if (!el) return;
    const top = i * ROW_HEIGHT;
    const room = (el.clientHeight || viewport) - headPx;
    if (i < 0) el.scrollTop = 0;
    else if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + room) el.scrollTop = top + ROW_HEIGHT - room;
    offsetListener.current?.(el.scrollTop, false);
  };

  const shown = v.getVirtualItems().map((it) => it.index);
  // Rows are keyed by slot, not by item: a new filter or sort updates the rows on screen in
  // place instead of unmounting and mounting them (Fluent checkboxes are not free). Any window
  // is shorter than `slots`, so keys stay unique.
  const slots = Math.max(shown.length, Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2);
  return {
    ref,
    onScroll,
    reveal,
    shown,
    first: shown.length ? shown[0] : 0,
    last: shown.length ? shown[shown.length - 1] + 1 : 0,
    keyOf: (i: number) => (virtual ? i % slots : i),
    /** Rows a PageUp/PageDown moves. */
    page: Math.max(1, Math.floor((viewport - headPx) / ROW_HEIGHT) - 1),
  };
}
