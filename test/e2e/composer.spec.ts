import type { Page } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { selfSignedCertificate, trustCertificateEnv } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { snapshot } from '../support/snapshot.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { startWebApp, type WebApp } from '../support/web-app.ts';
import { expect, test } from './fixtures.ts';

/** The start of a text field: Ctrl+Home, or Cmd+Up on macOS (where Home does not move the caret). */
const DOCUMENT_START = process.platform === 'darwin' ? 'Meta+ArrowUp' : 'Control+Home';

const USER = 'lin@example.test';
/** A real 1×1 PNG, so the browser can show it. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PASSWORD = secret('composer-Pa55', USER);

/** Drops a file on an element as the OS would: a DataTransfer holding a File. */
async function dropFile(page: Page, selector: string, name: string, type: string, text: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name: n, type: t, text: body }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([body], n, { type: t }));
      return transfer;
    },
    { name, type, text },
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

test.describe('the composer, as a new user tries it', () => {
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let dns: DnsServer;
  let app: WebApp;
  let data: ReturnType<typeof tempDataDir>;

  test.beforeAll(async () => {
    data = tempDataDir('e2e-compose');
    keychain = await startKeychainSession();
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({
      certificate,
      users: { [USER]: PASSWORD },
      extra: {
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('nobody@'))
            return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
          callback();
        },
      },
    });
    dns = await startDnsServer({}, { mx: { 'example.test': [{ exchange: 'mx.example.test', preference: 10 }] } });
    app = await startWebApp({
      dataDir: data.dir,
      env: { ...keychain.env, ...trustCertificateEnv(data.dir, certificate), POSTHORN_DNS_SERVERS: dns.address },
    });
    const settings = {
      host: '127.0.0.1',
      port: sink.port,
      security: 'starttls' as const,
      auth: 'PLAIN' as const,
      username: USER,
      password: PASSWORD,
    };
    const saved = await app.call('accounts.save', {
      name: 'Lin',
      email: USER,
      ...settings,
      identities: [{ fromName: 'Lin Wei', fromAddress: USER, signature: 'Lin Wei · Engine room' }],
    });
    if (!saved.ok) throw new Error(saved.error.message);
    expect((await app.call('accounts.test', { id: saved.value.id, ...settings })).ok).toBe(true);
  });

  test.afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await dns?.close();
    await keychain?.stop();
    data?.remove();
  });

  test('chips, rich text, attachments, autosave and resume, warnings, dry run, preview, send', async ({ page }) => {
    await page.goto(await app.link());
    await page.getByRole('button', { name: 'New mail' }).click();

    // Recipients become chips; a bad one says why, and goes with its × button.
    const to = page.getByLabel('To', { exact: true });
    await to.fill('Ann <ann@example.test>, ann.example.test,');
    const chips = page.getByRole('list', { name: 'To recipients' });
    await expect(chips.getByRole('listitem')).toHaveCount(2);
    await expect(page.getByText('“ann.example.test” has no @ (write it as name@example.org).')).toBeVisible();
    await chips.getByRole('button', { name: 'Remove ann.example.test' }).click();
    await expect(chips.getByRole('listitem')).toHaveCount(1);
    await page.getByRole('button', { name: 'Add Cc or Bcc' }).click();
    await page.getByLabel('Bcc', { exact: true }).fill('boss@example.test');
    await page.getByLabel('Subject').fill('Engine notes');

    // Rich text: the signature is already there; bold through the toolbar.
    const body = page.getByRole('textbox', { name: 'Message' });
    await expect(body).toContainText('Lin Wei · Engine room');
    await body.click();
    await page.keyboard.press(DOCUMENT_START);
    await page.keyboard.type('The ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await expect(page.getByRole('button', { name: 'Bold' })).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.type('gears');
    // Off again with the keyboard shortcut, which is handled in order with the typing.
    await page.keyboard.press('ControlOrMeta+B');
    await page.keyboard.type(' are in place, see the attached plan.');
    await expect(page.getByRole('button', { name: 'Bold' })).toHaveAttribute('aria-pressed', 'false');

    // A link on the selected word "plan", through its dialog (Ctrl+K); only web and mail addresses.
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('ControlOrMeta+K');
    const linkDialog = page.getByRole('dialog', { name: 'Add link' });
    await linkDialog.getByLabel('Link address').fill('javascript:alert(1)');
    await linkDialog.getByRole('button', { name: 'Add link' }).click();
    await expect(
      linkDialog.getByText('Use a web address (https://…) or a mail address (mailto:name@example.com).'),
    ).toBeVisible();
    await snapshot(page, test.info(), 'link-dialog');
    await linkDialog.getByLabel('Link address').fill('https://example.test/plan');
    await page.keyboard.press('Enter');
    await expect(linkDialog).toHaveCount(0);
    await expect(body.locator('a[href="https://example.test/plan"]')).toHaveText('plan');
    await expect(page.getByRole('button', { name: 'Link' })).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('End');

    // Attachments: one dropped on the message, one through "Add files…".
    await dropFile(page, 'form.form', 'plan.txt', 'text/plain', 'gear ratios 3:1');
    await expect(page.getByRole('list', { name: 'Attachments' })).toContainText('plan.txt');
    await page.getByLabel('Files to attach').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.getByRole('list', { name: 'Attachments' })).toContainText('photo.png');
    await expect(page.getByText('2 attached')).toBeVisible();
    // The image goes into the text at the cursor, shown from the file itself.
    await page.getByRole('listitem').filter({ hasText: 'photo.png' }).getByLabel('In the text').check();
    await expect(body.locator('img.inline-image')).toHaveAttribute('alt', 'photo.png');
    await snapshot(page, test.info(), 'compose-rich', true);

    // Autosave, then a reload: the draft is in Drafts and opens as it was.
    await expect(page.getByText(/Draft saved/)).toBeVisible({ timeout: 10_000 });
    await page.reload();
    await page.getByRole('button', { name: 'Drafts' }).click();
    await snapshot(page, test.info(), 'drafts');
    await page.getByRole('button', { name: /^Engine notes/ }).click();
    await expect(page.getByRole('list', { name: 'To recipients' })).toContainText('Ann');
    await expect(page.getByRole('list', { name: 'Bcc recipients' })).toContainText('boss@example.test');
    await expect(page.getByRole('textbox', { name: 'Message' }).locator('strong')).toHaveText('gears');
    await expect(page.getByRole('list', { name: 'Attachments' })).toContainText('photo.png');
    // After a reload the picture comes from the stored attachment (a blob: URL, nothing remote).
    const reopened = page.getByRole('textbox', { name: 'Message' }).locator('img.inline-image');
    await expect(reopened).toHaveAttribute('alt', 'photo.png');
    await expect(reopened).toHaveAttribute('src', /^blob:/);
    expect(await reopened.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expect(page.getByRole('textbox', { name: 'Message' })).not.toContainText('[image: photo.png]');

    // A pre-send warning: no subject. Going back keeps everything.
    await page.getByLabel('Subject').fill('');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Before this goes out' });
    await expect(dialog).toContainText('The message has no subject.');
    await snapshot(page, test.info(), 'presend-warning');
    await dialog.getByRole('button', { name: 'Go back and fix' }).click();
    await page.getByLabel('Subject').fill('Engine notes');

    // Dry run: the server is asked about each recipient, nothing is sent.
    await page.getByLabel('To', { exact: true }).fill('nobody@example.test,');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const dry = page.getByRole('dialog', { name: /Dry run/ });
    await expect(dry).toContainText('ann@example.test would be accepted');
    await expect(dry).toContainText('nobody@example.test would be refused: 550 5.1.1 No such user here');
    await expect(dry.getByLabel('Transcript of the dry run')).toContainText('C: RCPT TO:<nobody@example.test>');
    await snapshot(page, test.info(), 'dry-run');
    await page.keyboard.press('Escape');
    await expect(dry).toBeHidden();
    expect(sink.messages).toHaveLength(0);
    await page
      .getByRole('list', { name: 'To recipients' })
      .getByRole('button', { name: 'Remove nobody@example.test' })
      .click();

    // The source preview: what will be sent; Bcc is not in it.
    await page.getByRole('button', { name: 'Preview source' }).click();
    const source = page.getByRole('dialog', { name: 'Message source' });
    await expect(source).toContainText('Subject: Engine notes');
    await expect(source).toContainText('filename=plan.txt');
    await expect(source).not.toContainText('boss@example.test');
    await page.keyboard.press('Escape');

    // Send with the keyboard; the draft goes with it.
    await page.getByLabel('Subject').press('ControlOrMeta+Enter');
    const row = page.getByRole('list', { name: 'Messages' }).getByRole('button').first();
    await expect(row).toContainText('Sent', { timeout: 20_000 });
    const [received] = await sink.waitForMessages(1);
    expect(received?.rcptTo.sort()).toEqual(['ann@example.test', 'boss@example.test']);
    const mail = await simpleParser(received?.raw ?? Buffer.alloc(0));
    expect(String(mail.html)).toContain('<strong>gears</strong>');
    expect(mail.text).toContain('The gears are in place');
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['photo.png', 'plan.txt']);
    const photo = mail.attachments.find((a) => a.filename === 'photo.png');
    expect(photo?.contentDisposition).toBe('inline');
    expect(photo?.content.equals(PNG)).toBe(true);
    // mailparser resolves a cid: reference to its part: the picture sits in the text.
    expect(String(mail.html)).toContain(`<img src="data:image/png;base64,${PNG.toString('base64')}" alt="photo.png"`);
    expect(received?.raw.toString()).not.toMatch(/^Bcc:/im);
    await page.getByRole('button', { name: 'Drafts' }).click();
    await expect(page.getByText('No drafts.')).toBeVisible();

    // The dark theme follows the system.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'New mail' }).click();
    await page.getByLabel('To', { exact: true }).fill('ann@example.test, bad,');
    await snapshot(page, test.info(), 'compose-dark');
  });

  test('a shortcut pressed the instant a word is highlighted acts on that word', async ({ page }) => {
    await page.goto(await app.link());
    await page.getByRole('button', { name: 'New mail' }).click();
    const body = page.getByRole('textbox', { name: 'Message' });
    await body.click();
    await page.keyboard.press(DOCUMENT_START);
    await page.keyboard.type('Bring the map and the compass.');
    await expect(body).toContainText('Bring the map and the compass.');

    /**
     * Highlights a word and presses a shortcut in one go, before the browser's selectionchange
     * event has run: what a busy machine does to a quick Shift+arrows then Ctrl+K.
     */
    const highlightThenPress = (word: string, key: string) =>
      body.evaluate(
        (editor, [w, k]) => {
          const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent?.indexOf(w) ?? -1;
            if (at < 0) continue;
            getSelection()?.setBaseAndExtent(node, at, node, at + w.length);
            editor.dispatchEvent(
              new KeyboardEvent('keydown', {
                key: k,
                code: `Key${k.toUpperCase()}`,
                // The editor's shortcuts use Cmd on macOS, Ctrl elsewhere.
                ctrlKey: !/Mac/.test(navigator.platform),
                metaKey: /Mac/.test(navigator.platform),
                bubbles: true,
                cancelable: true,
              }),
            );
            return;
          }
          throw new Error(`"${w}" is not in the message`);
        },
        [word, key] as const,
      );

    await highlightThenPress('map', 'b');
    await expect(body.locator('strong')).toHaveText('map');
    await highlightThenPress('compass', 'k');
    const linkDialog = page.getByRole('dialog', { name: 'Add link' });
    await linkDialog.getByLabel('Link address').fill('https://example.test/compass');
    await page.keyboard.press('Enter');
    await expect(linkDialog).toHaveCount(0);
    await expect(body.locator('a[href="https://example.test/compass"]')).toHaveText('compass');
  });

  test('a mailto: link opens a new message with its recipients, subject and body', async ({ page }) => {
    const link =
      'mailto:ann@example.test,bob@example.test?cc=carl@example.test&subject=Hello%0D%0ABcc:%20spy@evil.test&body=Line%20one%0D%0ALine%20two&from=ceo@example.test';
    await page.goto(`${await app.link()}&compose=${encodeURIComponent(link)}`);
    await expect(page.getByRole('heading', { name: 'New message' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'To recipients' }).getByRole('listitem')).toHaveCount(2);
    await expect(page.getByRole('list', { name: 'Cc recipients' })).toContainText('carl@example.test');
    // A line break in the link cannot add a header: the subject stays one line.
    await expect(page.getByLabel('Subject')).toHaveValue('Hello Bcc: spy@evil.test');
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Line one\nLine two');
    await expect(page.getByLabel('From')).toHaveValue(/lin@example\.test|\|/);
    await expect(page).not.toHaveURL(/compose=|code=|token=/);

    await page.goto('about:blank');
    await page.goto(`${await app.link()}&compose=${encodeURIComponent('mailto:a@example.test?subject=%E0%A4%A')}`);
    await expect(
      page.getByText('The mail link could not be opened: Part of the link is not validly encoded.'),
    ).toBeVisible();
  });
});
