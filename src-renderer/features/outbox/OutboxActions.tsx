import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

type Props = { item: OutboxItem; draft: DraftContent | null; onEdit: (draft: DraftContent) => void };

/** What the person can do with a message in its current state. */
export function OutboxActions({ item, draft, onEdit }: Props) {
  const api = useApi();
  const [error, setError] = useState<AppError | null>(null);

  const act = async (call: Promise<{ ok: true } | { ok: false; error: AppError }>) => {
    const result = await call;
    setError(result.ok ? null : result.error);
  };
  const undo = async () => {
    const result = await api['outbox.undo']({ id: item.id });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onEdit(result.value);
  };

  const buttons: { label: string; run: () => void; primary?: boolean }[] = [];
  if (item.state === 'queued' && item.attemptCount === 0)
    buttons.push({ label: 'Undo and edit', run: () => void undo(), primary: true });
  if (item.state === 'deferred' || item.state === 'failed')
    buttons.push({ label: 'Retry now', run: () => void act(api['outbox.retryNow']({ id: item.id })), primary: true });
  if (item.state === 'uncertain') {
    buttons.push({
      label: 'Resend (same Message-ID)',
      run: () => void act(api['outbox.resend']({ id: item.id })),
      primary: true,
    });
    buttons.push({ label: 'Mark as sent', run: () => void act(api['outbox.markSent']({ id: item.id })) });
  }
  if (item.state === 'queued' || item.state === 'deferred')
    buttons.push({ label: 'Cancel sending', run: () => void act(api['outbox.cancel']({ id: item.id })) });
  if (draft && (item.state === 'failed' || item.state === 'cancelled' || item.state === 'sent'))
    buttons.push({ label: 'Edit as new', run: () => onEdit(draft) });

  if (buttons.length === 0 && !error) return null;
  return (
    <div className="actions-bar">
      {item.state === 'uncertain' ? (
        <p className="muted">
          The server may or may not have it. Ask a recipient, then resend it (it keeps its Message-ID, so duplicates can
          be recognised) or mark it as sent.
        </p>
      ) : null}
      <div className="form-actions">
        {buttons.map((b) => (
          <button key={b.label} type="button" className={`button${b.primary ? ' primary' : ''}`} onClick={b.run}>
            {b.label}
          </button>
        ))}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
