import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Account, AccountInput, Autoconfig } from '../../src-main/shared/schemas/accounts.ts';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { SignInNeededBanner } from '../../src-renderer/app/SignInNeededBanner.tsx';
import { AccountCard } from '../../src-renderer/features/accounts/AccountCard.tsx';
import { AccountForm } from '../../src-renderer/features/accounts/AccountForm.tsx';
import { DiagnosisCard } from '../../src-renderer/features/logs/DiagnosisCard.tsx';
import { badgeOf } from '../../src-renderer/features/outbox/StateBadge.tsx';
import { fakeApi, refuse } from './fake-api.ts';

const GOOGLE: Autoconfig = {
  source: 'preset',
  sourceDetail: 'Gmail',
  host: 'smtp.gmail.com',
  port: 465,
  security: 'tls',
  auth: 'auto',
  username: 'ada@gmail.com',
  notes: [],
  signIn: { provider: 'google', name: 'Google' },
};

const AUTH_URL = 'https://accounts.example.test/auth?client_id=x&code_challenge=y';

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-1',
    name: 'Ada',
    email: 'ada@gmail.com',
    host: 'smtp.gmail.com',
    port: 465,
    security: 'tls',
    auth: 'OAUTH2',
    username: 'ada@gmail.com',
    ehloName: '',
    timeouts: { connectMs: 15_000, greetingMs: 30_000, socketMs: 60_000 },
    allowPlaintextAuth: false,
    pinnedCertificate: null,
    oauthProvider: 'google',
    oauthProviderName: 'Google',
    signInNeeded: null,
    maxConnections: 2,
    isDefault: true,
    identities: [{ id: 'id-1', fromName: 'Ada', fromAddress: 'ada@gmail.com', replyTo: '', signature: '' }],
    lastEhlo: null,
    lastTest: null,
    hasPassword: true,
    secretBackend: 'Secret Service',
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

const okTest = {
  id: 't1',
  ok: true,
  verdict: { title: 'Everything works', explanation: 'Logged in.', fix: null },
  error: null,
  phase: 'done',
  capabilities: null,
  tls: null,
  authenticated: true,
  lines: [],
  durationMs: 5,
};

let opened: ReturnType<typeof vi.fn>;
beforeEach(() => {
  // The browser's part: the page asks it to open the provider's sign-in page in a new tab.
  opened = vi.fn(() => null);
  vi.stubGlobal('open', opened);
});
afterEach(() => vi.unstubAllGlobals());

function setupForm(answers: Parameters<typeof fakeApi>[0] = {}) {
  const onSaved = vi.fn();
  const fake = fakeApi({
    'accounts.autoconfig': () => GOOGLE,
    'accounts.check': () => ({ valid: true }),
    'accounts.signInStart': () => ({ signInId: 'sign-in-1', url: AUTH_URL }),
    'accounts.signInFinish': () => ({ provider: 'google', expiresAt: Date.now() + 3_600_000 }),
    'accounts.signInCancel': () => ({ cancelled: true }),
    'accounts.test': () => okTest,
    'accounts.save': (input: AccountInput) => account({ name: input.name }),
    ...answers,
  });
  render(
    <ApiProvider api={fake.api}>
      <AccountForm onSaved={onSaved} />
    </ApiProvider>,
  );
  const inputs = (channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input);
  return { onSaved, inputs, user: userEvent.setup() };
}

async function typeGoogleAddress(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Email address'), 'ada@gmail.com');
  await user.tab();
  await screen.findByRole('button', { name: 'Sign in with Google' });
  await user.type(screen.getByLabelText('Your name'), 'Ada');
}

