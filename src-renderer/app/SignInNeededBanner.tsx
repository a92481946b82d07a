import type { Account } from '../../src-main/shared/schemas/accounts.ts';

/**
 * Accounts whose sign-in the provider no longer accepts, said on every screen until the person
 * signs in again (their mail waits meanwhile); the button leads to the card that does it.
 */
export function SignInNeededBanner({ accounts, onOpen }: { accounts: readonly Account[]; onOpen: () => void }) {
  const needing = accounts.filter((account) => account.signInNeeded);
  if (needing.length === 0) return null;
  const names = needing.map((account) => `“${account.name}”`).join(', ');
  return (
    <div className="notice notice-warn sign-in-banner" role="status">
      <p>
        <strong>
          {needing.length === 1 ? `${names} must sign in again.` : `These accounts must sign in again: ${names}.`}
        </strong>{' '}
        {needing.length === 1
          ? `${needing[0]?.signInNeeded?.message ?? ''} Its messages wait until you do.`
          : 'Their messages wait until you do.'}
      </p>
      <button type="button" className="button" onClick={onOpen}>
        Sign in again under Accounts
      </button>
    </div>
  );
}
