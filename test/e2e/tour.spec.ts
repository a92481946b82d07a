import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FaultServer } from '../support/fault-server.ts';
import { startRelayApp, type RelayApp } from '../support/relay-app.ts';
import type { WebApp } from '../support/web-app.ts';
import { expect, test } from './fixtures.ts';
import { tourScreens } from './tour-screens.ts';

/**
 * Every view and every panel, opened, closed and opened again, at 1280×800 and 900×600, light
 * and dark (issue 18): axe-core finds nothing on any screen, no error escapes the page, and a
 * screenshot of each is kept (POSTHORN_SCREENSHOTS=docs/screenshots to refresh the docs' own).
 */
test.describe('a tour of every screen', () => {
  let relay: RelayApp;
  let app: WebApp;
  let server: FaultServer;

  test.beforeAll(async () => {
    relay = await startRelayApp(
      'e2e-tour',
      (phase, c) => {
        if (phase === 'rcpt' && c.arg.includes('gone@')) return { reply: '550 5.1.1 <gone@relay.test>: No such user' };
        if (phase === 'rcpt' && c.arg.includes('refused@')) return { reply: '554 5.7.1 Relay access denied' };
        return undefined;
      },
      { name: 'Ada Keys', email: 'ada@relay.test' },
    );
    ({ app, server } = relay);
    const accountId = relay.accountId;
    const message = (subject: string, to: string, extra: object = {}) =>
      app.call('outbox.enqueue', {
        accountId,
        to,
        subject,
        body: `About ${subject}.`,
        undoSeconds: 0,
        ...extra,
      });
    await message('Quarterly report', 'pat@relay.test');
    await message('Team lunch', 'pat@relay.test, gone@relay.test');
    await message('Relay check', 'refused@relay.test');
    await message('Monday plan', 'pat@relay.test', { sendAt: Date.now() + 2 * 86_400_000 });
    await app.call('drafts.save', {
      content: {
        accountId,
        identityId: null,
        to: 'pat@relay.test',
        cc: '',
        bcc: '',
        subject: 'Half-written idea',
        body: 'Still thinking.',
        html: null,
        priority: 'normal',
        dsn: { success: false, failure: false },
        attachments: [],
      },
    });
    // Wait until the three that go now have settled.
    await expect
      .poll(async () => {
        const list = await app.call('outbox.list', {});
        return list.ok ? list.value.filter((i) => ['sent', 'failed'].includes(i.state)).length : 0;
      })
      .toBe(3);
  });

  test.afterAll(async () => {
    await relay?.stop();
  });

  for (const size of [
    { width: 1280, height: 800 },
    { width: 900, height: 600 },
  ])
    for (const scheme of ['light', 'dark'] as const)
      test(`${size.width}×${size.height}, ${scheme}`, async ({ page }) => {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(await app.link());
        const seen = await tourScreens(page, test.info(), `${size.width}x${size.height}-${scheme}`);
        const problems = Object.entries(seen).filter(([, violations]) => violations.length > 0);
        expect(problems, problems.map(([screen, v]) => `${screen}:\n  ${v.join('\n  ')}`).join('\n')).toEqual([]);
        expect(Object.keys(seen).length).toBeGreaterThanOrEqual(14);
        expect(errors).toEqual([]);
      });

  test('Ctrl+Enter sends what is on the screen: highlighted words stay, no line is added', async ({ page }) => {
    await page.goto(await app.link());
    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('pat@relay.test');
    await page.getByLabel('Subject').fill('Keys on screen');
    await page.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.type('Hello there');
    await page.keyboard.press('Shift+ControlOrMeta+ArrowLeft');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(page.getByRole('heading', { name: 'Outbox', exact: true })).toBeVisible();
    await expect
      .poll(() => server.accepted.filter((m) => m.data.includes('Keys on screen')).length, { timeout: 15_000 })
      .toBe(1);
    const sent = server.accepted.find((m) => m.data.includes('Keys on screen'))?.data ?? '';
    expect(sent).toContain('Hello there');
    expect(sent).not.toMatch(/<br/i);
  });

  test('in a narrow window the focus follows the turn between the list and the message, by keyboard', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 900, height: 600 });
    await page.goto(await app.link());
    const outboxRow = page
      .getByRole('list', { name: 'Messages' })
      .getByRole('button')
      .filter({ hasText: 'Quarterly report' });
    await outboxRow.focus();
    await page.keyboard.press('Enter');
    // The row is hidden as the message opens: the focus goes to the way back, not to the page.
    await expect(page.getByRole('button', { name: 'Back to the list' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(outboxRow).toBeFocused();
    await page.getByRole('button', { name: 'Logs', exact: true }).click();
    const logsRow = page.getByRole('list', { name: 'Search results' }).getByRole('button').first();
    await logsRow.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Back to the list' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('button').first()).toBeFocused();
  });

  test('a view that fails shows what happened, is reported to the app log, and reloads', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(await app.link());
    // The core answers nonsense for one message: its detail cannot be drawn.
    await page.route('**/api/outbox.get', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true,"value":{}}' }),
    );
    await page
      .getByRole('list', { name: 'Messages' })
      .getByRole('button')
      .filter({ hasText: 'Quarterly report' })
      .click();
    await expect(page.getByRole('heading', { name: 'Outbox stopped working' })).toBeFocused();
    // The rest of the app still works.
    await page.getByRole('button', { name: 'Drafts' }).click();
    await expect(page.getByRole('heading', { name: 'Drafts' })).toBeVisible();
    await page.getByRole('button', { name: 'Outbox' }).click();
    await page.unroute('**/api/outbox.get');
    if (await page.getByRole('button', { name: 'Reload view' }).isVisible())
      await page.getByRole('button', { name: 'Reload view' }).click();
    await page
      .getByRole('list', { name: 'Messages' })
      .getByRole('button')
      .filter({ hasText: 'Quarterly report' })
      .click();
    await expect(page.getByRole('heading', { name: 'Quarterly report' })).toBeVisible();
    const log = readFileSync(path.join(relay.dataDir, 'logs', 'posthorn.log'), 'utf8');
    expect(log).toMatch(/ERROR \[page: Outbox\] /);
    expect(errors).toEqual([]);
  });
});