describe('signing in with the provider on the account screen', () => {
  it('a Google address is offered "Sign in with Google" first, with no password field', async () => {
    const { user } = setupForm();
    await typeGoogleAddress(user);
    expect(screen.getByLabelText('Authentication')).toHaveProperty('value', 'OAUTH2');
    expect(screen.queryByLabelText('Password', { exact: true })).toBeNull();
    // A password (an app password) stays one choice away.
    await user.selectOptions(screen.getByLabelText('Authentication'), 'PLAIN');
    expect(screen.getByLabelText('Password', { exact: true })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign in with Google' })).toBeNull();
  });

  it('opens the provider’s page in a new tab, waits, then tests and saves with the sign-in', async () => {
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { user, inputs, onSaved } = setupForm({
      'accounts.signInFinish': async () => {
        await finished;
        return { provider: 'google', expiresAt: Date.now() + 3_600_000 };
      },
    });
    await typeGoogleAddress(user);
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    await screen.findByText(/Finish signing in on Google’s page/);
    expect(inputs('accounts.signInStart')).toEqual([{ provider: 'google', loginHint: 'ada@gmail.com' }]);
    expect(opened).toHaveBeenCalledWith(AUTH_URL, '_blank', 'noopener');
    // A blocked or closed tab: the page can be opened again from here.
    expect(screen.getByRole('link', { name: 'Open the sign-in page again' })).toHaveProperty('href', AUTH_URL);
    finish();
    await screen.findByText('Signed in with Google.');
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(inputs('accounts.test')[0]).toMatchObject({
      auth: 'OAUTH2',
      oauthProvider: 'google',
      signInId: 'sign-in-1',
    });
    expect(inputs('accounts.save')[0]).toMatchObject({
      auth: 'OAUTH2',
      oauthProvider: 'google',
      signInId: 'sign-in-1',
      testId: 't1',
      username: 'ada@gmail.com',
    });
    expect(inputs('accounts.save')[0]).not.toHaveProperty('password');
  });

  it('Cancel gives the sign-in up in the core too; a double press opens one page', async () => {
    const { user, inputs } = setupForm({ 'accounts.signInFinish': () => new Promise(() => {}) });
    await typeGoogleAddress(user);
    await user.dblClick(screen.getByRole('button', { name: 'Sign in with Google' }));
    await screen.findByText(/Finish signing in on Google’s page/);
    expect(inputs('accounts.signInStart')).toHaveLength(1);
    expect(opened).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Cancel sign-in' }));
    expect(inputs('accounts.signInCancel')).toEqual([{ signInId: 'sign-in-1' }]);
    // The focus goes back to the button that started it, not to the top of the page.
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign in with Google' })),
    );
  });

  it('keyboard: Enter on the button moves the focus to what the browser is doing, then to "Signed in"', async () => {
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { user } = setupForm({
      'accounts.signInFinish': async () => {
        await finished;
        return { provider: 'google', expiresAt: Date.now() + 3_600_000 };
      },
    });
    await typeGoogleAddress(user);
    screen.getByRole('button', { name: 'Sign in with Google' }).focus();
    await user.keyboard('{Enter}');
    const waiting = await screen.findByText(/Finish signing in on Google’s page/);
    await waitFor(() => expect(document.activeElement).toBe(waiting.closest('[role="status"]')));
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Open the sign-in page again');
    finish();
    const done = await screen.findByText('Signed in with Google.');
    await waitFor(() => expect(document.activeElement).toBe(done.closest('[role="status"]')));
  });

  it('"Sign in first" goes once the person signs in, or chooses a password instead', async () => {
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { user } = setupForm({
      'accounts.signInFinish': async () => {
        await finished;
        return { provider: 'google', expiresAt: Date.now() + 3_600_000 };
      },
    });
    await typeGoogleAddress(user);
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    const said = 'Sign in with Google first, or choose another login.';
    expect(await screen.findByText(said)).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Authentication'), 'PLAIN');
    expect(screen.queryByText(said)).toBeNull();
    await user.selectOptions(screen.getByLabelText('Authentication'), 'OAUTH2');
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    expect(await screen.findByText(said)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    finish();
    await screen.findByText('Signed in with Google.');
    expect(screen.queryByText(said)).toBeNull();
  });

  it('Save or Test before signing in asks for the sign-in, and nothing is tried', async () => {
    const { user, inputs } = setupForm();
    await typeGoogleAddress(user);
    await user.click(screen.getByRole('button', { name: 'Save account' }));
    expect(await screen.findByText('Sign in with Google first, or choose another login.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(inputs('accounts.test')).toEqual([]);
    expect(inputs('accounts.save')).toEqual([]);
  });

  it('a sign-in refused in the browser says why, and the button is there to try again', async () => {
    const { user, inputs } = setupForm({
      'accounts.signInFinish': () =>
        refuse({
          code: 'SIGN_IN',
          message: 'Google said no: the sign-in was cancelled on its page.',
          hint: 'Sign in again and choose Allow.',
          details: { reason: 'access_denied' },
        }),
    });
    await typeGoogleAddress(user);
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect(await screen.findByText('The sign-in did not finish')).toBeTruthy();
    expect(screen.getByText(/the sign-in was cancelled on its page/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    await waitFor(() => expect(inputs('accounts.signInStart')).toHaveLength(2));
  });
});

describe('an account the provider no longer accepts', () => {
  const refused = account({
    signInNeeded: { at: 1, message: 'Google no longer accepts this account’s sign-in (revoked).' },
  });

  it('its card says so and signs in again right there, saving the account with the new sign-in', async () => {
    const onSignedIn = vi.fn();
    const fake = fakeApi({
      'accounts.signInStart': () => ({ signInId: 'again-1', url: AUTH_URL }),
      'accounts.signInFinish': () => ({ provider: 'google', expiresAt: Date.now() + 3_600_000 }),
      'accounts.save': () => account(),
    });
    render(
      <ApiProvider api={fake.api}>
        <ul>
          <AccountCard
            account={refused}
            onEdit={vi.fn()}
            onDuplicate={vi.fn()}
            onMakeDefault={vi.fn()}
            onDelete={vi.fn()}
            onSignedIn={onSignedIn}
          />
        </ul>
      </ApiProvider>,
    );
    expect(screen.getByText(/no longer accepts this account’s sign-in \(revoked\)\. Its messages wait/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in with Google' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    const saved = fake.calls.find((c) => c.channel === 'accounts.save')?.input;
    expect(saved).toMatchObject({ id: 'acc-1', auth: 'OAUTH2', oauthProvider: 'google', signInId: 'again-1' });
  });

  it('every other screen shows a banner that leads to Accounts', async () => {
    const onOpen = vi.fn();
    render(<SignInNeededBanner accounts={[refused, account({ id: 'acc-2', name: 'Fine' })]} onOpen={onOpen} />);
    expect(screen.getByRole('status').textContent).toContain('“Ada” must sign in again.');
    expect(screen.getByRole('status').textContent).not.toContain('Fine');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in again under Accounts' }));
    expect(onOpen).toHaveBeenCalled();
  });
});

describe('a message waiting for the sign-in', () => {
  const signInError = {
    code: 'SIGN_IN' as const,
    message: 'Google no longer accepts this account’s sign-in (revoked).',
    hint: 'Sign in with Google again under Accounts; waiting messages go once you have.',
    details: { reason: 'sign_in_again' },
  };

  it('reads "Needs sign-in", not "Retrying", and its line says what to do', () => {
    const facts = { state: 'deferred' as const, rejected: [], nextAttemptAt: 2_000_000, updatedAt: 1_000_000 };
    expect(badgeOf({ ...facts, lastError: signInError }).word).toBe('Needs sign-in');
    expect(badgeOf({ ...facts, lastError: null }).word).toBe('Retrying');
  });

  it('its attempt explains the 535 as the sign-in, not as a wrong password', () => {
    const { rerender } = render(
      <DiagnosisCard reply="535 5.7.8 Username and Password not accepted" error={signInError} />,
    );
    const card = screen.getByRole('complementary', { name: "What the server's reply means" });
    expect(card.textContent).toContain('The sign-in is needed again');
    expect(card.textContent).toContain('Sign in with Google again under Accounts');
    expect(card.textContent).not.toMatch(/app password/);
    rerender(<DiagnosisCard reply="535 5.7.8 Username and Password not accepted" error={null} />);
    expect(screen.getByRole('complementary').textContent).not.toContain('sign-in is needed');
  });
});

describe('a connection test that says the provider wants a sign-in', () => {
  it('offers "Sign in with Microsoft instead", which switches the login to it and opens the provider’s page', async () => {
    const refusedPassword = {
      ...okTest,
      ok: false,
      authenticated: false,
      phase: 'auth',
      verdict: {
        title: 'Microsoft accepts only sign-in here, not a password',
        explanation: 'Microsoft has switched password login off.',
        fix: 'Sign in with Microsoft instead of a password.',
      },
      signIn: { provider: 'microsoft', name: 'Microsoft' },
    };
    const { user, inputs } = setupForm({
      'accounts.autoconfig': () => ({
        ...GOOGLE,
        sourceDetail: 'smtp.office365.com',
        host: 'smtp.office365.com',
        username: 'ada@contoso.test',
        signIn: null,
      }),
      'accounts.test': () => refusedPassword,
      'accounts.signInStart': () => ({ signInId: 'ms-1', url: AUTH_URL }),
    });
    await user.type(screen.getByLabelText('Email address'), 'ada@contoso.test');
    await user.tab();
    await waitFor(() => expect(screen.getByLabelText('SMTP server')).toHaveProperty('value', 'smtp.office365.com'));
    await user.type(screen.getByLabelText('Password', { exact: true }), 'a-password');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    await user.click(await screen.findByRole('button', { name: 'Sign in with Microsoft instead' }));
    await screen.findByText('Signed in with Microsoft.');
    expect(inputs('accounts.signInStart')).toEqual([{ provider: 'microsoft', loginHint: 'ada@contoso.test' }]);
    expect(screen.getByLabelText('Authentication')).toHaveProperty('value', 'OAUTH2');
    expect(screen.queryByLabelText('Password', { exact: true })).toBeNull();
  });
});

describe('VRFY from the connection test', () => {
  it('an address given under Advanced is asked about by Test, and the answer explained', async () => {
    const { user, inputs } = setupForm({
      'accounts.autoconfig': () => ({ ...GOOGLE, signIn: null }),
      'accounts.test': () => ({
        ...okTest,
        signIn: null,
        vrfy: {
          address: 'bob@gmail.com',
          reply: '252 2.1.5 Send some mail, I will try my best',
          kind: 'silent',
          title: 'The server will not say',
          meaning: 'It neither confirms nor denies addresses.',
        },
      }),
    });
    await user.type(screen.getByLabelText('Email address'), 'ada@gmail.com');
    await user.tab();
    await waitFor(() => expect(screen.getByLabelText('SMTP server')).toHaveProperty('value', 'smtp.gmail.com'));
    await user.click(screen.getByText('Advanced'));
    await user.type(screen.getByLabelText('Check an address with VRFY (optional)'), 'bob@gmail.com');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const answers = await screen.findByRole('list', { name: 'VRFY and EXPN answers' });
    expect(answers.textContent).toContain('bob@gmail.com: The server will not say.');
    expect(answers.textContent).toContain('252 2.1.5');
    expect(inputs('accounts.test')[0]).toMatchObject({ vrfyAddress: 'bob@gmail.com' });
    expect(inputs('accounts.test')[0]).not.toHaveProperty('expnList'); // only what was asked
  });
});

describe('EXPN from the connection test', () => {
  it('a list given under Advanced is asked about by Test, its members shown', async () => {
    const { user, inputs } = setupForm({
      'accounts.autoconfig': () => ({ ...GOOGLE, signIn: null }),
      'accounts.test': () => ({
        ...okTest,
        signIn: null,
        vrfy: null,
        expn: {
          address: 'staff',
          reply: '250-Ada <ada@gmail.com>\n250 Bo <bo@gmail.com>',
          kind: 'known',
          title: 'The list has 2 members',
          meaning: 'The server named them: Ada <ada@gmail.com>, Bo <bo@gmail.com>.',
          members: ['Ada <ada@gmail.com>', 'Bo <bo@gmail.com>'],
        },
      }),
    });
    await user.type(screen.getByLabelText('Email address'), 'ada@gmail.com');
    await user.tab();
    await waitFor(() => expect(screen.getByLabelText('SMTP server')).toHaveProperty('value', 'smtp.gmail.com'));
    await user.click(screen.getByText('Advanced'));
    await user.type(screen.getByLabelText('Expand a mailing list with EXPN (optional)'), 'staff');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const answers = await screen.findByRole('list', { name: 'VRFY and EXPN answers' });
    expect(answers.textContent).toContain('staff: The list has 2 members.');
    expect(inputs('accounts.test')[0]).toMatchObject({ expnList: 'staff' });
    expect(inputs('accounts.test')[0]).not.toHaveProperty('vrfyAddress');
  });
});
