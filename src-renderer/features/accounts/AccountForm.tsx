import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account, AccountInput, Security } from '../../../src-main/shared/models.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';

const DEFAULT_PORT: Record<Security, number> = { starttls: 587, tls: 465, none: 25 };

type FormState = { name: string; email: string; host: string; port: string; security: Security; username: string; password: string };

function initialState(account?: Account): FormState {
  return {
    name: account?.name ?? '',
    email: account?.email ?? '',
    host: account?.host ?? '',
    port: String(account?.port ?? DEFAULT_PORT.starttls),
    security: account?.security ?? 'starttls',
    username: account?.username ?? '',
    password: '',
  };
}

export function AccountForm({ account, onSaved, onCancel }: { account?: Account; onSaved: (account: Account) => void; onCancel?: () => void }) {
  const api = useApi();
  const [form, setForm] = useState<FormState>(() => initialState(account));
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const fields = fieldErrors(error?.details);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));

  const onSecurity = (security: Security) =>
    setForm((f) => ({ ...f, security, port: Object.values(DEFAULT_PORT).map(String).includes(f.port) ? String(DEFAULT_PORT[security]) : f.port }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const input: AccountInput = {
      ...(account ? { id: account.id } : {}),
      name: form.name,
      email: form.email,
      host: form.host,
      port: Number(form.port),
      security: form.security,
      username: form.username,
      ...(form.password !== '' ? { password: form.password } : {}),
    };
    const result = await api['accounts.save'](input);
    setSaving(false);
    // On error the form keeps everything that was typed.
    if (!result.ok) return setError(result.error);
    setError(null);
    setForm((f) => ({ ...f, password: '' }));
    onSaved(result.value);
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} aria-label={account ? `Edit ${account.name}` : 'Add an account'} noValidate>
      {error && Object.keys(fields).length === 0 ? <ErrorNotice error={error} title="The account was not saved" /> : null}
      <div className="form-grid">
        <Field label="Account name" error={fields.name} help='Shown in Posthorn only, e.g. "Work".'>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" required />
        </Field>
        <Field label="Email address" error={fields.email} help="The address your mail is sent from.">
          <input type="email" value={form.email} onChange={(e) => set('email', e.target.value)} onBlur={() => form.username === '' && set('username', form.email)} autoComplete="email" required />
        </Field>
        <Field label="SMTP server" error={fields.host}>
          <input value={form.host} onChange={(e) => set('host', e.target.value)} placeholder="smtp.example.org" autoComplete="off" spellCheck={false} required />
        </Field>
        <div className="field-row">
          <Field label="Security" error={fields.security}>
            <select value={form.security} onChange={(e) => onSecurity(e.target.value as Security)}>
              <option value="starttls">STARTTLS (usually port 587)</option>
              <option value="tls">TLS from the start (usually port 465)</option>
              <option value="none">None: unencrypted</option>
            </select>
          </Field>
          <Field label="Port" error={fields.port}>
            <input inputMode="numeric" value={form.port} onChange={(e) => set('port', e.target.value.replace(/\D/g, ''))} required />
          </Field>
        </div>
        <Field label="Username" error={fields.username} help="Often your email address. Leave empty if the server needs no login.">
          <input value={form.username} onChange={(e) => set('username', e.target.value)} autoComplete="username" spellCheck={false} />
        </Field>
        <Field label="Password" error={fields.password} help={account?.hasPassword ? `Stored in ${account.secretBackend}. Leave empty to keep it.` : 'Kept in your system keychain, never in Posthorn\'s files.'}>
          <input type="password" value={form.password} onChange={(e) => set('password', e.target.value)} autoComplete="current-password" />
        </Field>
      </div>
      {form.security === 'none' ? <p className="notice notice-warn">Without encryption, anyone on the network can read your mail. Posthorn will not send a password over such a connection.</p> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save account'}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
