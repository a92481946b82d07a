import { useEffect, useRef } from 'react';

/** Whether the person can see the element (a narrow window hides the list while a message is open). */
function inSight(element: Element | null): boolean {
  if (!(element instanceof HTMLElement) || element === document.body || !element.isConnected) return false;
  return typeof element.checkVisibility === 'function' ? element.checkVisibility() : true;
}

/**
 * In a narrow window the list and the open message take turns (`.split` in styles.css): the row
 * pressed is hidden as the message opens, and "Back to the list" is gone once pressed, so the
 * focus would fall to the page. After such a turn it goes to the other side instead: "Back to
 * the list" when a message opened, the row it came from when the list is back. In a wide window
 * both stay in sight and the focus is left where it is.
 */
export function useTakeTurnsFocus(selected: string | null) {
  const back = useRef<HTMLButtonElement>(null);
  const row = useRef<{ element: HTMLElement; id: string } | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const turned = useRef(false);
  useEffect(() => {
    if (!turned.current) return;
    turned.current = false;
    if (inSight(document.activeElement)) return;
    if (selected !== null) {
      back.current?.focus();
      return;
    }
    // A virtual list draws its rows anew once it is shown again: the row is found by its id,
    // over the next frames; failing that, the list's heading takes the focus.
    const focusRow = (framesLeft: number) => {
      const remembered = row.current;
      const target = inSight(remembered?.element ?? null)
        ? remembered?.element
        : document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(remembered?.id ?? '')}"]`);
      if (target && inSight(target)) target.focus();
      else if (framesLeft > 0) requestAnimationFrame(() => focusRow(framesLeft - 1));
      else listHeading.current?.focus();
    };
    focusRow(3);
  }, [selected]);
  return {
    back,
    listHeading,
    /** A row (marked `data-row-id`) was pressed: remember it, for the way back. */
    fromRow(element: HTMLElement, id: string) {
      row.current = { element, id };
      turned.current = true;
    },
    fromBack() {
      turned.current = true;
    },
  };
}
