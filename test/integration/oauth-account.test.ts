import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import type { ConfiguredProvider } from '../../src-main/core/oauth/oauth-service.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { unsealSecret } from '../../src-main/core/secrets/sealed-secret.ts';
import { keychainAccountName } from '../../src-main/core/secrets/secret-store.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { signInHeadless } from '../support/headless-browser.ts';
import {
  testProvider,
  startAuthorizationServer,
  TEST_CLIENT_ID,
  type AuthorizationServer,
} from '../support/oauth-server.ts';
import { secret } from '../support/secret-watch.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const USER = 'ada@example.test';

/**
 * An account signed in with a provider, end to end through the contract (issue 20): sign in
 * (the person's part on oidc-provider's own pages), save, send through an smtp-server that
 * checks every XOAUTH2 token with the authorization server (introspection); a revoked sign-in
 * makes the message wait, unburned, and it goes once the person signs in again.
 */
describe('an account signed in with a provider', () => {
  const data = tempDataDir('oauth-account');
  const certificate = selfSignedCertificate();
  const secrets = new MemorySecretStore();
  let auth: AuthorizationServer;
  let smtp: SMTPServer;
  let smtpPort = 0;
  let core: Core;
  const logins: { token: string; ok: boolean }[] = [];
  let received = 0;

  beforeAll(async () => {
    auth = await startAuthorizationServer({ accessTokenSeconds: 3 });
    smtp = new SMTPServer({
      key: certificate.key,
      cert: certificate.cert,
      authMethods: ['XOAUTH2'],
      logger: false,
      onAuth(login, _session, callback) {
        void auth.introspect(login.accessToken ?? '').then((answer) => {
          const ok = answer.active && answer.sub === login.username;
          logins.push({ token: login.accessToken ?? '', ok });
          if (!ok) return callback(Object.assign(new Error('5.7.8 Invalid token'), { responseCode: 535 }));
          return callback(null, { user: login.username });
        });
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          received++;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    const provider: ConfiguredProvider = { ...testProvider(auth, smtpPort), clientId: TEST_CLIENT_ID };
    core = createTestCore({
      dataDir: data.dir,
      secrets,
      mode: 'test',
      trustedCertificates: [certificate.cert],
      oauthProviders: [provider],
      // A connection per message: every message logs in, so token renewal shows.
      messagesPerConnection: 1,
    });
  });

  afterAll(async () => {
    await core?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await auth?.close();
    data.remove();
  });

  /** The page's part: start, open the URL (the person signs in there), finish. */
  async function signInThroughThePage(): Promise<string> {
    const started = unwrap(await core.dispatch('accounts.signInStart', { provider: 'test', loginHint: USER }));
    void signInHeadless(started.url, { login: USER });
    unwrap(await core.dispatch('accounts.signInFinish', { signInId: started.signInId }));
    return started.signInId;
  }

  const settings = () => ({
    name: 'Ada',
    email: USER,
    host: '127.0.0.1',
    port: smtpPort,
    security: 'starttls' as const,
    auth: 'OAUTH2' as const,
    oauthProvider: 'test',
    username: USER,
  });

  let accountId = '';

  it('signs in, saves with the refresh token in the keychain only, and sends with a checked token', async () => {
    const signInId = await signInThroughThePage();
    const account = unwrap(await core.dispatch('accounts.save', { ...settings(), signInId }));
    accountId = account.id;
    expect(account).toMatchObject({ auth: 'OAUTH2', oauthProvider: 'test', hasPassword: true });
    const kept = unsealSecret(
      secrets.entries.get(keychainAccountName(account.id)) ?? secrets.entries.get(account.id) ?? '',
    );
    secret(kept.secret, USER);
    expect(kept.secret.length).toBeGreaterThan(20);
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'bo@example.test',
        subject: 'Hi',
        body: 'B',
        undoSeconds: 0,
      }),
    );
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred'], 15_000)).state).toBe('sent');
    expect(logins.at(-1)?.ok).toBe(true);
    for (const login of logins) secret(login.token, USER);
    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    const lines = unwrap(await core.dispatch('attempts.transcript', { attemptId: detail.attempts[0]?.id ?? '' }));
    expect(lines.map((l) => l.text)).toContain('AUTH XOAUTH2 ‹credentials redacted›');
  });

  it('a batch that spans the access token’s life: every message once, the token renewed', async () => {
    const before = received;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(
        unwrap(
          await core.dispatch('outbox.enqueue', {
            accountId,
            to: `r${i}@example.test`,
            subject: `M${i}`,
            body: 'B',
            undoSeconds: 0,
          }),
        ).id,
      );
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    for (const id of ids)
      expect((await waitForState(core, id, ['sent', 'failed', 'deferred'], 20_000)).state).toBe('sent');
    expect(received - before).toBe(6);
    for (const login of logins) secret(login.token, USER);
    expect(new Set(logins.filter((l) => l.ok).map((l) => l.token)).size).toBeGreaterThan(1);
  });

  it('a revoked sign-in: the message waits without burning attempts, and goes once the person signs in again', async () => {
    const stored = unsealSecret(
      secrets.entries.get(keychainAccountName(accountId)) ?? secrets.entries.get(accountId) ?? '',
    );
    const revoke = await fetch(`${auth.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: stored.secret, client_id: TEST_CLIENT_ID }),
    });
    expect(revoke.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3200)); // the access token in hand lapses
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'late@example.test',
        subject: 'Late',
        body: 'B',
        undoSeconds: 0,
      }),
    );
    const waiting = await waitForState(core, queued.id, ['deferred', 'failed', 'sent'], 15_000);
    expect(waiting.state).toBe('deferred');
    expect(waiting.lastError).toMatchObject({ code: 'SIGN_IN', details: { reason: 'sign_in_again' } });
    expect(waiting.attemptCount).toBe(0); // waiting for the person is not a failed attempt
    const signInId = await signInThroughThePage();
    unwrap(await core.dispatch('accounts.save', { ...settings(), id: accountId, signInId }));
    expect((await waitForState(core, queued.id, ['sent', 'failed'], 15_000)).state).toBe('sent');
    for (const login of logins) secret(login.token, USER);
  });
});
