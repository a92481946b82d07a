import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { offeredActions, type OutboxAction } from './outbox-actions.ts';

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

  const run: Record<OutboxAction, () => void> = {
    undo: () => void undo(),
    retry: () => void act(api['outbox.retryNow']({ id: item.id })),
    resend: () => void act(api['outbox.resend']({ id: item.id })),
    'mark-sent': () => void act(api['outbox.markSent']({ id: item.id })),
    cancel: () => void act(api['outbox.cancel']({ id: item.id })),
    edit: () => {
      if (draft) onEdit(draft);
    },
  };
  const { actions, note } = offeredActions(item, draft !== null);

  if (actions.length === 0 && !error) return null;
  return (
    <div className="actions-bar">
      {note ? <p className="muted">{note}</p> : null}
      <div className="form-actions">
        {actions.map((a) => (
          <button
            key={a.action}
            type="button"
            className={`button${a.primary ? ' primary' : ''}`}
            onClick={run[a.action]}
          >
            {a.label}
          </button>
        ))}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
