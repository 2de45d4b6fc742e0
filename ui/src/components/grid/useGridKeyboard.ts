import { useState, type KeyboardEvent } from "react";

type Options = {
  count: number;
  /** Rows a PageUp/PageDown moves. */
  page: number;
  /** The keyboard's row moved to `index` (already in range). */
  onMove: (index: number) => void;
  /** Space on the keyboard's row. */
  onToggle: (index: number) => void;
  /** Enter on the keyboard's row; without it Enter is left to the page. */
  onOpen?: (index: number) => void;
  /** True when ArrowDown should take the keyboard's row itself (nothing chosen yet), not the next. */
  stayOnFirstDown?: () => boolean;
};

/**
 * The grids' keyboard: one tab stop, the arrows, Home/End and PageUp/PageDown move the keyboard's
 * row (aria-activedescendant), Space ticks it, Enter opens it. Keys on the header's buttons and
 * checkboxes are theirs.
 */
export function useGridKeyboard({ count, page, onMove, onToggle, onOpen, stayOnFirstDown }: Options) {
  const [activeIndex, setActive] = useState(0);
  const active = Math.min(activeIndex, Math.max(0, count - 1));

  const moveTo = (i: number) => {
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, i));
    setActive(next);
    onMove(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget) return;
    switch (e.key) {
      case "ArrowDown":
        moveTo(stayOnFirstDown?.() ? active : active + 1);
        break;
      case "ArrowUp":
        moveTo(active - 1);
        break;
      case "PageDown":
        moveTo(active + page);
        break;
      case "PageUp":
        moveTo(active - page);
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(count - 1);
        break;
      case " ":
        if (count > 0) onToggle(active);
        break;
      case "Enter":
        if (!onOpen) return;
        if (count > 0) onOpen(active);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return { active, setActive, onKeyDown };
}
