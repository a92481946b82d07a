import { useEffect } from 'react';

/**
 * When what had the keyboard focus disappears (a button that sent the message and left the
 * composer, a list that gave way to the message, a form closed), the browser drops the focus
 * to the page and a keyboard user starts again from the top. This puts it on the heading of
 * what is now shown instead, so the next Tab continues from there.
 */
export function useFocusRescue(): void {
  useEffect(() => {
    const onFocusOut = (event: FocusEvent) => {
      const lost = event.target;
      if (!(lost instanceof HTMLElement)) return;
      // After React has finished the change that removed it.
      setTimeout(() => {
        if (lost.isConnected) return;
        if (document.activeElement && document.activeElement !== document.body) return;
        const heading = document.querySelector<HTMLElement>('main h1');
        if (!heading) return;
        if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
        heading.focus();
      }, 0);
    };
    document.addEventListener('focusout', onFocusOut);
    return () => document.removeEventListener('focusout', onFocusOut);
  }, []);
}
