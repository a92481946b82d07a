import { useEffect, useRef, useState } from 'react';

/**
 * A native modal <dialog>: opened on mount (focus is trapped inside, Esc cancels), and on
 * close the focus goes back to what had it before (the button that opened it), not to the page.
 */
export function useModal() {
  const ref = useRef<HTMLDialogElement>(null);
  // Read while rendering, before the dialog's own autoFocus moves the focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    ref.current?.showModal();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  return ref;
}
