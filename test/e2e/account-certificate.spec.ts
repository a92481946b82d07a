import { selfSignedCertificate } from '../support/certs.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { startWebApp, type WebApp } from '../support/web-app.ts';
import { expect, test } from './fixtures.ts';

const USER = 'ops@own-server.test';
const PASSWORD = secret('own-Server-pass', USER);

/** An own server with a self-signed certificate: refused, inspected, trusted for this account only. */
test.describe('account with a self-signed certificate', () => {
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let app: WebApp;
  // Made in beforeAll: Playwright also loads this file just to list its tests.
  let data: ReturnType<typeof tempDataDir>;

  test.beforeAll(async () => {
    data = tempDataDir('e2e-cert');
    keychain = await startKeychainSession();
    sink = await startSmtpSink({ certificate: selfSignedCertificate(), users: { [USER]: PASSWORD } });
    app = await startWebApp({ dataDir: data.dir, env: { ...keychain.env } }); // no extra CA: the certificate is unknown
  });

  test.afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await keychain?.stop();
    data?.remove();
  });

  test('test, see why it is refused, trust that certificate, test again, save', async ({ page }) => {
    await page.goto(await app.link());
    // Saving an empty form: each field says what it needs, and nothing is saved.
    await page.getByRole('button', { name: 'Save account' }).click();
    await expect(page.getByText('Enter the SMTP server, for example smtp.example.org.')).toBeVisible();
    await expect(page.getByText(/The email address must be an email address/)).toBeVisible();
    await expect(page.getByLabel('SMTP server')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Your name').focus();
    await expect(page.getByText('Settings from: A guess')).toBeVisible();
    await page.getByLabel('SMTP server').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(sink.port));
    await page.getByLabel('Your name').fill('Own server');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByRole('region', { name: 'Connection test result' });
    await expect(result.getByText("The server's certificate is not trusted")).toBeVisible();
    await expect(result.getByText(/Not trusted: .*SELF_SIGNED/i)).toBeVisible();
    const fingerprint = (await result.locator('.fingerprint').textContent()) ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(sink.logins).toHaveLength(0);

    await result.getByRole('button', { name: 'Trust this certificate for this account' }).click();
    await expect(page.getByText(`This account trusts one certificate: ${fingerprint}`)).toBeVisible();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(result.getByText('Everything works')).toBeVisible();
    await expect(result.getByText('Trusted for this account (pinned)')).toBeVisible();

    await page.getByRole('button', { name: 'Save account' }).click();
    await expect(page.getByText('trusts one pinned certificate')).toBeVisible();
    await expect(page.getByText(/Last test .*: Everything works/)).toBeVisible();
  });
});
