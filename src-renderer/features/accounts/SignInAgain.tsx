import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { initialFormState, toAccountInput } from './account-form-state.ts';
import { SignInPanel } from './SignInPanel.tsx';
import { useSignIn } from './use-sign-in.ts';

/**
 * An account whose sign-in the provider no longer accepts: the reason, and "Sign in again"
 * right on its card. The new sign-in is saved with the account as it is; its waiting messages
 * go at once (the core makes them due).
 */
export function SignInAgain({ account, onSaved }: { account: Account; onSaved: (account: Account) => void }) {
  const api = useApi();
  const signIn = useSignIn();
  const [error, setError] = useState<AppError | null>(null);
  const name = account.oauthProviderName ?? account.oauthProvider ?? 'the provider';

  async function start() {
    if (!account.oauthProvider) return;
    setError(null);
    const signInId = await signIn.start(account.oauthProvider, account.username || account.email);
    if (!signInId) return;
    const saved = await api['accounts.save']({ ...toAccountInput(initialFormState(account), account), signInId });
    if (saved.ok) onSaved(saved.value);
    else setError(saved.error);
  }

  return (
    <div className="sign-in-again">
      {error ? <ErrorNotice error={error} title="The new sign-in was not saved" /> : null}
      <SignInPanel
        providerName={name}
        state={signIn.state}
        onStart={() => void start()}
        onCancel={signIn.cancel}
        again={`${account.signInNeeded?.message ?? `${name} no longer accepts this account’s sign-in.`} Its messages wait until you sign in again.`}
      />
    </div>
  );
}
