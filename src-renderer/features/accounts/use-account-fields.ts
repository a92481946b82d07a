import { useState } from 'react';
import type { Account, Autoconfig, Security } from '../../../src-main/shared/schemas/accounts.ts';
import { useApi } from '../../api/api-context.tsx';
import { DEFAULT_PORT, initialFormState, withAccountField, type FormState } from './account-form-state.ts';

/**
 * What is typed in the account form, and the settings found from the address. The name is
 * never filled in for the person: a domain in it went out as their name on mail (issue 18).
 */
export function useAccountFields(account: Account | undefined) {
  const api = useApi();
  const [form, setForm] = useState<FormState>(() => initialFormState(account));
  const [detected, setDetected] = useState<Autoconfig | null>(null);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) =>
      key === 'name' || key === 'email' ? withAccountField(f, key, value as string) : { ...f, [key]: value },
    );
  };

  const onSecurity = (security: Security) => {
    setForm((f) => ({
      ...f,
      security,
      port: Object.values(DEFAULT_PORT).map(String).includes(f.port) ? String(DEFAULT_PORT[security]) : f.port,
    }));
  };

  /** Typing an address fills the server settings, unless the person already chose some. */
  async function detect() {
    const untouched = form.host === '' || (detected !== null && form.host === detected.host);
    if (!form.email.includes('@') || !untouched) return;
    const result = await api['accounts.autoconfig']({ email: form.email });
    if (!result.ok) return;
    const found = result.value;
    setDetected(found);
    setForm((f) => ({
      ...f,
      host: found.host,
      port: String(found.port),
      security: found.security,
      // A provider that signs in: "Sign in with …" first (a password stays one choice away).
      auth: found.signIn ? 'OAUTH2' : found.auth,
      oauthProvider: found.signIn?.provider ?? null,
      signInId: found.signIn && found.signIn.provider === f.oauthProvider ? f.signInId : null,
      username: f.username === '' || f.username === detected?.username ? found.username : f.username,
    }));
  }

  return { form, setForm, set, onSecurity, detected, detect };
}
