import type { Page } from '@playwright/test';
import { selfSignedCertificate, trustCertificateEnv } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import {
  MAIL_SCOPE,
  startAuthorizationServer,
  TEST_CLIENT_ID,
  type AuthorizationServer,
} from '../support/oauth-server.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { snapshot } from '../support/snapshot.ts';
import { findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { startWebApp, type WebApp } from '../support/web-app.ts';
import { axeViolations } from './axe.ts';
import { expect, test } from './fixtures.ts';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
];

/** The screen at both window sizes, light and dark: axe-core finds nothing, and a screenshot of each is kept. */
async function look(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of SIZES)
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(page), `${name} at ${size.width}×${size.height}, ${scheme}`).toEqual([]);
      await snapshot(page, test.info(), `oauth/${name}-${size.width}x${size.height}-${scheme}`);
    }
  if (before) await page.setViewportSize(before);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The person's part on the provider's own pages (oidc-provider's login and consent), in the tab that opened. */
async function signInOnProviderPage(tab: Page, issuer: string): Promise<void> {
  await tab.waitForLoadState();
  expect(new URL(tab.url()).origin).toBe(issuer);
  const login = tab.getByPlaceholder('Enter any login');
  const consent = tab.getByRole('button', { name: 'Continue' });
  // Still signed in at the provider (the second time): it asks only for consent.
  await login.or(consent).first().waitFor();
  if (await login.isVisible()) {
    await login.fill(USER);
    await tab.getByPlaceholder('and password').fill('anything');
    await tab.getByRole('button', { name: 'Sign-in' }).click();
  }
  await consent.click();
  await expect(tab.getByText('You can close this tab and go back to Posthorn.')).toBeVisible();
  await tab.close();
}

const USER = 'ada@corp.test';

/**
 * Issue 20 end to end in Chromium: a person whose organisation signs in with its own provider
 * (oidc-provider on 127.0.0.1, configured as the custom provider) adds the account with "Sign in
 * with …", logs in and consents on the provider's own pages in the new tab, comes back, tests,
 * saves and sends; the SMTP server checks every token with the provider.
 */
test.describe('signing in with the provider in browser mode', () => {
  let keychain: KeychainSession;
  let auth: AuthorizationServer;
  let sink: SmtpSink;
  let dns: DnsServer;
  let app: WebApp;
  let data: ReturnType<typeof tempDataDir>;
  const tokens: string[] = [];

  test.beforeAll(async () => {
    data = tempDataDir('e2e-oauth');
    keychain = await startKeychainSession();
    auth = await startAuthorizationServer();
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({
      certificate,
      users: {},
      authMethods: ['XOAUTH2'],
      checkToken: async (username, token) => {
        tokens.push(secret(token, username));
        const answer = await auth.introspect(token);
        return answer.active && answer.sub === username;
      },
    });
    dns = await startDnsServer(
      { '_submission._tcp.corp.test': [{ priority: 0, weight: 1, port: sink.port, target: '127.0.0.1' }] },
      { mx: { 'corp.test': [{ exchange: 'mx.corp.test', preference: 10 }] } },
    );
    app = await startWebApp({
      dataDir: data.dir,
      env: {
        ...keychain.env,
        ...trustCertificateEnv(data.dir, certificate),
        POSTHORN_DNS_SERVERS: dns.address,
        POSTHORN_OAUTH_CUSTOM_ISSUER: auth.issuer,
        POSTHORN_OAUTH_CUSTOM_CLIENT_ID: TEST_CLIENT_ID,
        POSTHORN_OAUTH_CUSTOM_DOMAINS: 'corp.test',
        POSTHORN_OAUTH_CUSTOM_SCOPES: `openid offline_access ${MAIL_SCOPE}`,
        POSTHORN_OAUTH_CUSTOM_NAME: 'Corp Login',
      },
    });
  });

  test.afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await dns?.close();
    await auth?.close();
    await keychain?.stop();
    data?.remove();
  });

  test('sign in on the provider’s pages, test, save, send; the transcript shows the redacted XOAUTH2 line', async ({
    page,
  }) => {
    await page.goto(await app.link());
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Your name').focus();
    // The provider signs in: that comes first, and no password is asked for.
    const signIn = page.getByRole('button', { name: 'Sign in with Corp Login' });
    await expect(signIn).toBeVisible();
    await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0);
    await expect(page.getByLabel('SMTP server')).toHaveValue('127.0.0.1');
    await page.getByLabel('Your name').fill('Ada at Corp');
    await look(page, 'form-sign-in-first');

    // The provider's page opens in a new tab; the person logs in and consents there.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), signIn.click()]);
    await expect(page.getByText(/Finish signing in on Corp Login’s page/)).toBeVisible();
    await look(page, 'form-waiting');
    await signInOnProviderPage(tab, auth.issuer);

    await expect(page.getByText('Signed in with Corp Login.')).toBeVisible();
    await look(page, 'form-signed-in');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const verdict = page.getByRole('region', { name: 'Connection test result' });
    await expect(verdict.getByText('Everything works')).toBeVisible();
    await expect(verdict.getByText(/logged in as ada@corp\.test/)).toBeVisible();
    await page.getByRole('button', { name: 'Save account' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved “Ada at Corp”' })).toBeVisible();
    await expect(page.getByText(/signed in with Corp Login as ada@corp\.test/)).toBeVisible();
    await expect(page.getByText(/Sign-in protected by Secret Service/)).toBeVisible();

    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('grace@corp.test');
    await page.getByLabel('Subject').fill('Signed in');
    await page.getByRole('textbox', { name: 'Message' }).fill('Sent with a token, not a password.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const row = page.getByRole('list', { name: 'Messages' }).getByRole('button').first();
    await expect(row).toContainText('Sent');
    const transcript = page.getByRole('list', { name: 'SMTP transcript' });
    await expect(transcript.locator('.text').filter({ hasText: 'AUTH XOAUTH2 ‹credentials redacted›' })).toBeVisible();

    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]?.user).toBe(USER);
    expect(sink.logins.every((login) => login.ok && login.method === 'XOAUTH2')).toBe(true);
    expect(tokens.length).toBeGreaterThanOrEqual(2); // the test, then the send

    // The organisation revokes the sign-in (revoking a token at oidc-provider revokes its grant's refresh tokens too).
    const revoked = await fetch(`${auth.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.at(-1) ?? '', client_id: TEST_CLIENT_ID }),
    });
    expect(revoked.status).toBe(200);
    // An open, logged-in connection outlives a revocation: the next login is the one refused.
    sink.dropConnections();
    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('grace@corp.test');
    await page.getByLabel('Subject').fill('After the revocation');
    await page.getByRole('textbox', { name: 'Message' }).fill('This one waits for the sign-in.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    // Every screen says which account must sign in again; the message waits instead of failing.
    const banner = page.getByRole('status').filter({ hasText: '“Ada at Corp” must sign in again.' });
    await expect(banner).toBeVisible();
    const waiting = page
      .getByRole('list', { name: 'Messages' })
      .getByRole('button')
      .filter({ hasText: 'After the revocation' });
    await expect(waiting).not.toContainText(/Failed|Not sent/);
    await look(page, 'outbox-sign-in-banner');
    await banner.getByRole('button', { name: 'Sign in again under Accounts' }).click();
    await expect(page.getByText(/no longer accepts this account's sign-in/)).toBeVisible();
    await look(page, 'accounts-sign-in-again');

    const [again] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Sign in with Corp Login' }).click(),
    ]);
    await signInOnProviderPage(again, auth.issuer);
    await expect(page.getByRole('status').filter({ hasText: 'Signed in again: “Ada at Corp”' })).toBeVisible();
    await expect(page.getByText(/must sign in again/)).toHaveCount(0);
    await sink.waitForMessages(2);
    expect(sink.messages[1]?.raw.toString()).toContain('Subject: After the revocation');
    // No token in any file of the data folder (the refresh token lives in the keychain only).
    expect(findInFiles(data.dir, tokens)).toEqual([]);
  });
});
