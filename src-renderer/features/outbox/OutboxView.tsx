import type { AppError } from '../../../src-main/shared/errors.ts';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { BackToList } from '../../components/BackToList.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useNow } from '../../components/use-now.ts';
import { useTakeTurnsFocus } from '../../components/use-take-turns-focus.ts';
import { OutboxDetail } from './OutboxDetail.tsx';
import { needsClock, stateDetail } from './state-detail.ts';
import { StateBadge } from './StateBadge.tsx';
import { describeUpload, useUploadProgress } from './use-upload-progress.ts';

type Props = {
  title: 'Outbox';
  items: OutboxItem[];
  error: AppError | null;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onCompose: () => void;
  onEdit: (draft: DraftContent) => void;
};

export function OutboxView({ title, items, error, selected, onSelect, onCompose, onEdit }: Props) {
  const now = useNow(needsClock(items));
  const uploads = useUploadProgress();
  const headingId = `${title.toLowerCase()}-title`;
  const shown = selected !== null && items.some((item) => item.id === selected);
  const { back, listHeading, fromRow, fromBack } = useTakeTurnsFocus(shown ? selected : null);
  return (
    <div className={`split${shown ? ' has-selection' : ''}`}>
      <section className="list-pane" aria-labelledby={headingId}>
        <header className="page-header">
          <h1 id={headingId} ref={listHeading} tabIndex={-1}>
            {title}
          </h1>
        </header>
        {error ? <ErrorNotice error={error} title="The outbox could not be loaded" /> : null}
        {items.length === 0 ? (
          <div className="empty">
            <p>Nothing waiting. Sent mail moves to Sent.</p>
            <button type="button" className="button primary" onClick={onCompose}>
              Write a message
            </button>
          </div>
        ) : (
          <ul className="message-list" aria-label="Messages">
            {items.map((item) => {
              const upload = item.state === 'sending' ? uploads.get(item.id) : undefined;
              return (
                <li key={item.id}>
                  <button
                    type="button"
                    data-row-id={item.id}
                    className={`message-row${item.id === selected ? ' selected' : ''}`}
                    aria-current={item.id === selected ? 'true' : undefined}
                    onClick={(event) => {
                      fromRow(event.currentTarget, item.id);
                      onSelect(item.id);
                    }}
                  >
                    <span className="row-top">
                      <StateBadge item={item} />
                      <span className="row-to">{item.to.join(', ')}</span>
                      {item.route === 'direct' ? <span className="tag">Direct · {item.legDomain}</span> : null}
                    </span>
                    <span className="row-subject">{item.subject || '(no subject)'}</span>
                    {upload ? (
                      <span className="row-detail upload">
                        <span>{describeUpload(upload)}</span>
                        <progress
                          max={upload.total}
                          value={upload.sent}
                          aria-label={`Upload of ${item.subject || 'the message'}`}
                        />
                      </span>
                    ) : (
                      <span className="row-detail">{stateDetail(item, now)}</span>
                    )}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="detail-pane" aria-label="Message details">
        {shown ? (
          <>
            <BackToList
              ref={back}
              onBack={() => {
                fromBack();
                onSelect(null);
              }}
            />
            <OutboxDetail id={selected} onEdit={onEdit} onOpen={onSelect} />
          </>
        ) : (
          <p className="muted empty">Select a message to see what happened to it.</p>
        )}
      </section>
    </div>
  );
}
