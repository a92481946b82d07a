import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account, ConnectionTest } from '../../../src-main/shared/schemas/accounts.ts';
import { useApi } from '../../api/api-context.tsx';
import { needsTest, serverSettings, settingsKey, toAccountInput, type FormState } from './account-form-state.ts';
import { useAccountFields } from './use-account-fields.ts';
import { useFormSignIn } from './use-form-sign-in.ts';

/** Not settings: an address (VRFY) and a list (EXPN) Test connection also asks about, when given. */
function useServerQuestions() {
  const [vrfyAddress, setVrfyAddress] = useState('');
  const [expnList, setExpnList] = useState('');
  const asked = () => ({
    ...(vrfyAddress.trim() ? { vrfyAddress: vrfyAddress.trim() } : {}),
    ...(expnList.trim() ? { expnList: expnList.trim() } : {}),
  });
  return { vrfyAddress, setVrfyAddress, expnList, setExpnList, asked };
}

/** A test result and the settings it was run with, so a later change makes it stale. */
type TestRun = { result: ConnectionTest; key: string; afterTrust: boolean };

/**
 * The account form's behaviour. Saving tests first whenever the server, login or password is
 * new (Enter in any field included); a failed test stops the save and asks, and only "Save
 * anyway" keeps settings that do not work. Trusting a certificate tests again with it.
 */
export function useAccountForm(account: Account | undefined, onSaved: (account: Account) => void) {
  const api = useApi();
  const fields = useAccountFields(account);
  const { form, setForm } = fields;
  const [error, setError] = useState<{ error: AppError; during: 'test' | 'save' } | null>(null);
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const [run, setRun] = useState<TestRun | null>(null);
  const [asked, setAsked] = useState(false);
  const questions = useServerQuestions();
  const currentRun = run !== null && run.key === settingsKey(form) ? run : null;
  const signIn = useFormSignIn(fields, account, (problem) => setError(problem && { error: problem, during: 'save' }));

  async function testWith(current: FormState, afterTrust = false): Promise<ConnectionTest | null> {
    setBusy('testing');
    setRun(null);
    setAsked(false);
    const result = await api['accounts.test']({ ...serverSettings(current, account?.id), ...questions.asked() });
    setBusy(null);
    setError(result.ok ? null : { error: result.error, during: 'test' });
    if (!result.ok) return null;
    setRun({ result: result.value, key: settingsKey(current), afterTrust });
    return result.value;
  }

  async function save(testId: string | undefined) {
    setBusy('saving');
    const result = await api['accounts.save'](toAccountInput(form, account, testId));
    setBusy(null);
    // On error the form keeps everything that was typed.
    setError(result.ok ? null : { error: result.error, during: 'save' });
    if (!result.ok) return;
    setAsked(false);
    setForm((f) => ({ ...f, password: '' }));
    onSaved(result.value);
  }

  async function submit() {
    // Checked as Save would check it first, so a wrong address is named before any test runs.
    const checked = await api['accounts.check'](toAccountInput(form, account));
    if (!checked.ok) return setError({ error: checked.error, during: 'save' });
    if (signIn.askForSignIn()) return;
    if (!needsTest(form, account)) return save(undefined);
    const result = currentRun?.result ?? (await testWith(form));
    if (!result) return;
    if (result.ok) return save(result.id);
    setAsked(true);
  }

  function trustShownCertificate() {
    const cert = run?.result.tls?.certificate;
    if (!cert) return;
    const pinnedCertificate = { fingerprint256: cert.fingerprint256, pem: cert.pem, subject: cert.subject };
    const next = { ...form, pinnedCertificate };
    setForm(next);
    void testWith(next, true);
  }

  // While a call runs the buttons stay focusable (aria-disabled) and do nothing.
  const unlessBusy = (action: () => unknown) => () => {
    if (busy === null) void action();
  };
  return {
    ...fields,
    ...questions,
    busy,
    // "Sign in first" belongs to signing in: another choice of login does not show it.
    error: error?.error.code === 'SIGN_IN' && form.auth !== 'OAUTH2' ? null : error,
    test: run,
    /** The shown result was for settings changed since. */
    testIsStale: run !== null && currentRun === null,
    /** The test failed and the person pressed Save: shown until they choose. */
    saveAnywayQuestion: asked && currentRun !== null && !currentRun.result.ok,
    runTest: unlessBusy(() => signIn.askForSignIn() || testWith(form)),
    signIn: signIn.state,
    providerName: signIn.providerName,
    startSignIn: (offer?: { provider: string; name: string }) => void signIn.start(offer),
    cancelSignIn: signIn.cancel,
    submit: unlessBusy(submit),
    saveAnyway: unlessBusy(() => save(currentRun?.result.id)),
    keepEditing: () => setAsked(false),
    trustShownCertificate: unlessBusy(trustShownCertificate),
  };
}
