import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account } from '../../../src-main/shared/models.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';

export function ComposeView({ accounts, onQueued }: { accounts: Account[]; onQueued: (id: string) => void }) {
  const api = useApi();
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? '');
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const fields = fieldErrors(error?.details);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (sending) return;
    setSending(true);
    const result = await api['outbox.enqueue']({ accountId, to, subject, body });
    setSending(false);
    // On error nothing typed is lost: the form stays as it is.
    if (!result.ok) return setError(result.error);
    onQueued(result.value.id);
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
                {account.name} &lt;{account.email}&gt;
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
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={sending || accounts.length === 0} title="Send (Ctrl+Enter)">
            {sending ? 'Sending…' : 'Send'}
          </button>
          <span className="muted">Ctrl+Enter sends</span>
        </div>
      </form>
    </section>
  );
}
