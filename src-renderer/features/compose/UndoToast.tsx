import { useEffect, useEffectEvent, useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import { useApi } from '../../api/api-context.tsx';
import { useNow } from '../../components/use-now.ts';

/** "Sending in 5 s · Undo": the last chance to take a message back. */
export function UndoToast({
  id,
  until,
  onUndone,
  onDone,
}: {
  id: string;
  until: number;
  onUndone: (draft: DraftContent) => void;
  onDone: () => void;
}) {
  const api = useApi();
  const now = useNow(true);
  const [error, setError] = useState<AppError | null>(null);
  const left = Math.ceil((until - now) / 1000);
  const expired = left <= 0;

  // Once the delay is over the toast says "Sending…" briefly, then goes away by itself.
  useEffect(() => {
    if (!expired || error) return;
    const timer = setTimeout(onDone, 1500);
    return () => clearTimeout(timer);
  }, [expired, error, onDone]);

  async function undo() {
    const result = await api['outbox.undo']({ id });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onUndone(result.value);
  }

  // Esc closes the notice, unless a dialog is open (Esc is its own). Ctrl+Z is the app's
  // (use-undo-send.ts): it works as long as the delay runs, shown or not.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.key === 'Escape' && !document.querySelector('dialog[open]')) onDone();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  return (
    <div className="toast" role="status" aria-live="polite">
      {error ? <span>{error.message}</span> : <span>{left > 0 ? `Sending in ${left} s` : 'Sending…'}</span>}
      {left > 0 && !error ? (
        <button type="button" className="button" onClick={() => void undo()} title="Undo (Ctrl+Z)">
          Undo
        </button>
      ) : null}
      <button type="button" className="button link" onClick={onDone} aria-label="Close">
        ×
      </button>
    </div>
  );
}
