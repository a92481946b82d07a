import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import type { ConfiguredProvider } from '../../src-main/core/oauth/oauth-service.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { unsealSecret } from '../../src-main/core/secrets/sealed-secret.ts';
import { keychainAccountName } from '../../src-main/core/secrets/secret-store.ts';
import type { AppEvent } from '../../src-main/shared/contract.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { signInHeadless } from '../support/headless-browser.ts';
import {
  MAIL_SCOPE,
  startAuthorizationServer,
  TEST_CLIENT_ID,
  testProvider,
  type AuthorizationServer,
} from '../support/oauth-server.ts';
import { secret } from '../support/secret-watch.ts';
import { addOauthBearerToSmtpServer } from '../support/smtp-oauthbearer.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const USER = 'ada@example.test';

type Login = { method: string; token: string; ok: boolean };

/**
 * The bearer token on the wire (issue 20, point 3): XOAUTH2 and OAUTHBEARER (RFC 7628),
 * whichever the server offers, against smtp-servers that check every token with the
 * authorization server. A token the server refuses with the 334 error challenge is renewed
 * and tried again within the same attempt; a sign-in revoked meanwhile makes the message wait
 * and puts the account into "sign in again".
 */
describe('logging in with an access token', () => {
  const data = tempDataDir('oauth-sasl');
  const certificate = selfSignedCertificate();
  const secrets = new MemorySecretStore();
  let auth: AuthorizationServer;
  const servers: SMTPServer[] = [];
  let core: Core;
  const logins: Login[] = [];
  const events: AppEvent[] = [];
  const ports: Record<'XOAUTH2' | 'OAUTHBEARER' | 'BOTH', number> = { XOAUTH2: 0, OAUTHBEARER: 0, BOTH: 0 };

  async function mailServer(
    authMethods: string[],
    onAuth?: SMTPServerOptions['onAuth'],
    acceptedAs?: () => string,
  ): Promise<number> {
    const server = new SMTPServer({
      key: certificate.key,
      cert: certificate.cert,
      authMethods,
      logger: false,
      onAuth(login, session, callback) {
        if (onAuth) return onAuth(login, session, callback);
        void auth.introspect(login.accessToken ?? '').then((answer) => {
          const ok = answer.active && answer.sub === login.username;
          logins.push({ method: login.method, token: login.accessToken ?? '', ok });
          if (ok) return callback(null, { user: login.username });
          // Both mechanisms answer a refused token with the error challenge (status, scope).
          const status = login.method === 'XOAUTH2' ? '401' : 'invalid_token';
          return callback(null, { data: { status, schemes: 'bearer', scope: MAIL_SCOPE } });
        });
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => (acceptedAs ? callback(null, acceptedAs()) : callback()));
      },
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.server.address() as AddressInfo).port;
  }

  beforeAll(async () => {
    addOauthBearerToSmtpServer();
    auth = await startAuthorizationServer({ accessTokenSeconds: 600 });
    ports.XOAUTH2 = await mailServer(['XOAUTH2']);
    ports.OAUTHBEARER = await mailServer(['OAUTHBEARER']);
    ports.BOTH = await mailServer(['OAUTHBEARER', 'XOAUTH2']);
    const provider: ConfiguredProvider = { ...testProvider(auth), clientId: TEST_CLIENT_ID };
    core = createTestCore({
      dataDir: data.dir,
      secrets,
      mode: 'test',
      trustedCertificates: [certificate.cert],
      oauthProviders: [provider],
      messagesPerConnection: 1,
    });
    core.subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    await core?.close();
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    await auth?.close();
    data.remove();
  });

  /** The person signs in on the provider's pages; the sign-in is finished and waits to be used. */
  async function finishedSignIn(): Promise<string> {
    const started = unwrap(await core.dispatch('accounts.signInStart', { provider: 'test', loginHint: USER }));
    void signInHeadless(started.url, { login: USER });
    unwrap(await core.dispatch('accounts.signInFinish', { signInId: started.signInId }));
    return started.signInId;
  }

  /** An account that signs in with the test provider, on the server at `port`. */
  const accountWith = (signInId: string, name: string, port = ports.XOAUTH2) => ({
    name,
    email: USER,
    host: '127.0.0.1',
    port,
    security: 'starttls' as const,
    auth: 'OAUTH2' as const,
    oauthProvider: 'test',
    username: USER,
    signInId,
  });

  async function signedInAccount(port: number, name: string): Promise<string> {
    return unwrap(await core.dispatch('accounts.save', accountWith(await finishedSignIn(), name, port))).id;
  }

  async function send(accountId: string, subject: string) {
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', { accountId, to: 'bo@example.test', subject, body: 'B', undoSeconds: 0 }),
    );
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred'], 15_000);
    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    const attempt = detail.attempts[0];
    const lines = attempt ? unwrap(await core.dispatch('attempts.transcript', { attemptId: attempt.id })) : [];
    return { item, detail, lines: lines.map((l) => `${l.dir} ${l.text}`) };
  }

  /** Revokes a token at the authorization server (an access token alone, or the refresh token and its grant). */
  async function revoke(token: string): Promise<void> {
    const response = await fetch(`${auth.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: TEST_CLIENT_ID }),
    });
    expect(response.status).toBe(200);
  }

  const storedRefreshToken = (accountId: string) =>
    unsealSecret(secrets.entries.get(keychainAccountName(accountId)) ?? secrets.entries.get(accountId) ?? '').secret;

  it('speaks OAUTHBEARER to a server that offers only it, and XOAUTH2 where both are offered', async () => {
    const bearerOnly = await signedInAccount(ports.OAUTHBEARER, 'Bearer only');
    const sent = await send(bearerOnly, 'OAUTHBEARER');
    expect(sent.item.state).toBe('sent');
    expect(logins.at(-1)).toMatchObject({ method: 'OAUTHBEARER', ok: true });
    expect(sent.lines).toContain('C AUTH OAUTHBEARER ‹credentials redacted›');

    const both = await signedInAccount(ports.BOTH, 'Both');
    const viaBoth = await send(both, 'XOAUTH2 preferred');
    expect(viaBoth.item.state).toBe('sent');
    expect(logins.at(-1)).toMatchObject({ method: 'XOAUTH2', ok: true });
    expect(viaBoth.lines).toContain('C AUTH XOAUTH2 ‹credentials redacted›');
    for (const login of logins) secret(login.token, USER);
  });

  for (const mechanism of ['XOAUTH2', 'OAUTHBEARER'] as const) {
    it(`${mechanism}: a token refused with the 334 error challenge is renewed and the message sent in the same attempt`, async () => {
      const accountId = await signedInAccount(ports[mechanism], `Challenge ${mechanism}`);
      expect((await send(accountId, 'first')).item.state).toBe('sent');
      // The access token in hand stops working long before it expires (the sign-in itself stays valid).
      const inHand = logins.at(-1)?.token ?? '';
      await auth.invalidateAccessToken(inHand);
      const before = logins.length;
      const { item, detail, lines } = await send(accountId, 'after the challenge');
      expect(item.lastError ?? null).toBeNull();
      expect(item.state).toBe('sent');
      expect(detail.attempts).toHaveLength(1);
      const tried = logins.slice(before);
      expect(tried.map((l) => l.ok)).toEqual([false, true]);
      expect(tried[0]?.token).toBe(inHand);
      expect(tried[1]?.token).not.toBe(inHand);
      // The transcript shows the real exchange, with every credential line redacted.
      const authLines = lines.filter((l) => l.startsWith(`C AUTH ${mechanism}`));
      expect(authLines).toEqual([
        `C AUTH ${mechanism} ‹credentials redacted›`,
        `C AUTH ${mechanism} ‹credentials redacted›`,
      ]);
      expect(lines.some((l) => /^S 334 eyJ/.test(l))).toBe(true);
      expect(lines).toContain('C ‹credentials redacted›');
      expect(lines.some((l) => /^S 535/.test(l))).toBe(true);
      expect(lines.some((l) => /^S 235/.test(l))).toBe(true);
      for (const login of logins) secret(login.token, USER);
    });
  }

  it('a sign-in revoked while its token is in hand: the message waits, the account says "sign in again", once', async () => {
    const accountId = await signedInAccount(ports.XOAUTH2, 'Revoked');
    expect((await send(accountId, 'before')).item.state).toBe('sent');
    // The refresh token (and with it the grant and its access tokens) revoked at the provider.
    await revoke(storedRefreshToken(accountId));
    const first = await send(accountId, 'after revocation');
    expect(first.item.state).toBe('deferred');
    expect(first.item.lastError).toMatchObject({ code: 'SIGN_IN', details: { reason: 'sign_in_again' } });
    expect(first.item.attemptCount).toBe(0);
    const account = unwrap(await core.dispatch('accounts.list', {})).find((a) => a.id === accountId);
    expect(account?.signInNeeded?.message).toMatch(/no longer accepts/);
    const second = await send(accountId, 'still revoked');
    expect(second.item.state).toBe('deferred');
    const said = events.filter((e) => e.name === 'account.signInNeeded' && e.payload.id === accountId);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ payload: { name: 'Revoked' } });
  });

  it('a server that echoes the renewed token in its refusal: that token is redacted too, everywhere', async () => {
    // Challenges the first login whatever it holds, then quotes the second token back in its 535.
    let seen = 0;
    const echoing = await mailServer(['XOAUTH2'], (login, _session, callback) => {
      const token = login.accessToken ?? '';
      logins.push({ method: login.method, token, ok: false });
      if (seen++ % 2 === 0) return callback(null, { data: { status: '401', schemes: 'bearer' } });
      const blob = Buffer.from(`user=${USER}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
      return callback(Object.assign(new Error(`5.7.8 You sent ${blob}, token ${token}`), { responseCode: 535 }));
    });
    const accountId = await signedInAccount(echoing, 'Echoing');
    const { item, lines } = await send(accountId, 'echoed');
    const renewed = logins.at(-1)?.token ?? '';
    expect(renewed).not.toBe(logins.at(-2)?.token);
    secret(renewed, USER);
    expect(item.state).toBe('failed');
    const everything = JSON.stringify({ item, lines });
    expect(everything).not.toContain(renewed);
    expect(lines.some((l) => /^S 535 5\.7\.8 You sent ‹redacted›, token ‹redacted›/.test(l))).toBe(true);
    const test = unwrap(
      await core.dispatch('accounts.test', {
        id: accountId,
        host: '127.0.0.1',
        port: echoing,
        security: 'starttls',
        auth: 'OAUTH2',
        oauthProvider: 'test',
        username: USER,
      }),
    );
    for (const login of logins) secret(login.token, USER);
    expect(JSON.stringify(test)).not.toContain(logins.at(-1)?.token ?? '');
  });

  it('a server that quotes, on a later connection, every token the account held: all redacted', async () => {
    const quoted: string[] = [];
    let auths = 0;
    const quoting = await mailServer(
      ['XOAUTH2'],
      (login, _session, callback) => {
        quoted.push(login.accessToken ?? '');
        logins.push({ method: login.method, token: login.accessToken ?? '', ok: true });
        // The first token is challenged (so it is renewed); the rest are taken.
        if (auths++ === 0) return callback(null, { data: { status: '401', schemes: 'bearer' } });
        return callback(null, { user: login.username });
      },
      () =>
        `2.0.0 queued; you used ${quoted.join(' ')} and ${quoted.map((t) => Buffer.from(t).toString('base64')).join(' ')}`,
    );
    const accountId = await signedInAccount(quoting, 'Quoting');
    const first = await send(accountId, 'first');
    const second = await send(accountId, 'second');
    for (const token of quoted) secret(token, USER);
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const sent of [first, second]) {
      expect(sent.item.state).toBe('sent');
      const everything = JSON.stringify(sent);
      for (const token of quoted) expect(everything).not.toContain(token);
    }
  });

  it('a sign-in refused on the provider’s page, or forged on its way back and given up: a clear message, and nothing is written', async () => {
    const before = { accounts: unwrap(await core.dispatch('accounts.list', {})).length, keys: secrets.entries.size };
    const denied = unwrap(await core.dispatch('accounts.signInStart', { provider: 'test', loginHint: USER }));
    void signInHeadless(denied.url, { login: USER, consent: 'deny' });
    const refusal = await core.dispatch('accounts.signInFinish', { signInId: denied.signInId });
    expect(refusal).toMatchObject({ ok: false, error: { code: 'SIGN_IN', details: { reason: 'access_denied' } } });
    // A forged redirect (another state) is turned away and ends nothing; the person then gives up.
    const forged = unwrap(await core.dispatch('accounts.signInStart', { provider: 'test', loginHint: USER }));
    const stillWaiting = core.dispatch('accounts.signInFinish', { signInId: forged.signInId });
    const redirect = new URL(forged.url).searchParams.get('redirect_uri') ?? '';
    expect((await fetch(`${redirect}?code=stolen&state=forged`)).status).toBe(400);
    unwrap(await core.dispatch('accounts.signInCancel', { signInId: forged.signInId }));
    expect(await stillWaiting).toMatchObject({ ok: false });
    // Saving with either is refused too: no account, no keychain entry.
    for (const signInId of [denied.signInId, forged.signInId]) {
      const saved = await core.dispatch('accounts.save', accountWith(signInId, 'Never'));
      expect(saved).toMatchObject({ ok: false, error: { code: 'SIGN_IN' } });
    }
    expect(unwrap(await core.dispatch('accounts.list', {}))).toHaveLength(before.accounts);
    expect(secrets.entries.size).toBe(before.keys);
  });

  it('a finished sign-in goes only to the first server it is tested or saved with, and only to its provider’s servers', async () => {
    const startedSignInId = await finishedSignIn();
    const on = (host: string, port: number) => ({
      host,
      port,
      security: 'starttls' as const,
      auth: 'OAUTH2' as const,
      oauthProvider: 'test',
      username: USER,
      signInId: startedSignInId,
    });
    const before = logins.length;
    expect(unwrap(await core.dispatch('accounts.test', on('127.0.0.1', ports.XOAUTH2))).ok).toBe(true);
    // Another server with the same sign-in: refused before any connection, for tests and saves alike.
    const elsewhere = await core.dispatch('accounts.test', on('127.0.0.1', ports.BOTH));
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'SIGN_IN', details: { reason: 'other_server' } } });
    expect(elsewhere.ok ? '' : elsewhere.error.message).toMatch(/127\.0\.0\.1:\d+/);
    const savedElsewhere = await core.dispatch('accounts.save', {
      ...on('127.0.0.1', ports.BOTH),
      name: 'Elsewhere',
      email: USER,
    });
    expect(savedElsewhere).toMatchObject({ ok: false, error: { code: 'SIGN_IN' } });
    expect(logins.length).toBe(before + 1); // only the first test logged in anywhere
    // The provider names its own SMTP server: a sign-in never goes to another host, even first.
    const secondSignInId = await finishedSignIn();
    const otherHost = await core.dispatch('accounts.test', {
      ...on('localhost', ports.XOAUTH2),
      signInId: secondSignInId,
    });
    expect(otherHost).toMatchObject({ ok: false, error: { code: 'SIGN_IN', details: { reason: 'other_server' } } });
    expect(logins.length).toBe(before + 1);
  });

  it('a saved sign-in on changed settings asks to sign in again (or for a password), in those words', async () => {
    const accountId = await signedInAccount(ports.XOAUTH2, 'Moved');
    const settings = {
      id: accountId,
      host: '127.0.0.1',
      port: ports.BOTH,
      security: 'starttls' as const,
      auth: 'OAUTH2' as const,
      oauthProvider: 'test',
      username: USER,
    };
    const moved = await core.dispatch('accounts.test', settings);
    expect(moved).toMatchObject({ ok: false, error: { code: 'SECRET_REQUIRED' } });
    expect(moved.ok ? '' : `${moved.error.message} ${moved.error.hint}`).toMatch(/saved sign-in.*Sign in again/s);
    const asPassword = await core.dispatch('accounts.test', { ...settings, port: ports.XOAUTH2, auth: 'PLAIN' });
    expect(asPassword).toMatchObject({ ok: false, error: { code: 'SECRET_REQUIRED' } });
    expect(asPassword.ok ? '' : asPassword.error.hint).toMatch(/Type the password/);
  });

  it('Cancel closes the listener: the provider’s redirect finds nobody, and nothing of the sign-in is kept', async () => {
    const started = unwrap(await core.dispatch('accounts.signInStart', { provider: 'test', loginHint: USER }));
    const waiting = core.dispatch('accounts.signInFinish', { signInId: started.signInId });
    expect(unwrap(await core.dispatch('accounts.signInCancel', { signInId: started.signInId }))).toEqual({
      cancelled: true,
    });
    expect(await waiting).toMatchObject({ ok: false });
    const redirect = new URL(started.url).searchParams.get('redirect_uri') ?? '';
    await expect(fetch(`${redirect}?code=x&state=y`)).rejects.toThrow();
    const saved = await core.dispatch('accounts.save', accountWith(started.signInId, 'Cancelled'));
    expect(saved).toMatchObject({ ok: false, error: { code: 'SIGN_IN' } });
  });

  it('a sign-in cancelled after the browser came back (tokens being exchanged) cannot be saved', async () => {
    const started = unwrap(await core.dispatch('accounts.signInStart', { provider: 'test', loginHint: USER }));
    const finishing = core.dispatch('accounts.signInFinish', { signInId: started.signInId });
    await signInHeadless(started.url, { login: USER }); // the browser is back: the exchange is under way
    unwrap(await core.dispatch('accounts.signInCancel', { signInId: started.signInId }));
    // Whether the exchange had ended or not when Cancel came, nothing of it is kept.
    const finished = await finishing;
    if (!finished.ok) expect(finished.error).toMatchObject({ code: 'SIGN_IN', details: { reason: 'cancelled' } });
    const saved = await core.dispatch('accounts.save', accountWith(started.signInId, 'Late'));
    expect(saved).toMatchObject({ ok: false, error: { code: 'SIGN_IN' } });
  });

  it('a connection test before Save uses the new sign-in, and Save still keeps it', async () => {
    const startedSignInId = await finishedSignIn();
    const settings = {
      host: '127.0.0.1',
      port: ports.XOAUTH2,
      security: 'starttls' as const,
      auth: 'OAUTH2' as const,
      oauthProvider: 'test',
      username: USER,
      signInId: startedSignInId,
    };
    const test = unwrap(await core.dispatch('accounts.test', settings));
    expect(test.ok).toBe(true);
    expect(test.lines.map((l) => l.text)).toContain('AUTH XOAUTH2 ‹credentials redacted›');
    const saved = unwrap(
      await core.dispatch('accounts.save', { ...settings, name: 'Tested first', email: USER, testId: test.id }),
    );
    expect(saved).toMatchObject({ hasPassword: true, signInNeeded: null });
    expect(saved.lastTest?.ok).toBe(true);
  });
});
