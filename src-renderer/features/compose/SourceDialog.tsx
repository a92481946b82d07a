import type { ReactNode } from 'react';
import { useModal } from '../../components/use-modal.ts';

/** A modal showing text (the message source, or a dry run's transcript); Esc or Close ends it. */
export function TextDialog({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  const ref = useModal();
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
