import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import { needsSignIn } from './account-form-state.ts';
import type { useAccountFields } from './use-account-fields.ts';
import { useSignIn } from './use-sign-in.ts';

/**
 * The account form's sign-in: the provider's name, the sign-in under way (its id goes into the
 * form, for the test and the save), and the question "sign in first" when Test or Save would
 * otherwise try a login that has nothing to log in with.
 */
export function useFormSignIn(
  fields: ReturnType<typeof useAccountFields>,
  account: Account | undefined,
  showProblem: (problem: AppError | null) => void,
) {
  const { form, setForm, detected } = fields;
  const signIn = useSignIn();
  // A provider a connection test suggested ("Sign in with Microsoft instead"), by its name.
  const [suggested, setSuggested] = useState<{ provider: string; name: string } | null>(null);
  const providerName =
    (form.oauthProvider && detected?.signIn?.provider === form.oauthProvider
      ? detected.signIn.name
      : account?.oauthProvider === form.oauthProvider
        ? account.oauthProviderName
        : null) ??
    (suggested?.provider === form.oauthProvider ? suggested.name : null) ??
    form.oauthProvider ??
    'the provider';

  /** True (and said under Login) when Test or Save needs a sign-in first. */
  function askForSignIn(): boolean {
    if (!needsSignIn(form, account)) return false;
    showProblem({
      code: 'SIGN_IN',
      message: `Sign in with ${providerName} first.`,
      hint: 'Choose the sign-in button under Login and finish in the browser.',
      details: { 'field:auth': `Sign in with ${providerName} first, or choose another login.` },
    });
    return true;
  }

  /** Starts the sign-in with the form's provider, or with the one a test suggested (the form then signs in with it). */
  async function start(offer?: { provider: string; name: string }) {
    const provider = offer?.provider ?? form.oauthProvider;
    if (!provider) return;
    if (offer) setSuggested(offer);
    showProblem(null);
    if (provider !== form.oauthProvider || form.auth !== 'OAUTH2')
      setForm((f) => ({ ...f, auth: 'OAUTH2', oauthProvider: provider, signInId: null }));
    const signInId = await signIn.start(provider, form.username || form.email || undefined);
    if (!signInId) return;
    setForm((f) => ({ ...f, signInId }));
    showProblem(null); // "Sign in first", said while the person was still at it, no longer applies
  }

  return { state: signIn.state, cancel: signIn.cancel, providerName, askForSignIn, start };
}
