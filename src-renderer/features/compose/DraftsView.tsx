import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import { useApi } from '../../api/api-context.tsx';
import { useQuery } from '../../api/use-query.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

/** Drafts, newest first: open one to go on writing, or discard it. */
export function DraftsView({ onOpen }: { onOpen: (content: DraftContent, id: string) => void }) {
  const api = useApi();
  const drafts = useQuery('drafts', () => api['drafts.list']({}));
  const [error, setError] = useState<AppError | null>(null);

  const open = async (id: string) => {
    const result = await api['drafts.get']({ id });
    if (result.ok) onOpen(result.value.content, id);
    else setError(result.error);
  };
  const discard = async (id: string, subject: string) => {
    if (!window.confirm(`Discard the draft "${subject || '(no subject)'}"? It cannot be brought back.`)) return;
    const result = await api['drafts.delete']({ id });
    if (!result.ok) setError(result.error);
    drafts.reload();
  };

  return (
    <section className="page" aria-labelledby="drafts-title">
      <header className="page-header">
        <h1 id="drafts-title">Drafts</h1>
      </header>
      {error ? <ErrorNotice error={error} title="That did not work" /> : null}
      {drafts.error ? <ErrorNotice error={drafts.error} title="Drafts could not be loaded" /> : null}
      {drafts.data && drafts.data.length === 0 ? (
        <p className="empty">No drafts. What you write is saved here every few seconds until it is sent.</p>
      ) : null}
      <ul className="draft-list card" aria-label="Drafts">
        {drafts.data?.map((d) => (
          <li key={d.id} className="draft-row">
            <button type="button" className="draft-open" onClick={() => void open(d.id)}>
              <strong>{d.subject || '(no subject)'}</strong>
              <span className="muted">{d.to || 'no recipients yet'}</span>
              <span className="muted">{new Date(d.updatedAt).toLocaleString()}</span>
            </button>
            <button
              type="button"
              className="button small"
              aria-label={`Discard draft ${d.subject || '(no subject)'}`}
              onClick={() => void discard(d.id, d.subject)}
            >
              Discard
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
