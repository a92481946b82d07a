import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import { SignInAgain } from './SignInAgain.tsx';

const SECURITY_LABEL = { starttls: 'STARTTLS', tls: 'TLS', none: 'no encryption' } as const;

type Props = {
  account: Account;
  onEdit: () => void;
  onDuplicate: () => void;
  onMakeDefault: () => void;
  onDelete: () => void;
  /** Signed in again from the card (an account whose sign-in the provider refused). */
  onSignedIn: (account: Account) => void;
};

export function AccountCard({ account, onEdit, onDuplicate, onMakeDefault, onDelete, onSignedIn }: Props) {
  const method =
    account.auth === 'auto'
      ? 'login'
      : account.auth === 'OAUTH2'
        ? `signed in with ${account.oauthProviderName}`
        : account.auth;
  const login = account.auth === 'none' ? 'no login' : `${method} as ${account.username}`;
  return (
    <li className="card account-card">
      <div className="account-card-body">
        <h2>
          {account.name} {account.isDefault ? <span className="tag">Default</span> : null}
        </h2>
        <p className="muted">
          {account.email} · {account.host}:{account.port} · {SECURITY_LABEL[account.security]} · {login}
        </p>
        <p className="muted">
          {account.auth === 'none'
            ? 'No secret needed'
            : account.hasPassword
              ? `${account.auth === 'XOAUTH2' ? 'Token' : account.auth === 'OAUTH2' ? 'Sign-in' : 'Password'} protected by ${account.secretBackend}`
              : 'No password stored yet'}
          {account.pinnedCertificate ? ' · trusts one pinned certificate' : ''}
        </p>
        {account.lastTest ? (
          <p className={account.lastTest.ok ? 'ok-text' : 'danger-text'}>
            Last test {new Date(account.lastTest.at).toLocaleString()}: {account.lastTest.summary}
          </p>
        ) : (
          <p className="muted">Not tested yet</p>
        )}
        {account.signInNeeded ? <SignInAgain account={account} onSaved={onSignedIn} /> : null}
      </div>
      <div className="card-actions">
        <button type="button" className="button" onClick={onEdit} aria-label={`Edit ${account.name}`}>
          Edit
        </button>
        <button type="button" className="button" onClick={onDuplicate} aria-label={`Duplicate ${account.name}`}>
          Duplicate
        </button>
        {!account.isDefault ? (
          <button type="button" className="button" onClick={onMakeDefault} aria-label={`Make default: ${account.name}`}>
            Make default
          </button>
        ) : null}
        <button type="button" className="button danger" onClick={onDelete} aria-label={`Delete ${account.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}
