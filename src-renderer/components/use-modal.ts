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
    const dialog = ref.current;
    dialog?.showModal();
    // The browser's own undo (Ctrl+Z) would reach the text behind the dialog and change what
    // is about to be sent, unseen: inside a dialog it undoes only in the dialog's own fields.
    const keepUndoInside = (event: KeyboardEvent) => {
      const undo = (event.ctrlKey || event.metaKey) && ['z', 'y'].includes(event.key.toLowerCase());
      const inField = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (undo && !inField) event.preventDefault();
    };
    dialog?.addEventListener('keydown', keepUndoInside);
    return () => {
      dialog?.removeEventListener('keydown', keepUndoInside);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  return ref;
}
