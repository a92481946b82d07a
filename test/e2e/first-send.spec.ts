import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { selfSignedCertificate } from '../support/certs.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { startWebApp, type WebApp } from '../support/web-app.ts';

const USER = 'ada@example.test';
const PASSWORD = 'e2e-Pa55word!';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** POSTHORN_SCREENSHOTS=docs/screenshots npm run test:e2e refreshes the README's pictures. */
async function snapshot(page: Page, name: string) {
  const dir = process.env.POSTHORN_SCREENSHOTS ?? test.info().outputPath('screens');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

test.describe('a new user sends their first message in browser mode', () => {
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let app: WebApp;
  const data = tempDataDir('e2e');

  test.beforeAll(async () => {
    keychain = await startKeychainSession();
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({ certificate, users: { [USER]: PASSWORD } });
    // The test server's certificate is trusted explicitly, as a person would add a private CA.
    app = await startWebApp({ dataDir: data.dir, env: { ...keychain.env, NODE_EXTRA_CA_CERTS: certificate.certFile } });
  });

  test.afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await keychain?.stop();
    data.remove();
  });

  test('add the account, write, send, see Sent, read the transcript', async ({ page }) => {
    const payloads: string[] = [];
    page.on('response', async (response) => {
      if (response.url().includes('/api/')) payloads.push(await response.text().catch(() => ''));
    });

    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Welcome to Posthorn' })).toBeVisible();
    await expect(page).not.toHaveURL(/token=/); // the token leaves the address bar

    await page.getByLabel('Account name').fill('Ada at Example');
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('SMTP server').fill('127.0.0.1');
    await page.getByLabel('Security').selectOption('starttls');
    await page.getByLabel('Port').fill(String(sink.port));
    await page.getByLabel('Username', { exact: true }).fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await snapshot(page, 'account');
    await page.getByRole('button', { name: 'Save account' }).click();
    await expect(page.getByRole('status')).toContainText('Saved “Ada at Example”');
    await expect(page.getByText(/Password protected by Secret Service/)).toBeVisible();

    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To').fill('Grace <grace@example.test>');
    await page.getByLabel('Subject').fill('Notes on the engine');
    await page.getByRole('textbox', { name: 'Message' }).fill('Dear Grace,\nthe analytical engine weaves algebraic patterns.\nAda');
    await snapshot(page, 'compose');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const row = page.getByRole('list', { name: 'Messages' }).getByRole('button').first();
    await expect(row).toContainText('Sent');
    await expect(row).toContainText('grace@example.test');

    const transcript = page.getByRole('list', { name: 'SMTP transcript' });
    await expect(transcript).toBeVisible();
    for (const expected of [/EHLO /, /^STARTTLS$/, /AUTH PLAIN ‹credentials redacted›/, /MAIL FROM:<ada@example\.test>/, /RCPT TO:<grace@example\.test>/, /^DATA$/, /^250 2\.0\.0 Ok: queued as SINK1/]) {
      await expect(transcript.locator('.text').filter({ hasText: expected }).first()).toBeVisible();
    }
    await snapshot(page, 'transcript');

    const [received] = await sink.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['grace@example.test']);
    expect(received?.raw.toString()).toContain('Subject: Notes on the engine');

    // Nothing secret reached the page, the API answers or the data folder.
    const forbidden = [PASSWORD, b64(USER), b64(`\0${USER}\0${PASSWORD}`)];
    const pageText = await page.content();
    for (const needle of forbidden) {
      expect(pageText).not.toContain(needle);
      expect(payloads.join('\n')).not.toContain(needle);
    }
    expect(findInFiles(data.dir, forbidden)).toEqual([]);
  });
});
