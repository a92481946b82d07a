import type { Page } from '@playwright/test';
import type { FaultServer } from '../support/fault-server.ts';
import { startRelayApp, type RelayApp } from '../support/relay-app.ts';
import { snapshot } from '../support/snapshot.ts';
import type { WebApp } from '../support/web-app.ts';
import { expect, test } from './fixtures.ts';

/** Undo send, send later, retry now and the uncertain choice, as a person would use them. */
test.describe('outbox actions', () => {
  let relay: RelayApp;
  let app: WebApp;
  let server: FaultServer;
  // What the scripted server does next, per phase: set by each step of the test.
  const faults: { mail: string | null; dropAfterDot: boolean } = { mail: null, dropAfterDot: false };

  test.beforeAll(async () => {
    relay = await startRelayApp(
      'e2e-outbox',
      (phase) => {
        if (phase === 'mail' && faults.mail) return { reply: faults.mail };
        if (phase === 'dot' && faults.dropAfterDot) return { drop: true };
        return undefined;
      },
      { name: 'Local relay', email: 'me@relay.test' },
    );
    ({ app, server } = relay);
  });

  test.afterAll(async () => {
    await relay?.stop();
  });

  async function write(page: Page, subject: string) {
    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('pat@relay.test');
    await page.getByLabel('Subject').fill(subject);
    await page.getByRole('textbox', { name: 'Message' }).fill(`Body of ${subject}`);
  }

  const row = (page: Page, subject: string) =>
    page.getByRole('list', { name: 'Messages' }).getByRole('button').filter({ hasText: subject });

  test('undo, send later, retry now, uncertain', async ({ page }) => {
    await page.goto(await app.link());

    // Undo send: the toast takes the message back into the composer, nothing is sent.
    await write(page, 'Take this back');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const toast = page.locator('.toast');
    await expect(toast).toContainText(/Sending in \d s/);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByRole('heading', { name: 'New message' })).toBeVisible();
    await expect(page.getByLabel('Subject')).toHaveValue('Take this back');
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText('Body of Take this back');
    expect(server.accepted).toHaveLength(0);

    // Send later: scheduled, shown with its time, and cancellable.
    await page.getByRole('button', { name: 'Send later…' }).click();
    await expect(page.getByLabel('Send at')).not.toHaveValue('');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await expect(row(page, 'Take this back')).toContainText(/Scheduled for/);
    await page.getByRole('button', { name: 'Cancel sending' }).click();
    await expect(row(page, 'Take this back')).toContainText('Cancelled');

    // Retry now: the server says "later", the person does not want to wait.
    faults.mail = '451 4.7.1 Greylisted, come back later';
    await write(page, 'Greylisted');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(row(page, 'Greylisted')).toContainText(/Retrying in \d+:\d\d · attempt 1/, { timeout: 15_000 });
    faults.mail = null;
    await page.getByRole('button', { name: 'Retry now' }).click();
    await expect(row(page, 'Greylisted')).toContainText('Sent', { timeout: 15_000 });
    expect(server.accepted.map((m) => m.rcptTo)).toEqual([['pat@relay.test']]);

    // Uncertain: the connection dies after the final "."; the person decides.
    faults.dropAfterDot = true;
    await write(page, 'Did it arrive');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(row(page, 'Did it arrive')).toContainText('Uncertain', { timeout: 15_000 });
    await expect(page.getByText(/The server may or may not have it/)).toBeVisible();
    faults.dropAfterDot = false;
    await page.getByRole('button', { name: 'Resend (same Message-ID)' }).click();
    await expect(row(page, 'Did it arrive')).toContainText('Sent', { timeout: 15_000 });
    const ids = server.completed
      .filter((m) => m.data.includes('Did it arrive'))
      .map((m) => /^Message-ID: (.*)$/im.exec(m.data)?.[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);

    // A refusal: open the failed message, read what the reply means, see where it failed.
    faults.mail = '550 5.7.1 Relaying denied';
    await write(page, 'Refused');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(row(page, 'Refused')).toContainText('Failed', { timeout: 15_000 });
    faults.mail = null;
    const diagnosis = page.getByRole('complementary', { name: "What the server's reply means" });
    await expect(diagnosis).toContainText('Relay denied or sender not allowed');
    await expect(diagnosis).toContainText(/Log in/);
    await expect(page.locator('.line-failing')).toContainText('550 5.7.1 Relaying denied');
    await expect(page.getByRole('figure', { name: 'Timeline of this attempt' })).toContainText(
      /MAIL [\d.]+ ms · failed here/,
    );
    await snapshot(page, test.info(), 'failed');

    await page.getByRole('button', { name: 'Outbox' }).click();
    await row(page, 'Greylisted').click();
    await snapshot(page, test.info(), 'outbox');

    // The Sent view lists what was delivered.
    await page.getByRole('button', { name: 'Sent', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();
    const sentList = page.getByRole('list', { name: 'Search results' });
    await expect(sentList.getByRole('button').filter({ hasText: 'Greylisted' })).toBeVisible();
    await expect(sentList.getByRole('button').filter({ hasText: 'Did it arrive' })).toBeVisible();
    await expect(sentList.getByRole('button').filter({ hasText: 'Take this back' })).toHaveCount(0);

    // The logs: search what the server said, filter, open the message.
    await page.getByRole('button', { name: 'Logs', exact: true }).click();
    const results = page.getByRole('list', { name: 'Search results' });
    await expect(page.getByRole('status').filter({ hasText: /\d+ messages/ })).toBeVisible();
    await page.keyboard.press('ControlOrMeta+f');
    await expect(page.getByRole('searchbox', { name: 'Search subjects, addresses and transcripts' })).toBeFocused();
    await page.keyboard.type('relaying denied');
    await expect(results.getByRole('button')).toHaveCount(1);
    await expect(results.getByRole('button').first()).toContainText('Refused');
    await results.getByRole('button').first().click();
    await expect(page.getByRole('complementary', { name: "What the server's reply means" })).toContainText(
      'Relay denied',
    );
    await snapshot(page, test.info(), 'logs');
    await page.getByRole('searchbox', { name: 'Search subjects, addresses and transcripts' }).fill('');
    await page.getByLabel('State').selectOption('sent');
    await expect(results.getByRole('button')).toHaveCount(2);
  });
});
