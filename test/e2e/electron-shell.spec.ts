import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { channels } from '../../src-main/shared/contract.ts';
import { selfSignedCertificate, trustCertificateEnv } from '../support/certs.ts';
import { electronBinary, NO_ELECTRON_REASON } from '../support/electron-binary.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';

const binary = electronBinary();
/** Where Electron can be downloaded (the GitHub workflow), a missing binary is a failure, never a skip. */
const required = process.env.POSTHORN_REQUIRE_ELECTRON === '1';
const USER = 'eli@example.test';
const PASSWORD = secret('electron-Pa55', USER);

/**
 * The desktop app itself (the packaged entry, `.` = package.json's main), driven through
 * Playwright's Electron support. Runs where the Electron binary is installed; skipped here,
 * with the reason printed, where it cannot be downloaded.
 */
test.describe('Electron shell', () => {
  test.skip(!binary && !required, NO_ELECTRON_REASON);
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let data: ReturnType<typeof tempDataDir>;
  let env: Record<string, string>;

  test.beforeAll(async () => {
    if (!binary)
      throw new Error(
        `POSTHORN_REQUIRE_ELECTRON is set, but ${NO_ELECTRON_REASON.split(';')[0]}: run node node_modules/electron/install.js first.`,
      );
    data = tempDataDir('electron');
    keychain = await startKeychainSession();
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({ certificate, users: { [USER]: PASSWORD } });
    env = {
      ...(process.env as Record<string, string>),
      ...keychain.env,
      POSTHORN_DATA_DIR: data.dir,
      ...trustCertificateEnv(data.dir, certificate),
    };
  });

  test.afterAll(async () => {
    await sink?.close();
    await keychain?.stop();
    data?.remove();
  });

  const launch = (args: string[] = []) =>
    electron.launch({ executablePath: binary ?? undefined, args: ['.', ...args], env });
  const closeApp = async (app: ElectronApplication) => {
    // Quitting with nothing waiting asks nothing; the app's own quit path runs.
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    await app.close().catch(() => undefined);
  };

  test('opens a hardened window whose preload exposes one method per channel', async () => {
    const app = await launch();
    try {
      const page = await app.firstWindow();
      await expect(page.getByText('Posthorn').first()).toBeVisible();
      const exposed = await page.evaluate(() => Object.keys(window.posthorn ?? {}).sort());
      expect(exposed).toEqual([...channels, 'addDroppedFiles', 'pickFiles', 'on'].sort());
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      // The native menu is there, with the usual commands.
      const labels = await app.evaluate(
        ({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label.replace('&', '')) ?? [],
      );
      expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']));
    } finally {
      await closeApp(app);
    }
  });

  test('sends a message through smtp-server, from account set-up to the server', async () => {
    const app = await launch();
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'Welcome to Posthorn' })).toBeVisible();
      await page.getByLabel('Email address').fill(USER);
      await page.getByLabel('Your name').fill('Eli');
      await page.getByLabel('SMTP server').fill('127.0.0.1');
      await page.getByLabel('Port').fill(String(sink.port));
      await page.getByLabel('Security').selectOption('starttls');
      await page.getByLabel('Username', { exact: true }).fill(USER);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Save account' }).click();
      await page.getByRole('button', { name: 'New mail' }).click();
      await page.getByLabel('To', { exact: true }).fill('grace@example.test');
      await page.getByLabel('Subject').fill('From the desktop app');
      await page.getByRole('textbox', { name: 'Message' }).fill('Sent by Electron.');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => sink.messages.length, { timeout: 20_000 }).toBe(1);
      expect(sink.messages[0]?.rcptTo).toEqual(['grace@example.test']);
      expect(sink.messages[0]?.raw.toString('utf8')).toContain('Subject: From the desktop app');
    } finally {
      await closeApp(app);
    }
  });

  test('a mailto: link given to the app opens a new message', async () => {
    const app = await launch(['mailto:ann@example.test?subject=Hello%20there&body=Hi%20Ann']);
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'New message' })).toBeVisible();
      await expect(page.getByRole('list', { name: 'To recipients' })).toContainText('ann@example.test');
      await expect(page.getByLabel('Subject')).toHaveValue('Hello there');
    } finally {
      await closeApp(app);
    }
  });
});
