import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account } from '../../../src-main/shared/models.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { AccountForm } from './AccountForm.tsx';

const SECURITY_LABEL = { starttls: 'STARTTLS', tls: 'TLS', none: 'no encryption' } as const;

export function AccountsView({ accounts, onChanged, firstRun }: { accounts: Account[]; onChanged: () => void; firstRun: boolean }) {
  const api = useApi();
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function remove(account: Account) {
    if (!window.confirm(`Delete the account "${account.name}"? Its password is removed from the keychain.`)) return;
    const result = await api['accounts.delete']({ id: account.id });
    setError(result.ok ? null : result.error);
    onChanged();
  }

  const showForm = editing !== null || firstRun;
  return (
    <section className="page" aria-labelledby="accounts-title">
      <header className="page-header">
        <h1 id="accounts-title">{firstRun ? 'Welcome to Posthorn' : 'Accounts'}</h1>
        {!showForm ? (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            Add account
          </button>
        ) : null}
      </header>
      {firstRun ? <p className="lead">Add the SMTP account you send mail through. Your password goes straight into your system keychain.</p> : null}
      {saved ? (
        <p className="notice notice-ok" role="status">
          Saved “{saved}”.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title="The account was not deleted" /> : null}
      {showForm ? (
        <AccountForm
          {...(editing && editing !== 'new' ? { account: editing } : {})}
          onSaved={(account) => {
            setSaved(account.name);
            setEditing(null);
            onChanged();
          }}
          {...(!firstRun ? { onCancel: () => setEditing(null) } : {})}
        />
      ) : null}
      <ul className="account-cards">
        {accounts.map((account) => (
          <li key={account.id} className="card account-card">
            <div>
              <h2>{account.name}</h2>
              <p className="muted">
                {account.email} · {account.host}:{account.port} · {SECURITY_LABEL[account.security]}
              </p>
              <p className="muted">{account.hasPassword ? `Password protected by ${account.secretBackend}` : 'No password stored'}</p>
            </div>
            <div className="card-actions">
              <button type="button" className="button" onClick={() => setEditing(account)} aria-label={`Edit ${account.name}`}>
                Edit
              </button>
              <button type="button" className="button danger" onClick={() => void remove(account)} aria-label={`Delete ${account.name}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
