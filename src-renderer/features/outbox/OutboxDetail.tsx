import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { useQuery } from '../../api/use-query.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { AttemptCard } from '../logs/AttemptCard.tsx';
import { StateBadge } from './StateBadge.tsx';
import { stateDetail } from './state-detail.ts';

export function OutboxDetail({ id }: { id: string }) {
  const api = useApi();
  const detail = useQuery(`outbox.get:${id}`, () => api['outbox.get']({ id }));
  const [openAttempt, setOpenAttempt] = useState<string | null>(null);

  const reload = detail.reload;
  useEffect(
    () =>
      api.on['outbox.changed']((event) => {
        if (event.id === id) reload();
      }),
    [api, id, reload],
  );

  if (detail.error) return <ErrorNotice error={detail.error} />;
  if (!detail.data) return <p className="muted">Loading…</p>;
  const { item, attempts } = detail.data;
  const newest = attempts[0]?.id ?? null;

  return (
    <article className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <h2 id="detail-title">{item.subject || '(no subject)'}</h2>
        <StateBadge state={item.state} />
      </header>
      <dl className="summary">
        <dt>From</dt>
        <dd>{item.from}</dd>
        <dt>To</dt>
        <dd>{item.to.join(', ')}</dd>
        <dt>Message-ID</dt>
        <dd className="mono">{item.messageId}</dd>
        <dt>Status</dt>
        <dd>{stateDetail(item)}</dd>
      </dl>
      {item.lastError && item.state !== 'sent' ? <ErrorNotice error={item.lastError} /> : null}
      <h3>Attempts</h3>
      {attempts.length === 0 ? <p className="muted">Not tried yet.</p> : null}
      <ol className="attempts">
        {attempts.map((attempt, index) => (
          <li key={attempt.id}>
            <AttemptCard attempt={attempt} number={attempts.length - index} open={(openAttempt ?? newest) === attempt.id} onToggle={() => setOpenAttempt((openAttempt ?? newest) === attempt.id ? '' : attempt.id)} />
          </li>
        ))}
      </ol>
    </article>
  );
}
