import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Account, AccountInput, ConnectionTest } from '../../src-main/shared/schemas/accounts.ts';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { AccountForm } from '../../src-renderer/features/accounts/AccountForm.tsx';
import { fakeApi, refuse } from './fake-api.ts';

const FOUND = {
  source: 'guess',
  sourceDetail: 'smtp.local.test',
  host: 'smtp.local.test',
  port: 587,
  security: 'starttls',
  auth: 'auto',
  username: 'ada@local.test',
  notes: [],
} as const;

const CERT = {
  subject: 'CN=smtp.local.test',
  issuer: 'CN=smtp.local.test',
  validFrom: '2026-01-01',
  validTo: '2027-01-01',
  fingerprint256: `AB${':AB'.repeat(31)}`,
  altNames: 'DNS:smtp.local.test',
  pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
};

function testResult(ok: boolean, id: string, trusted = true): ConnectionTest {
  return {
    id,
    ok,
    verdict: ok
      ? { title: 'Everything works', explanation: 'Logged in.', fix: null }
      : { title: "The server's certificate is not trusted", explanation: 'Self-signed.', fix: 'Trust it.' },
    error: null,
    phase: ok ? 'done' : 'starttls',
    capabilities: null,
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      trusted,
      pinned: !trusted ? false : true,
      problem: trusted ? null : 'SELF_SIGNED',
      certificate: CERT,
    },
    authenticated: ok,
    lines: [{ t: 0, dir: 'S', text: '220 smtp.local.test ESMTP' }],
    durationMs: 12,
  };
}

function savedAccount(input: AccountInput): Account {
  return {
    id: 'acc-1',
    name: input.name,
    email: input.email,
    host: input.host,
    port: input.port ?? 587,
    security: input.security ?? 'starttls',
    auth: input.auth ?? 'auto',
    username: input.username ?? '',
    ehloName: '',
    timeouts: { connectMs: 15_000, greetingMs: 30_000, socketMs: 60_000 },
    allowPlaintextAuth: false,
    pinnedCertificate: input.pinnedCertificate ?? null,
    maxConnections: 2,
    isDefault: true,
    identities: [{ id: 'id-1', fromName: input.name, fromAddress: input.email, replyTo: '', signature: '' }],
    lastEhlo: null,
    lastTest: null,
    hasPassword: true,
    secretBackend: 'Secret Service',
    createdAt: 1,
    updatedAt: 1,
  };
}

/** The form with a fake core: tests answer in order from `tests`; saves and checks are recorded. */
function setup(options: { tests?: ConnectionTest[]; account?: Account } = {}) {
  const tests = [...(options.tests ?? [testResult(true, 't1')])];
  const onSaved = vi.fn();
  const fake = fakeApi({
    'accounts.autoconfig': () => FOUND,
    'accounts.check': () => ({ valid: true }),
    'accounts.test': () => tests.shift() ?? testResult(true, 'later'),
    'accounts.save': (input: AccountInput) => savedAccount(input),
  });
  render(
    <ApiProvider api={fake.api}>
      <AccountForm account={options.account} onSaved={onSaved} />
    </ApiProvider>,
  );
  const channels = () => fake.calls.map((call) => call.channel).filter((c) => c !== 'accounts.check');
  const saved = () => fake.calls.filter((c) => c.channel === 'accounts.save').map((c) => c.input as AccountInput);
  const tested = () => fake.calls.filter((c) => c.channel === 'accounts.test').map((c) => c.input as AccountInput);
  return { onSaved, channels, saved, tested, user: userEvent.setup() };
}

async function fillNewAccount(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Email address'), 'ada@local.test');
  await user.tab(); // leaving the address looks up the server settings
  await waitFor(() => expect(screen.getByLabelText('SMTP server')).toHaveProperty('value', 'smtp.local.test'));
  await user.type(screen.getByLabelText('Your name'), 'Ada Keys');
  await user.type(screen.getByLabelText('Password', { exact: true }), 'secret-pass');
}

