import { useEffect, useRef, type ReactNode } from 'react';

/** A modal showing text (the message source, or a dry run's transcript); Esc or Close ends it. */
export function TextDialog({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog wide"
      aria-labelledby="text-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="text-dialog-title">{title}</h2>
      {children}
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
