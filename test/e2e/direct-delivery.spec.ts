import { selfSignedCertificate } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { snapshot } from '../support/snapshot.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { startWebApp, type WebApp } from '../support/web-app.ts';
import { axeViolations } from './axe.ts';
import { expect, test } from './fixtures.ts';

/**
 * Issue 21 in Chromium: a message to two domains sent by direct delivery. Each domain's MX
 * (found in a DNS server on 127.0.0.1) is an smtp-server on 127.0.0.1 at the direct-delivery
 * port (a setting: nothing binds 25); the Outbox shows two legs, each with its transcript.
 */
test.describe('direct delivery in browser mode', () => {
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let dns: DnsServer;
  let app: WebApp;
  let data: ReturnType<typeof tempDataDir>;

  test.beforeAll(async () => {
    data = tempDataDir('e2e-direct');
    keychain = await startKeychainSession();
    sink = await startSmtpSink({ certificate: selfSignedCertificate(), users: {}, extra: { authOptional: true } });
    dns = await startDnsServer(
      {},
      {
        mx: {
          'north.test': [{ exchange: 'mx.north.test', preference: 10 }],
          'south.test': [
            { exchange: 'mx1.south.test', preference: 10 },
            { exchange: 'mx2.south.test', preference: 20 },
          ],
          'sender.test': [{ exchange: 'mx.sender.test', preference: 10 }],
        },
        a: { 'mx.north.test': ['127.0.0.1'], 'mx2.south.test': ['127.0.0.1'] },
        // The first MX of south.test answers nowhere (nothing listens on ::1): the second takes it.
        aaaa: { 'mx1.south.test': ['::1'] },
      },
    );
    app = await startWebApp({
      dataDir: data.dir,
      env: { ...keychain.env, POSTHORN_DNS_SERVERS: dns.address, POSTHORN_DIRECT_PORT: String(sink.port) },
    });
    // The account gives the From address; direct delivery does not use its server.
    const saved = await app.call('accounts.save', {
      name: 'Ada at Sender',
      email: 'ada@sender.test',
      host: '127.0.0.1',
      port: 9,
      security: 'none',
      auth: 'none',
      username: '',
    });
    expect(saved.ok).toBe(true);
  });

  test.afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await dns?.close();
    await keychain?.stop();
    data?.remove();
  });

  test('a message to two domains: two legs, each with its DNS answers and its own transcript', async ({ page }) => {
    await page.goto(await app.link());
    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('nina@north.test, sam@south.test');
    await page.getByLabel('Subject').fill('Straight to your server');
    await page.getByRole('textbox', { name: 'Message' }).fill('Delivered without a relay.');
    await page.getByText('Options').click();
    await page.getByLabel('Send through').selectOption('direct');
    await expect(page.getByText(/Most home and mobile networks block port 25/)).toBeVisible();
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const rows = page.getByRole('list', { name: 'Messages' }).getByRole('button');
    const north = rows.filter({ hasText: 'Direct · north.test' });
    const south = rows.filter({ hasText: 'Direct · south.test' });
    await expect(north).toContainText('Sent');
    await expect(south).toContainText('Sent');
    expect(sink.messages.map((m) => m.rcptTo.join(',')).sort()).toEqual(['nina@north.test', 'sam@south.test']);

    await south.click();
    const legs = page.getByRole('region', { name: 'Direct delivery' });
    await expect(legs).toContainText('Sent to all 2 domains.');
    const transcript = page.getByRole('list', { name: 'SMTP transcript' });
    for (const expected of [
      'DNS MX south.test: 10 mx1.south.test, 20 mx2.south.test',
      /Trying MX mx1\.south\.test \(preference 10\): ::1 port/,
      /Trying MX mx2\.south\.test \(preference 20\): 127\.0\.0\.1 port/,
      /RCPT TO:<sam@south\.test>/,
      /^250 2\.0\.0 Ok: queued as SINK\d/,
    ])
      await expect(transcript.locator('.text').filter({ hasText: expected }).first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await snapshot(page, test.info(), 'direct-transcript');

    // The other leg, a key press away: its own server and transcript, and the focus on its heading.
    await legs.getByRole('button', { name: 'north.test' }).press('Enter');
    await expect(page.getByRole('heading', { name: 'Straight to your server', level: 2 })).toBeFocused();
    await expect(transcript.locator('.text').filter({ hasText: 'DNS MX north.test: 10 mx.north.test' })).toBeVisible();
    await expect(transcript.locator('.text').filter({ hasText: /RCPT TO:<nina@north\.test>/ })).toBeVisible();

    // A dry run would ask the account's server, not the recipients': it says so instead.
    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('nina@north.test');
    await page.getByText('Options').click();
    await page.getByLabel('Send through').selectOption('direct');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect(page.getByText(/A dry run asks the account's server, but this message goes directly/)).toBeVisible();
  });
});
