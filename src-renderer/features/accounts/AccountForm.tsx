import type { Account, AuthMethod, Security } from '../../../src-main/shared/schemas/accounts.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';
import { mustRetypeSecret } from './account-form-state.ts';
import { AdvancedSettings } from './AdvancedSettings.tsx';
import { AutoconfigNotice } from './AutoconfigNotice.tsx';
import { ConnectionTestResult } from './ConnectionTestResult.tsx';
import { IdentitiesEditor } from './IdentitiesEditor.tsx';
import { SaveAnywayQuestion } from './SaveAnywayQuestion.tsx';
import { SignInPanel } from './SignInPanel.tsx';
import { useAccountForm } from './use-account-form.ts';

const AUTH_LABEL: Record<AuthMethod, string> = {
  auto: 'Automatic (what the server offers)',
  PLAIN: 'PLAIN',
  LOGIN: 'LOGIN',
  'CRAM-MD5': 'CRAM-MD5',
  XOAUTH2: 'XOAUTH2 (OAuth access token)',
  OAUTH2: 'Sign in with the provider (OAuth)',
  none: 'No login',
};

export function AccountForm({
  account,
  onSaved,
  onCancel,
}: {
  account?: Account;
  onSaved: (account: Account) => void;
  onCancel?: () => void;
}) {
  const { form, set, setForm, onSecurity, detect, detected, busy, error, test, testIsStale, ...actions } =
    useAccountForm(account, onSaved);
  // Signing in is a choice where this build can (detected), or where the account already does.
  const signInProvider = form.oauthProvider ?? detected?.signIn?.provider ?? null;
  const chooseAuth = (auth: AuthMethod) =>
    setForm((f) => ({ ...f, auth, oauthProvider: auth === 'OAUTH2' ? signInProvider : f.oauthProvider }));
  const fields = fieldErrors(error?.error.details);
  const secretLabel = form.auth === 'XOAUTH2' ? 'Access token' : 'Password';
  return (
    <form
      className="form card"
      onSubmit={(e) => {
        e.preventDefault();
        actions.submit();
      }}
      aria-label={account ? `Edit ${account.name}` : 'Add an account'}
      noValidate
    >
      {error && Object.keys(fields).length === 0 ? (
        <ErrorNotice
          error={error.error}
          title={error.during === 'test' ? 'The test could not run' : 'The account was not saved'}
        />
      ) : null}
      {error && Object.keys(fields).length > 0 ? (
        <ErrorNotice error={{ ...error.error, message: 'Some fields need attention.' }} />
      ) : null}
      <div className="form-grid">
        <Field label="Email address" error={fields.email} help="Typing it fills in the server settings.">
          <input
            type="email"
            value={form.email}
            onChange={(e) => set('email', e.target.value)}
            onBlur={() => void detect()}
            // The form opens on a person's click (Add account, Edit): the focus starts here.
            autoFocus
            autoComplete="email"
            spellCheck={false}
            required
          />
        </Field>
        <Field
          label="Your name"
          error={fields.name}
          help='As it appears on mail you send, e.g. "Ada Lovelace". Posthorn lists the account by it too.'
        >
          <input value={form.name} onChange={(e) => set('name', e.target.value)} autoComplete="name" required />
        </Field>
      </div>
      {detected ? <AutoconfigNotice found={detected} /> : null}
      <fieldset className="fieldset">
        <legend>Server</legend>
        <div className="form-grid">
          <Field label="SMTP server" error={fields.host}>
            <input
              value={form.host}
              onChange={(e) => set('host', e.target.value)}
              placeholder="smtp.example.org"
              autoComplete="off"
              spellCheck={false}
              required
            />
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
              <input
                inputMode="numeric"
                value={form.port}
                onChange={(e) => set('port', e.target.value.replace(/\D/g, ''))}
                required
              />
            </Field>
          </div>
        </div>
        {form.security === 'none' ? (
          <div className="notice notice-warn">
            <p>Without encryption, anyone on the network can read your mail and your password.</p>
            <label className="check">
              <input
                type="checkbox"
                checked={form.allowPlaintextAuth}
                onChange={(e) => set('allowPlaintextAuth', e.target.checked)}
              />
              Allow login without encryption for this account
            </label>
          </div>
        ) : null}
        {form.pinnedCertificate ? (
          <p className="notice notice-warn">
            <span>
              This account trusts one certificate: <span className="mono">{form.pinnedCertificate.fingerprint256}</span>{' '}
              ({form.pinnedCertificate.subject}).
            </span>
            <button type="button" className="button link" onClick={() => set('pinnedCertificate', null)}>
              Stop trusting it
            </button>
          </p>
        ) : null}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Login</legend>
        {form.auth === 'OAUTH2' ? (
          <SignInPanel
            providerName={actions.providerName}
            state={actions.signIn}
            onStart={() => actions.startSignIn()}
            onCancel={actions.cancelSignIn}
            kept={
              account?.auth === 'OAUTH2' && account.hasPassword && account.oauthProvider === form.oauthProvider
                ? `Signed in with ${actions.providerName}; the sign-in is kept in ${account.secretBackend}. Sign in again only to change it.`
                : null
            }
            again={
              form.signInId
                ? null
                : account?.signInNeeded && account.oauthProvider === form.oauthProvider
                  ? `${account.signInNeeded.message} Sign in again; waiting messages go once you have.`
                  : mustRetypeSecret(form, account)
                    ? `Sign in again: the saved sign-in is only used with ${account?.host ?? ''}:${account?.port ?? ''}.`
                    : null
            }
          />
        ) : null}
        <div className="form-grid">
          <Field label="Authentication" error={fields.auth}>
            <select value={form.auth} onChange={(e) => chooseAuth(e.target.value as AuthMethod)}>
              {(Object.keys(AUTH_LABEL) as AuthMethod[])
                .filter((method) => method !== 'OAUTH2' || signInProvider !== null)
                .map((method) => (
                  <option key={method} value={method}>
                    {AUTH_LABEL[method]}
                  </option>
                ))}
            </select>
          </Field>
          {form.auth !== 'none' ? (
            <Field
              label="Username"
              error={fields.username}
              help={form.auth === 'OAUTH2' ? 'The address you sign in with.' : 'Often your full email address.'}
            >
              <input
                value={form.username}
                onChange={(e) => set('username', e.target.value)}
                autoComplete="username"
                spellCheck={false}
              />
            </Field>
          ) : null}
          {form.auth !== 'none' && form.auth !== 'OAUTH2' ? (
            <Field
              label={secretLabel}
              error={fields.password}
              help={
                account?.auth === 'OAUTH2'
                  ? `Type the password: this account signed in with ${account.oauthProviderName ?? 'its provider'}, which is not a password.`
                  : mustRetypeSecret(form, account)
                    ? `Type it again: the saved one is only sent to ${account?.host ?? ''}:${account?.port ?? ''}.`
                    : account?.hasPassword
                      ? `Stored in ${account.secretBackend}. Leave empty to keep it.`
                      : `Kept in your system keychain, never in Posthorn's files.${form.auth === 'XOAUTH2' ? ' Paste a current OAuth access token.' : ''}`
              }
            >
              <input
                type="password"
                value={form.password}
                onChange={(e) => set('password', e.target.value)}
                autoComplete={form.auth === 'XOAUTH2' ? 'off' : 'current-password'}
              />
            </Field>
          ) : null}
        </div>
      </fieldset>
      <AdvancedSettings
        form={form}
        set={set}
        fields={fields}
        vrfyAddress={actions.vrfyAddress}
        onVrfyAddress={actions.setVrfyAddress}
        expnList={actions.expnList}
        onExpnList={actions.setExpnList}
      />
      <IdentitiesEditor
        identities={form.identities}
        fallbackName={form.name}
        fallbackAddress={form.email}
        errors={fields}
        onChange={(identities) => set('identities', identities)}
      />
      {actions.saveAnywayQuestion && test ? (
        <SaveAnywayQuestion
          verdict={test.result.verdict.title}
          onSaveAnyway={actions.saveAnyway}
          onKeepEditing={actions.keepEditing}
        />
      ) : null}
      <div className="form-actions">
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page. */}
        <button type="button" className="button" onClick={actions.runTest} aria-disabled={busy !== null}>
          {busy === 'testing' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="button primary" aria-disabled={busy !== null}>
          {busy === 'saving' ? 'Saving…' : 'Save account'}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      {test ? (
        <ConnectionTestResult
          result={test.result}
          stale={testIsStale}
          takeFocus={test.afterTrust}
          onTrust={actions.trustShownCertificate}
          onSignIn={(offer) => actions.startSignIn(offer)}
        />
      ) : null}
    </form>
  );
}
