import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { OUTBOX_STATES } from '../../../src-main/shared/defaults.ts';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import { plural } from '../../../src-main/shared/wording.ts';
import { BackToList } from '../../components/BackToList.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useTakeTurnsFocus } from '../../components/use-take-turns-focus.ts';
import { OutboxDetail } from '../outbox/OutboxDetail.tsx';
import { STATE_WORDS, StateBadge } from '../outbox/StateBadge.tsx';
import { formatRowTime } from './row-time.ts';
import { useLogPages, type LogFilters } from './use-log-pages.ts';

const ROW_HEIGHT = 64;

/** Every message and attempt, searchable: full text, filters, and a list that stays light at any size. */
type Props = {
  accounts: Account[];
  onEdit: (draft: DraftContent) => void;
  title?: 'Logs' | 'Sent';
  fixedState?: LogFilters['state'];
  /** Opened with Ctrl+F from another view: the search takes the focus. */
  autoFocusSearch?: boolean;
};

/** Also the Sent view (fixed to `sent`): both page through the store, whatever its size. */
export function LogsView({ accounts, onEdit, title = 'Logs', fixedState, autoFocusSearch = false }: Props) {
  const [filters, setFilters] = useState<LogFilters>({
    text: '',
    accountId: '',
    state: fixedState ?? '',
    recipient: '',
    since: '',
    until: '',
  });
  const [selected, setSelected] = useState<string | null>(null);
  const { back, listHeading, fromRow, fromBack } = useTakeTurnsFocus(selected);
  const { total, itemAt, error } = useLogPages(filters);
  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  // TanStack Virtual hands back new functions each render by design; this app does not use the
  // React Compiler, so the warning about automatic memoisation does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={`split${selected ? ' has-selection' : ''}`}>
      <section className="list-pane logs" aria-labelledby="logs-title">
        <header className="page-header">
          <h1 id="logs-title" ref={listHeading} tabIndex={-1}>
            {title}
          </h1>
          <span className="muted" role="status">
            {total === null ? '' : plural(total, 'message')}
          </span>
        </header>
        <div className="log-filters">
          <input
            ref={searchBox}
            autoFocus={autoFocusSearch}
            type="search"
            aria-label="Search subjects, addresses and transcripts"
            placeholder="Search (Ctrl+F)"
            value={filters.text}
            onChange={(e) => set('text', e.target.value)}
          />
          <div className="filter-row">
            <select aria-label="Account" value={filters.accountId} onChange={(e) => set('accountId', e.target.value)}>
              <option value="">All accounts</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
            {fixedState ? null : (
              <select
                aria-label="State"
                value={filters.state}
                onChange={(e) => set('state', e.target.value as LogFilters['state'])}
              >
                <option value="">Any state</option>
                {OUTBOX_STATES.map((s) => (
                  <option key={s} value={s}>
                    {STATE_WORDS[s]}
                  </option>
                ))}
              </select>
            )}
          </div>
          <input
            aria-label="Recipient"
            placeholder="Recipient"
            value={filters.recipient}
            onChange={(e) => set('recipient', e.target.value)}
          />
          <div className="filter-row">
            <input
              aria-label="From date"
              type="date"
              value={filters.since}
              onChange={(e) => set('since', e.target.value)}
            />
            <input
              aria-label="Until date"
              type="date"
              value={filters.until}
              min={filters.since || undefined}
              onChange={(e) => set('until', e.target.value)}
            />
          </div>
        </div>
        {error ? <ErrorNotice error={error} title="The search failed" /> : null}
        <div ref={scroller} className="virtual-scroller" role="list" aria-label="Search results">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = itemAt(row.index);
              return (
                <div
                  key={row.key}
                  role="listitem"
                  className="virtual-row"
                  style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                >
                  {item ? (
                    <button
                      type="button"
                      data-row-id={item.id}
                      className={`message-row${item.id === selected ? ' selected' : ''}`}
                      onClick={(event) => {
                        fromRow(event.currentTarget, item.id);
                        setSelected(item.id);
                      }}
                    >
                      <span className="row-top">
                        <StateBadge item={item} />
                        <span className="row-to">{item.to.join(', ')}</span>
                      </span>
                      <span className="row-bottom">
                        <span className="row-subject">{item.subject || '(no subject)'}</span>
                        <time className="row-time muted" dateTime={new Date(item.updatedAt).toISOString()}>
                          {formatRowTime(item.updatedAt)}
                        </time>
                      </span>
                    </button>
                  ) : (
                    <span className="message-row muted">Loading…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </section>
      <section className="detail-pane" aria-label="Message details">
        {selected ? (
          <>
            <BackToList
              ref={back}
              onBack={() => {
                fromBack();
                setSelected(null);
              }}
            />
            <OutboxDetail id={selected} onEdit={onEdit} onOpen={setSelected} />
          </>
        ) : (
          <p className="muted empty">Search, then pick a message to read its attempts and transcripts.</p>
        )}
      </section>
    </div>
  );
}