describe('the account form: the name on mail', () => {
  it('never fills the name from the domain, so what the person types is their name', async () => {
    const { user, saved } = setup();
    await fillNewAccount(user);
    expect(screen.getByLabelText('Your name')).toHaveProperty('value', 'Ada Keys');
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(saved()).toHaveLength(1));
    expect(saved()[0]?.name).toBe('Ada Keys');
  });

  it('renaming the account renames the From name that was the account name, and only that one', async () => {
    const account = savedAccount({ host: 'smtp.local.test', name: 'Old Name', email: 'ada@local.test' });
    account.identities.push({
      id: 'id-2',
      fromName: 'Support',
      fromAddress: 'help@local.test',
      replyTo: '',
      signature: '',
    });
    const { user, saved, channels } = setup({ account });
    const name = screen.getByLabelText('Your name');
    await user.clear(name);
    await user.type(name, 'Ada Keys');
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(saved()).toHaveLength(1));
    expect(saved()[0]?.identities?.map((i) => i.fromName)).toEqual(['Ada Keys', 'Support']);
    // Nothing about the server changed: renaming needs no test.
    expect(channels()).toEqual(['accounts.save']);
  });
});

describe('the account form: test before save', () => {
  it('Enter in the password field tests first, then saves with what the test learnt', async () => {
    const { user, channels, saved } = setup();
    await fillNewAccount(user);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(saved()).toHaveLength(1));
    expect(channels()).toEqual(['accounts.autoconfig', 'accounts.test', 'accounts.save']);
    expect(saved()[0]?.testId).toBe('t1');
  });

  it('a failed test stops the save and asks; only "Save anyway" keeps the settings', async () => {
    const { user, saved, onSaved } = setup({ tests: [testResult(false, 'bad', false)] });
    await fillNewAccount(user);
    await user.keyboard('{Enter}');
    const question = await screen.findByText(/Not saved: the test failed/);
    expect(saved()).toHaveLength(0);
    expect(document.activeElement).toBe(question.closest('[role="alert"]'));
    await user.click(screen.getByRole('button', { name: 'Save anyway' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(saved()[0]?.testId).toBe('bad');
  });

  it('after "Trust this certificate" the test runs again with the pin, and says so', async () => {
    const { user, tested } = setup({ tests: [testResult(false, 'bad', false), testResult(true, 'good')] });
    await fillNewAccount(user);
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    await user.click(await screen.findByRole('button', { name: 'Trust this certificate for this account' }));
    await screen.findByText('Everything works');
    expect(tested()).toHaveLength(2);
    expect(tested()[1]?.pinnedCertificate?.fingerprint256).toBe(CERT.fingerprint256);
    // The focus is on the new verdict, not lost to the page.
    expect(document.activeElement?.textContent).toContain('Everything works');
  });

  it('keeps the focus on the button while a test runs', async () => {
    const { user } = setup();
    await fillNewAccount(user);
    const button = screen.getByRole('button', { name: 'Test connection' });
    await user.click(button);
    await screen.findByText('Everything works');
    expect(document.activeElement).toBe(button);
  });
});

/** What a screen reader reads after the field's name: its help and its error. */
const described = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('the account form: a saved password stays with its server', () => {
  it('another server asks for the password again, and the refusal lands on the password field', async () => {
    const account = savedAccount({ host: 'smtp.local.test', name: 'Ada', email: 'ada@local.test' });
    const onSaved = vi.fn();
    const fake = fakeApi({
      'accounts.check': () => ({ valid: true }),
      'accounts.test': () =>
        refuse({
          code: 'SECRET_REQUIRED',
          message:
            'The saved password is only sent to the server it was saved for (smtp.local.test, port 587, STARTTLS).',
          hint: 'You changed the server. Type the password again to use it with the new settings.',
          details: { 'field:password': 'Type the password again: the saved one is only sent to smtp.local.test:587.' },
        }),
    });
    render(
      <ApiProvider api={fake.api}>
        <AccountForm account={account} onSaved={onSaved} />
      </ApiProvider>,
    );
    const user = userEvent.setup();
    const password = screen.getByLabelText('Password', { exact: true });
    expect(described(password)).toBe('Stored in Secret Service. Leave empty to keep it.');
    const host = screen.getByLabelText('SMTP server');
    await user.clear(host);
    await user.type(host, 'smtp.elsewhere.test');
    expect(described(password)).toBe('Type it again: the saved one is only sent to smtp.local.test:587.');
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
    expect(described(password)).toMatch(/only sent to smtp\.local\.test:587.*Type the password again/);
    expect(onSaved).not.toHaveBeenCalled();
    // Back to the saved server: the stored password applies again.
    await user.clear(host);
    await user.type(host, 'smtp.local.test');
    expect(described(password)).toMatch(/^Stored in Secret Service/);
  });
});
