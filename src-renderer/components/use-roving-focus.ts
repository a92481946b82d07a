import { useState, type KeyboardEvent } from 'react';

/**
 * One tab stop for a row of buttons (a toolbar): Tab reaches the current one, the arrow keys,
 * Home and End move between them (WAI-ARIA toolbar pattern).
 */
export function useRovingFocus(count: number) {
  const [current, setCurrent] = useState(0);
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = (target + count) % count;
    setCurrent(next);
    const buttons = event.currentTarget.querySelectorAll<HTMLElement>('[data-roving]');
    buttons[next]?.focus();
  };
  return {
    onKeyDown,
    /** Props for the button at `index`. */
    item: (index: number) => ({
      'data-roving': '',
      tabIndex: index === current ? 0 : -1,
      onFocus: () => setCurrent(index),
    }),
  };
}
