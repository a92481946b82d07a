import { selfSignedCertificate, trustCertificateEnv } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { snapshot } from '../support/snapshot.ts';
import { findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { startWebApp, type WebApp } from '../support/web-app.ts';
import { expect, test } from './fixtures.ts';

const USER = 'ada@example.test';
const PASSWORD = secret('e2e-Pa55word!', USER);
const b64 = (s: string) => Buffer.from(s).toString('base64');

test.describe('a new user sends their first message in browser mode', () => {
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let app: WebApp;
  let dns: DnsServer;
  // Made in beforeAll: Playwright also loads this file just to list its tests.
  let data: ReturnType<typeof tempDataDir>;

  test.beforeAll(async () => {
    data = tempDataDir('e2e');
    keychain = await startKeychainSession();
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({ certificate, users: { [USER]: PASSWORD } });
    // example.test publishes its submission server in DNS (RFC 6186), served on 127.0.0.1.
    dns = await startDnsServer(
      { '_submission._tcp.example.test': [{ priority: 0, weight: 1, port: sink.port, target: '127.0.0.1' }] },
      { mx: { 'example.test': [{ exchange: 'mx.example.test', preference: 10 }] } },
    );
    // The test server's certificate is trusted explicitly, as a person would add a private CA.
    app = await startWebApp({
      dataDir: data.dir,
      env: { ...keychain.env, ...trustCertificateEnv(data.dir, certificate), POSTHORN_DNS_SERVERS: dns.address },
    });
  });

  test.afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await dns?.close();
    await keychain?.stop();
    data?.remove();
  });

  test('add the account, write, send, see Sent, read the transcript', async ({ page }) => {
    const payloads: string[] = [];
    page.on('response', async (response) => {
      if (response.url().includes('/api/')) payloads.push(await response.text().catch(() => ''));
    });

    const link = await app.link();
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Welcome to Posthorn' })).toBeVisible();
    await expect(page).not.toHaveURL(/code=|token=/); // the one-time code leaves the address bar
    // A reload keeps this tab's session; the same link in another tab is spent and says so.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Welcome to Posthorn' })).toBeVisible();
    const other = await page.context().newPage();
    await other.goto(link);
    await expect(other.getByRole('alert')).toContainText('This link was already used.');
    await expect(other.getByRole('alert')).toContainText('press Enter in the terminal');
    await other.goto(await app.link());
    await expect(other.getByRole('heading', { name: 'Welcome to Posthorn' })).toBeVisible();
    await other.close();
    expect(app.output()).toMatch(/A browser was let in with a start link \(\d+ sessions now\)/);

    // Set up from the address: the settings come from DNS, and say so.
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Your name').focus();
    await expect(page.getByText("Settings from: Your domain's DNS (SRV)")).toBeVisible();
    await expect(page.getByLabel('SMTP server')).toHaveValue('127.0.0.1');
    await expect(page.getByLabel('Port')).toHaveValue(String(sink.port));
    await expect(page.getByLabel('Security')).toHaveValue('starttls');
    await expect(page.getByLabel('Username', { exact: true })).toHaveValue(USER);
    await page.getByLabel('Your name').fill('Ada at Example');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);

    // Test it and read the verdict before saving.
    await page.getByRole('button', { name: 'Test connection' }).click();
    const verdict = page.getByRole('region', { name: 'Connection test result' });
    await expect(verdict.getByText('Everything works')).toBeVisible();
    await expect(verdict.getByText(/logged in as ada@example\.test/)).toBeVisible();
    await expect(verdict.getByRole('list', { name: 'Server capabilities' })).toContainText('AUTH PLAIN');
    await expect(verdict.getByText(/Trusted \(verified by your system\)/)).toBeVisible();
    await expect(verdict.getByText('SHA-256')).toBeVisible();
    expect(sink.messages).toHaveLength(0); // a test sends no mail
    await snapshot(page, test.info(), 'account', true);

    await page.getByRole('button', { name: 'Save account' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved “Ada at Example”' })).toBeVisible();
    await expect(page.getByText(/Password protected by Secret Service/)).toBeVisible();

    // The outbox's own settings sit under the accounts: a wrong value says what is allowed.
    const sending = page.getByRole('form', { name: 'Sending, for all accounts' });
    await expect(sending.getByLabel('Keep retrying for (hours)')).toHaveValue('72');
    await sending.getByLabel('Connections at once, all accounts').fill('99');
    await sending.getByRole('button', { name: 'Save sending settings' }).click();
    await expect(sending.getByText('At most 32 connections at once.')).toBeVisible();
    await sending.getByLabel('Connections at once, all accounts').fill('4');
    await sending.getByLabel('Keep retrying for (hours)').fill('48');
    await expect(sending.getByText(/fails after this long \(2 days\)/)).toBeVisible();
    await sending.getByRole('button', { name: 'Save sending settings' }).click();
    await expect(sending.getByRole('status')).toHaveText('Saved.');
    expect(await app.call('settings.get', {})).toEqual({
      ok: true,
      value: { retryHours: 48, maxConnections: 4, undoSeconds: 5 },
    });
    await snapshot(page, test.info(), 'accounts');

    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('Grace <grace@example.test>');
    await page.getByLabel('Subject').fill('Notes on the engine');
    await page
      .getByRole('textbox', { name: 'Message' })
      .fill('Dear Grace,\nthe analytical engine weaves algebraic patterns.\nAda');
    await snapshot(page, test.info(), 'compose');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const row = page.getByRole('list', { name: 'Messages' }).getByRole('button').first();
    await expect(row).toContainText('Sent');
    await expect(row).toContainText('grace@example.test');

    const transcript = page.getByRole('list', { name: 'SMTP transcript' });
    await expect(transcript).toBeVisible();
    for (const expected of [
      /EHLO /,
      /^STARTTLS$/,
      /AUTH PLAIN ‹credentials redacted›/,
      /MAIL FROM:<ada@example\.test>/,
      /RCPT TO:<grace@example\.test>/,
      /^DATA$/,
      /^250 2\.0\.0 Ok: queued as SINK1/,
    ]) {
      await expect(transcript.locator('.text').filter({ hasText: expected }).first()).toBeVisible();
    }
    await expect(page.locator('.facts')).toContainText(
      new RegExp(`127\\.0\\.0\\.1:${sink.port} · TLS 1\\.[23] · CN=localhost · queued as SINK1`),
    );
    await snapshot(page, test.info(), 'transcript');

    // Export loads on demand. If its code cannot be fetched (the network, or the app rebuilt
    // under an open page), only its place says so, and Try again fetches it afresh.
    await page.route('**/assets/ExportPanel-*.js', (route) => route.abort());
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Export could not be opened' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'SMTP transcript' })).toBeVisible();
    await snapshot(page, test.info(), 'export-could-not-open');
    await page.unroute('**/assets/ExportPanel-*.js');
    await page.getByRole('button', { name: 'Try again' }).click();

    // Export a transcript that is safe to share: previewed exactly as it will be written.
    const preview = page.getByLabel(/^Preview of posthorn-.*-transcript-safe\.txt$/);
    await expect(preview).toContainText('MAIL FROM:<sender@example.invalid>');
    await expect(preview).toContainText('RCPT TO:<recipient-1@example.invalid>');
    await expect(preview).not.toContainText('ada@example.test');
    await expect(preview).not.toContainText('grace@example.test');
    await preview.scrollIntoViewIfNeeded();
    await snapshot(page, test.info(), 'export');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Save posthorn-.*-transcript-safe\.txt$/ }).click();
    const file = await download;
    const { readFile } = await import('node:fs/promises');
    const saved = await readFile((await file.path()) ?? '', 'utf8');
    expect(saved).toContain('AUTH PLAIN ‹credentials redacted›');
    expect(saved).not.toContain('grace@example.test');

    const [received] = await sink.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['grace@example.test']);
    expect(received?.raw.toString()).toContain('Subject: Notes on the engine');

    // The undo toast goes away by itself once the message is on its way.
    await expect(page.locator('.toast')).toHaveCount(0, { timeout: 10_000 });

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
