import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account, DraftContent, OutboxItem } from '../../../src-main/shared/models.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';

const UNDO_SECONDS = 5;

/** "2026-11-22T18:30" in local time, as <input type="datetime-local"> wants it. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

type Props = { accounts: Account[]; initial: DraftContent | null; onQueued: (item: OutboxItem, undoUntil: number | null) => void };

export function ComposeView({ accounts, initial, onQueued }: Props) {
  const api = useApi();
  const defaultAccount = accounts.find((a) => a.isDefault) ?? accounts[0];
  const [accountId, setAccountId] = useState(initial?.accountId && accounts.some((a) => a.id === initial.accountId) ? initial.accountId : (defaultAccount?.id ?? ''));
  const [to, setTo] = useState(initial?.to ?? '');
  const [subject, setSubject] = useState(initial?.subject ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [later, setLater] = useState<string | null>(null);
  const [earliest] = useState(() => localInputValue(Date.now()));
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const fields = fieldErrors(error?.details);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (sending) return;
    const sendAt = later ? new Date(later).getTime() : undefined;
    if (later !== null && (sendAt === undefined || Number.isNaN(sendAt))) {
      return setError({ code: 'BAD_INPUT', message: 'Choose when to send it.', details: { 'field:sendAt': 'Choose a date and time.' } });
    }
    setSending(true);
    const result = await api['outbox.enqueue']({ accountId, to, subject, body, undoSeconds: UNDO_SECONDS, ...(sendAt !== undefined ? { sendAt } : {}) });
    setSending(false);
    // On error nothing typed is lost: the form stays as it is.
    if (!result.ok) return setError(result.error);
    onQueued(result.value, sendAt === undefined ? result.value.nextAttemptAt : null);
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void send();
    }
  };

  return (
    <section className="page compose" aria-labelledby="compose-title">
      <header className="page-header">
        <h1 id="compose-title">New message</h1>
      </header>
      <form className="form card" onSubmit={(e) => void send(e)} onKeyDown={onKeyDown} noValidate>
        {error && Object.keys(fields).length === 0 ? <ErrorNotice error={error} title="The message was not sent" /> : null}
        <Field label="From" error={fields.accountId}>
          <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name} &lt;{account.identities[0]?.fromAddress ?? account.email}&gt;
              </option>
            ))}
          </select>
        </Field>
        <Field label="To" error={fields.to} help="Separate several recipients with commas.">
          <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="name@example.org" spellCheck={false} autoComplete="off" />
        </Field>
        <Field label="Subject" error={fields.subject}>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} />
        </Field>
        <Field label="Message" error={fields.body}>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={14} />
        </Field>
        {later !== null ? (
          <Field label="Send at" error={fields.sendAt} help="Posthorn sends it then, even after a restart; if it is closed at that time, as soon as it starts.">
            <input type="datetime-local" value={later} min={earliest} onChange={(e) => setLater(e.target.value)} />
          </Field>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={sending || accounts.length === 0} title="Send (Ctrl+Enter)">
            {sending ? 'Sending…' : later !== null ? 'Schedule' : 'Send'}
          </button>
          {later === null ? (
            <button type="button" className="button" onClick={() => setLater(localInputValue(Date.now() + 60 * 60_000))}>
              Send later…
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setLater(null)}>
              Send now instead
            </button>
          )}
          <span className="muted">Ctrl+Enter sends · {UNDO_SECONDS} s to undo</span>
        </div>
      </form>
    </section>
  );
}
