import type { Page, TestInfo } from '@playwright/test';
import { snapshot } from '../support/snapshot.ts';
import { axeViolations } from './axe.ts';
import { expect } from './fixtures.ts';

/**
 * Walks every view and panel as a person would (open, close, switch, reopen), checking each
 * screen with axe-core and keeping a screenshot named `<prefix>-<screen>`. Returns each
 * screen's violations.
 */
export async function tourScreens(page: Page, info: TestInfo, prefix: string): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {};
  /** A message from the list; in a narrow window the list comes back first ("Back to the list"). */
  const pick = async (subject: string) => {
    const back = page.getByRole('button', { name: 'Back to the list' });
    if (await back.isVisible()) await back.click();
    await row(subject).click();
    await expect(page.getByRole('heading', { name: subject, exact: true })).toBeVisible();
  };
  const look = async (screen: string) => {
    seen[screen] = await axeViolations(page);
    await snapshot(page, info, `tour/${prefix}-${screen}`);
  };
  // "Outbox" may carry its badge ("Outbox 2 need attention").
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Posthorn' }).getByRole('button', { name: new RegExp(`^${name}\\b`) });
  const row = (subject: string) =>
    page
      .getByRole('list', { name: /Messages|Search results/ })
      .getByRole('button')
      .filter({ hasText: subject });

  // Outbox: the list, one message, its export panel (closed with Esc, then reopened and closed).
  await nav('Outbox').click();
  await expect(page.getByRole('heading', { name: 'Outbox', exact: true })).toBeVisible();
  await look('outbox');
  await pick('Team lunch');
  await expect(page.getByRole('article', { name: 'Team lunch' }).getByText('Sent, 1 refused')).toBeVisible();
  await look('outbox-partly-refused');
  await page.getByRole('button', { name: 'Export…' }).first().click();
  const exportPanel = page.getByRole('region', { name: 'Export' });
  await expect(exportPanel.getByRole('button', { name: /^Save / })).toBeVisible();
  await look('outbox-export');
  await exportPanel.getByRole('combobox', { name: 'Format' }).focus();
  await page.keyboard.press('Escape');
  await expect(exportPanel).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export…' }).first()).toBeFocused();
  await page.getByRole('button', { name: 'Export…' }).first().click();
  await exportPanel.getByRole('button', { name: 'Close' }).click();
  await expect(exportPanel).toHaveCount(0);
  await pick('Relay check');
  await look('outbox-failed');

  // Drafts, Sent, Logs.
  await nav('Drafts').click();
  await expect(page.getByRole('heading', { name: 'Drafts', exact: true })).toBeVisible();
  await look('drafts');
  await nav('Sent').click();
  await expect(row('Quarterly report')).toBeVisible();
  await look('sent');
  await nav('Logs').click();
  await pick('Relay check');
  await look('logs');

  // Accounts, and the form to add one (opened, cancelled, opened again).
  await nav('Accounts').click();
  await expect(page.getByRole('heading', { name: 'Accounts', exact: true })).toBeVisible();
  await look('accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('form', { name: 'Add an account' })).toBeVisible();
  await look('account-form');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // The composer and its dialogs, each closed and the composer still working after.
  await page.getByRole('button', { name: 'New mail' }).click();
  await expect(page.getByRole('heading', { name: 'New message', exact: true })).toBeVisible();
  await look('compose');
  await page.getByLabel('To', { exact: true }).fill('pat@relay.test');
  await page.getByRole('button', { name: 'Add Cc or Bcc' }).click();
  await expect(page.getByLabel('Cc', { exact: true })).toBeFocused();
  const body = page.getByRole('textbox', { name: 'Message' });
  await body.click();
  await page.keyboard.type('A plan with a link');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('ControlOrMeta+B');
  await page.keyboard.press('ControlOrMeta+K');
  const linkDialog = page.getByRole('dialog', { name: 'Add link' });
  await expect(linkDialog).toBeVisible();
  await look('compose-link');
  await page.keyboard.press('Escape');
  await expect(linkDialog).toHaveCount(0);
  // No subject: the checks say so before anything goes.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const warnings = page.getByRole('dialog', { name: 'Before this goes out' });
  await expect(warnings).toBeVisible();
  await look('compose-warnings');
  await warnings.getByRole('button', { name: 'Go back and fix' }).click();
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Preview source' }).click();
  await expect(page.getByRole('dialog', { name: 'Message source' })).toBeVisible();
  await look('compose-source');
  await page.getByRole('dialog', { name: 'Message source' }).getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Dry run' }).click();
  const dry = page.getByRole('dialog', { name: /Dry run/ });
  await expect(dry).toContainText('pat@relay.test would be accepted');
  await look('compose-dry-run');
  await page.keyboard.press('Escape');
  await page.getByLabel('Plain text').click();
  await expect(page.getByRole('dialog', { name: 'Switch to plain text?' })).toBeVisible();
  await look('compose-plain-text');
  await page.getByRole('button', { name: 'Keep formatting' }).click();
  await page.getByRole('button', { name: 'Send later…' }).click();
  await expect(page.getByRole('button', { name: 'Tomorrow morning' })).toBeVisible();
  // The button went; the focus is where the time is chosen, not on the page.
  await expect(page.getByLabel('Send at')).toBeFocused();
  await look('compose-send-later');
  await page.getByRole('button', { name: 'Send now instead' }).click();
  await page.getByLabel('Subject').fill(`Tour ${prefix}`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const toast = page.locator('.toast');
  await expect(toast).toBeVisible();
  // The composer (and the Send button with the focus) is gone: the focus is on the Outbox's heading.
  await expect(page.getByRole('heading', { name: 'Outbox', exact: true })).toBeFocused();
  await look('sent-toast');
  await page.keyboard.press('Escape');
  await expect(toast).toHaveCount(0);
  return seen;
}
