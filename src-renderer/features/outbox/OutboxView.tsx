import type { AppError } from '../../../src-main/shared/errors.ts';
import type { OutboxItem } from '../../../src-main/shared/models.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { OutboxDetail } from './OutboxDetail.tsx';
import { StateBadge } from './StateBadge.tsx';
import { stateDetail } from './state-detail.ts';

type Props = { items: OutboxItem[]; error: AppError | null; selected: string | null; onSelect: (id: string) => void; onCompose: () => void };

export function OutboxView({ items, error, selected, onSelect, onCompose }: Props) {
  return (
    <div className="split">
      <section className="list-pane" aria-labelledby="outbox-title">
        <header className="page-header">
          <h1 id="outbox-title">Outbox</h1>
        </header>
        {error ? <ErrorNotice error={error} title="The outbox could not be loaded" /> : null}
        {items.length === 0 ? (
          <div className="empty">
            <p>Nothing sent yet.</p>
            <button type="button" className="button primary" onClick={onCompose}>
              Write a message
            </button>
          </div>
        ) : (
          <ul className="message-list" aria-label="Messages">
            {items.map((item) => (
              <li key={item.id}>
                <button type="button" className={`message-row${item.id === selected ? ' selected' : ''}`} aria-current={item.id === selected ? 'true' : undefined} onClick={() => onSelect(item.id)}>
                  <span className="row-top">
                    <StateBadge state={item.state} />
                    <span className="row-to">{item.to.join(', ')}</span>
                  </span>
                  <span className="row-subject">{item.subject || '(no subject)'}</span>
                  <span className="row-detail">{stateDetail(item)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="detail-pane" aria-label="Message details">
        {selected ? <OutboxDetail id={selected} /> : <p className="muted empty">Select a message to see what happened to it.</p>}
      </section>
    </div>
  );
}
