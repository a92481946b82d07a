import { useEffect, useRef, useState } from 'react';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import { useApi } from '../../api/api-context.tsx';
import { useQuery } from '../../api/use-query.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useNow } from '../../components/use-now.ts';
import { AttemptCard } from '../logs/AttemptCard.tsx';
import { DirectLegs } from './DirectLegs.tsx';
import { OutboxActions } from './OutboxActions.tsx';
import { needsClock, stateDetail } from './state-detail.ts';
import { StateBadge } from './StateBadge.tsx';

export function OutboxDetail({
  id,
  onEdit,
  onOpen,
}: {
  id: string;
  onEdit: (draft: DraftContent) => void;
  /** Opens another message (a leg of the same direct delivery). */
  onOpen?: (id: string) => void;
}) {
  const api = useApi();
  const detail = useQuery(`outbox.get:${id}`, () => api['outbox.get']({ id }));
  const [openAttempt, setOpenAttempt] = useState<string | null>(null);
  // Another leg opened from the legs panel: its heading takes the focus once it is shown (the
  // button pressed is gone, and the focus would otherwise fall back to the page's heading).
  const title = useRef<HTMLHeadingElement>(null);
  const focusTitle = useRef(false);
  useEffect(() => {
    if (focusTitle.current && detail.data?.item.id === id) {
      focusTitle.current = false;
      title.current?.focus();
    }
  }, [detail.data, id]);
  const now = useNow(detail.data ? needsClock([detail.data.item]) : false);

  const reload = detail.reload;
  useEffect(() => {
    return api.on['outbox.changed']((event) => {
      if (event.id === id) reload();
    });
  }, [api, id, reload]);

  if (detail.error) return <ErrorNotice error={detail.error} />;
  if (!detail.data) return <p className="muted">Loading…</p>;
  const { item, attempts, draft, legs } = detail.data;
  const newest = attempts[0]?.id ?? null;

  return (
    <article className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <h2 id="detail-title" ref={title} tabIndex={-1}>
          {item.subject || '(no subject)'}
        </h2>
        <StateBadge item={item} />
      </header>
      <dl className="summary">
        <dt>From</dt>
        <dd>{item.from}</dd>
        <dt>To</dt>
        <dd>{item.to.join(', ')}</dd>
        {item.delivered.length > 0 && item.delivered.length < item.to.length ? (
          <>
            <dt>Delivered to</dt>
            <dd>{item.delivered.join(', ')}</dd>
          </>
        ) : null}
        {item.rejected.length > 0 ? (
          <>
            <dt>Refused for</dt>
            <dd>{item.rejected.map((r) => `${r.address}: ${r.reply}`).join('; ')}</dd>
          </>
        ) : null}
        <dt>Message-ID</dt>
        <dd className="mono">{item.messageId}</dd>
        <dt>Status</dt>
        <dd>
          <span role="status">{stateDetail(item, now)}</span>
        </dd>
      </dl>
      {legs.length > 0 ? (
        <DirectLegs
          legs={legs}
          current={item.id}
          {...(onOpen
            ? {
                onOpen: (leg: string) => {
                  focusTitle.current = true;
                  onOpen(leg);
                },
              }
            : {})}
        />
      ) : null}
      <OutboxActions item={item} draft={draft} onEdit={onEdit} />
      {item.lastError && item.state !== 'sent' && item.state !== 'cancelled' ? (
        <ErrorNotice error={item.lastError} />
      ) : null}
      <h3>Attempts</h3>
      {attempts.length === 0 ? <p className="muted">Not tried yet.</p> : null}
      <ol className="attempts">
        {attempts.map((attempt, index) => (
          <li key={attempt.id}>
            <AttemptCard
              attempt={attempt}
              number={attempts.length - index}
              open={(openAttempt ?? newest) === attempt.id}
              onToggle={() => setOpenAttempt((openAttempt ?? newest) === attempt.id ? '' : attempt.id)}
            />
          </li>
        ))}
      </ol>
    </article>
  );
}
