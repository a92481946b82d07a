import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import { choose, plural } from '../../../src-main/shared/wording.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { toAccountInput, initialFormState } from './account-form-state.ts';
import { AccountCard } from './AccountCard.tsx';
import { AccountForm } from './AccountForm.tsx';
import { SendingSettings } from './SendingSettings.tsx';

type Deleting = { account: Account; waiting: number | null };

export function AccountsView({
  accounts,
  onChanged,
  firstRun,
}: {
  accounts: Account[];
  onChanged: () => void;
  firstRun: boolean;
}) {
  const api = useApi();
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  // After Save, Delete or Make default the form or button that had the focus is gone: the
  // focus goes to what was done, so keyboard users hear it and carry on from there.
  const said = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message) said.current?.focus();
  }, [message]);

  async function remove(target: Deleting, cancelQueued: boolean) {
    const result = await api['accounts.delete']({
      id: target.account.id,
      ...(cancelQueued ? { queuedMail: 'cancel' as const } : {}),
    });
    if (!result.ok) {
      const waiting = result.error.details?.waiting;
      // Mail is waiting: ask what to do with it instead of failing.
      if (result.error.code === 'CONFLICT' && typeof waiting === 'number') {
        setDeleting({ ...target, waiting });
        return;
      }
      setDeleting(null);
      setError(result.error);
      return;
    }
    setDeleting(null);
    setError(null);
    setMessage(
      `Deleted “${target.account.name}”${result.value.cancelled ? `; ${plural(result.value.cancelled, 'waiting message was', 'waiting messages were')} cancelled and kept in the Outbox` : ''}.`,
    );
    onChanged();
  }

  async function run(call: Promise<{ ok: boolean; error?: AppError }>, done: string) {
    const result = await call;
    if (!result.ok && result.error) {
      setError(result.error);
      return;
    }
    setError(null);
    setMessage(done);
    onChanged();
  }

  const showForm = editing !== null || firstRun;
  return (
    <section className="page" aria-labelledby="accounts-title">
      <header className="page-header">
        <h1 id="accounts-title">
          {firstRun
            ? 'Welcome to Posthorn'
            : editing === 'new'
              ? 'Add an account'
              : editing
                ? `Edit ${editing.name}`
                : 'Accounts'}
        </h1>
        {!showForm ? (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            Add account
          </button>
        ) : null}
      </header>
      {firstRun ? (
        <p className="lead">
          Add the SMTP account you send mail through. Start with your email address: Posthorn fills in the rest where it
          can, tests it, and keeps your password in your system keychain.
        </p>
      ) : null}
      {message ? (
        <p ref={said} className="notice notice-ok" role="status" tabIndex={-1}>
          {message}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {deleting ? (
        <div className="notice notice-warn" role="alert">
          {deleting.waiting ? (
            <p>
              <strong>
                {plural(deleting.waiting, 'message is', 'messages are')} still waiting to be sent through “
                {deleting.account.name}”.
              </strong>{' '}
              Delete the account and cancel {choose(deleting.waiting, 'it', 'them')}? Cancelled messages stay in the
              Outbox.
            </p>
          ) : (
            <p>
              <strong>Delete “{deleting.account.name}”?</strong> Its password is removed from the keychain. Sent
              messages stay in the Outbox.
            </p>
          )}
          <div className="form-actions">
            <button
              type="button"
              className="button danger"
              onClick={() => void remove(deleting, deleting.waiting !== null)}
            >
              {deleting.waiting ? 'Cancel the messages and delete' : 'Delete account'}
            </button>
            <button type="button" className="button" onClick={() => setDeleting(null)}>
              Keep the account
            </button>
          </div>
        </div>
      ) : null}
      {showForm ? (
        <AccountForm
          key={editing && editing !== 'new' ? editing.id : 'new'}
          {...(editing && editing !== 'new' ? { account: editing } : {})}
          onSaved={(account) => {
            setMessage(`Saved “${account.name}”.`);
            setEditing(null);
            onChanged();
          }}
          {...(!firstRun ? { onCancel: () => setEditing(null) } : {})}
        />
      ) : (
        <ul className="account-cards">
          {accounts.map((account) => (
            <AccountCard
              key={account.id}
              account={account}
              onEdit={() => setEditing(account)}
              onDuplicate={() =>
                void run(api['accounts.duplicate']({ id: account.id }), `Duplicated “${account.name}”.`)
              }
              onMakeDefault={() =>
                void run(
                  api['accounts.save']({ ...toAccountInput(initialFormState(account), account), isDefault: true }),
                  `“${account.name}” is now the default.`,
                )
              }
              onDelete={() => setDeleting({ account, waiting: null })}
              onSignedIn={(saved) => {
                setError(null);
                setMessage(`Signed in again: “${saved.name}” sends its waiting messages now.`);
                onChanged();
              }}
            />
          ))}
        </ul>
      )}
      {!showForm ? <SendingSettings /> : null}
    </section>
  );
}
