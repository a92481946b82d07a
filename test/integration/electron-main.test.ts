import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/shared/content-security-policy.ts';
import { channels, shellChannels } from '../../src-main/shared/contract.ts';
import type { Result } from '../../src-main/shared/result.ts';
import { selfSignedCertificate, trustCertificateEnv } from '../support/certs.ts';
import { bootElectronMain, type ElectronMain } from '../support/electron-main.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';

const appRoot = process.cwd();
const pageUrl = 'app://posthorn/index.html';

/**
 * The real Electron main process (`dist/main/electron/main.js`, as built) running on a stand-in
 * `electron` module under plain Node, since the Electron binary cannot be had here. It checks
 * main.ts's wiring: what it registers, what it refuses, what reaches the page, how it quits.
 * The same app on the real binary is tested by test/e2e/electron-shell.spec.ts where it exists.
 */
describe('the Electron main process on the stand-in electron module', () => {
  let keychain: KeychainSession;
  let data: ReturnType<typeof tempDataDir>;
  let main: ElectronMain;
  const mailto = 'mailto:ann@example.test?subject=Hello';

  beforeAll(async () => {
    keychain = await startKeychainSession();
    data = tempDataDir('electron-main');
    main = await bootElectronMain({
      appRoot,
      userData: path.join(data.dir, 'userData'),
      env: { ...(process.env as Record<string, string>), ...keychain.env },
    });
    await main.waitFor((r) => r.windows.length > 0 || r.errorBoxes.length > 0, 'a window');
  });

  afterAll(async () => {
    await main?.kill();
    await keychain?.stop();
    data?.remove();
  });

  it('becomes ready without an error and opens one window with the hardened webPreferences', async () => {
    const record = await main.waitFor((r) => r.windows[0]?.shown === true, 'the window shown');
    expect(record.errorBoxes).toEqual([]);
    expect(record.singleInstanceLockRequests).toBe(1);
    expect(record.windows).toHaveLength(1);
    const { options, loadedUrl } = record.windows[0]!;
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(options.webPreferences?.preload).toBe(path.join(appRoot, 'dist', 'preload', 'preload.cjs'));
    expect(options.show).toBe(false); // shown once painted
    // The interface comes from app://posthorn/, a privileged scheme registered before ready.
    expect(loadedUrl).toBe(pageUrl);
    expect(record.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(record.handledSchemes).toEqual(['app']);
    // The data folder is Electron's userData, taken for this process.
    expect(existsSync(path.join(data.dir, 'userData', 'posthorn.lock'))).toBe(true);
  });

  it("registers every page channel once, the window's two file channels, and none of the shell's own", async () => {
    const record = await main.record();
    for (const channel of channels) expect(record.handled.filter((c) => c === channel)).toHaveLength(1);
    expect(record.handled.filter((c) => !(channels as readonly string[]).includes(c))).toEqual([
      'attachments.addDropped',
      'attachments.pickFiles',
    ]);
    for (const channel of shellChannels) expect(record.handled).not.toContain(channel);
  });

  it("a call from the window's top frame reaches the core and answers", async () => {
    const info = await main.ask<Result<{ mode: string; dataDir: string; secretBackend: string }>>({
      op: 'invoke',
      channel: 'app.info',
      input: {},
      from: 'window',
      frameUrl: pageUrl,
    });
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: path.join(data.dir, 'userData') } });
    const drafts = await main.ask<Result<unknown[]>>({
      op: 'invoke',
      channel: 'drafts.list',
      input: {},
      from: 'window',
      frameUrl: pageUrl,
    });
    expect(drafts).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['another webContents', { from: 'other-contents' as const, frameUrl: pageUrl }],
    ['a sender with no frame (it navigated away or was destroyed)', { from: 'window' as const, frameUrl: null }],
    ['a subframe of the window', { from: 'window' as const, frameUrl: pageUrl, subframe: true }],
    ['a page from the web', { from: 'window' as const, frameUrl: 'https://evil.example/' }],
    ['a local file outside the app', { from: 'window' as const, frameUrl: 'file:///tmp/evil.html' }],
    [
      "the renderer's own page opened through file://",
      {
        from: 'window' as const,
        frameUrl: `${pathToFileURL(path.join(appRoot, 'dist', 'renderer')).href}/index.html`,
      },
    ],
    ['a host that starts like ours', { from: 'window' as const, frameUrl: 'app://posthorn.evil/index.html' }],
    [
      'a folder beside the renderer whose name starts the same',
      {
        from: 'window' as const,
        frameUrl: `${pathToFileURL(path.join(appRoot, 'dist', 'renderer-evil')).href}/index.html`,
      },
    ],
  ])('the same call from %s is refused', async (_what, from) => {
    const answer = await main.ask<Result<unknown>>({ op: 'invoke', channel: 'app.info', input: {}, ...from });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'Calls are accepted only from the Posthorn window.' },
    });
    const file = await main.ask<Result<unknown>>({
      op: 'invoke',
      channel: 'attachments.addDropped',
      input: [{ path: '/etc/hostname' }],
      ...from,
    });
    expect(file).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('a drop the page reports is attached only after the person says yes in the main process', async () => {
    const dropped = path.join(data.dir, 'dropped report.txt');
    writeFileSync(dropped, 'quarterly numbers');
    const drop = () =>
      main.ask<Result<{ name: string }[]>>({
        op: 'invoke',
        channel: 'attachments.addDropped',
        input: [{ path: dropped, type: 'text/plain' }],
        from: 'window',
        frameUrl: pageUrl,
      });
    await main.ask({ op: 'answer-questions', button: 1 });
    expect(await drop()).toEqual({ ok: true, value: [] });
    const question = (await main.record()).messageBoxes.at(-1);
    expect(question).toMatchObject({
      message: 'Attach "dropped report.txt" to the message?',
      buttons: ['Attach', 'Cancel'],
      detail: dropped,
    });
    await main.ask({ op: 'answer-questions', button: 0 });
    expect(await drop()).toMatchObject({ ok: true, value: [{ name: 'dropped report.txt' }] });
    await main.ask({ op: 'answer-questions', button: null });
  });

  it('app://posthorn/ serves the built interface with the CSP as a header, and nothing outside it', async () => {
    type Fetched = { status: number; headers: Record<string, string>; body: string };
    const page = await main.ask<Fetched>({ op: 'protocol-fetch', url: pageUrl });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body).toContain('<div id="root">');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const asset = await main.ask<Fetched>({ op: 'protocol-fetch', url: `app://posthorn/${script}` });
    expect(asset).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' } });
    const escape = await main.ask<Fetched>({ op: 'protocol-fetch', url: 'app://posthorn/..%2f..%2fpackage.json' });
    expect(escape.status).toBe(404);
  });

  it('the session refuses permissions and puts the CSP on every response; the window stays on its own pages', async () => {
    const record = await main.record();
    expect(record.session).toEqual({
      permissionRequestHandler: true,
      permissionCheckHandler: true,
      headersListener: true,
    });
    expect(await main.ask({ op: 'permission', permission: 'media' })).toBe(false);
    expect(await main.ask({ op: 'permission', permission: 'notifications' })).toBe(false);
    expect(await main.ask({ op: 'response-headers' })).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(await main.ask({ op: 'navigate', url: 'https://evil.example/' })).toEqual({ prevented: true });
    expect(await main.ask({ op: 'navigate', url: pageUrl })).toEqual({ prevented: false });
    expect(await main.ask({ op: 'window-open', url: 'https://posthorn.example/help' })).toEqual({ action: 'deny' });
    expect(await main.ask({ op: 'window-open', url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    // A safe link goes to the OS browser; a file: link goes nowhere.
    expect((await main.record()).openedExternal).toEqual(['https://posthorn.example/help']);
  });

  it('builds the menu bar and the tray', async () => {
    const record = await main.record();
    expect(record.applicationMenu?.map((item) => item.label?.replace('&', ''))).toEqual(
      expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']),
    );
    expect(record.tray?.tooltip).toBe('Posthorn — Nothing waiting to be sent');
    expect(record.tray?.menu.map((item) => item.label).filter(Boolean)).toEqual(
      expect.arrayContaining(['Open Posthorn', 'New Message', 'Quit Posthorn']),
    );
    expect(record.powerMonitorEvents).toEqual(expect.arrayContaining(['resume', 'unlock-screen']));
    // A menu command reaches the page as an event.
    await main.ask({ op: 'click-menu', menu: 'application', labels: ['File', 'New Message'] });
    await main.waitFor((r) => r.sentToPage.some((m) => m.channel === 'app.command'), 'the command sent to the page');
    expect((await main.record()).sentToPage).toContainEqual({
      channel: 'app.command',
      payload: { command: 'new-message' },
    });
  });

  it("a second instance's mailto: link reaches the page as the compose event", async () => {
    await main.ask({ op: 'second-instance', argv: ['.', mailto] });
    const record = await main.waitFor(
      (r) => r.sentToPage.some((m) => m.channel === 'compose.open'),
      'compose.open sent',
    );
    expect(record.sentToPage).toContainEqual({ channel: 'compose.open', payload: { url: mailto } });
    expect(record.windows).toHaveLength(1); // the same window, not a second one
  });

  it('a second instance brings the window to the front; macOS hands a link over as open-url', async () => {
    const before = (await main.record()).windows[0]!;
    await main.ask({ op: 'second-instance', argv: ['.'] });
    const after = (await main.waitFor((r) => r.windows[0]!.focusCalls > before.focusCalls, 'the window focused'))
      .windows[0]!;
    expect(after.showCalls).toBeGreaterThan(before.showCalls);
    const link = 'mailto:bo@example.test?subject=From%20the%20Mac';
    await main.ask({ op: 'app-event', name: 'open-url', args: [link] });
    const record = await main.waitFor(
      (r) => r.sentToPage.some((m) => m.channel === 'compose.open' && (m.payload as { url: string }).url === link),
      'the link opened',
    );
    expect(record.lostWhileLoading).toEqual([]);
  });

  it('closing the window keeps Posthorn sending from the tray, says so once, and the tray opens it again', async () => {
    await main.ask({ op: 'close-window' });
    let record = await main.waitFor((r) => r.windows[0]?.destroyed === true, 'the window closed');
    expect(record.quit.beforeQuit).toBe(0); // still running
    expect(record.notifications.filter((n) => n.title === 'Posthorn is still running')).toEqual([
      { title: 'Posthorn is still running', body: 'Quit it from its icon in the tray or menu bar.', shown: true },
    ]);
    await main.ask({ op: 'tray-click' });
    await main.waitFor((r) => r.windows.length === 2 && r.windows[1]!.shown, 'a new window from the tray');
    // Calls work from the new window; its events arrive there once it has loaded.
    const info = await main.ask<Result<{ mode: string }>>({
      op: 'invoke',
      channel: 'app.info',
      input: {},
      from: 'window',
      frameUrl: pageUrl,
    });
    expect(info.ok).toBe(true);
    // Closed again and reopened from the Dock (macOS's activate): the notice is not repeated.
    await main.ask({ op: 'close-window' });
    await main.ask({ op: 'app-event', name: 'activate', args: [false] });
    record = await main.waitFor((r) => r.windows.length === 3 && r.windows[2]!.shown, 'a new window on activate');
    expect(record.notifications.filter((n) => n.title === 'Posthorn is still running')).toHaveLength(1);
  });

  it('a second instance given a saved message (.eml) opens it as a draft', async () => {
    const eml = path.join(data.dir, 'saved.eml');
    writeFileSync(eml, 'From: ann@example.test\r\nTo: bo@example.test\r\nSubject: Saved earlier\r\n\r\nHello Bo.\r\n');
    await main.ask({ op: 'second-instance', argv: ['.', eml] });
    const record = await main.waitFor((r) => r.sentToPage.some((m) => m.channel === 'draft.open'), 'draft.open sent');
    const opened = record.sentToPage.find((m) => m.channel === 'draft.open')?.payload as { id: string };
    const draft = await main.ask<Result<{ content: { subject: string } }>>({
      op: 'invoke',
      channel: 'drafts.get',
      input: { id: opened.id },
      from: 'window',
      frameUrl: pageUrl,
    });
    expect(draft).toMatchObject({ ok: true, value: { content: { subject: 'Saved earlier' } } });
  });

  const call = <T>(channel: string, input: unknown) =>
    main.ask<Result<T>>({ op: 'invoke', channel, input, from: 'window', frameUrl: pageUrl });

  /** Questions asked before the quit ones (a drop's confirmation, say). */
  let questionsBefore = 0;

  it('quitting with mail waiting asks first, and "Keep Posthorn open" keeps it running', async () => {
    const account = await call<{ id: string }>('accounts.save', {
      name: 'Later',
      email: 'me@example.test',
      host: '127.0.0.1',
      port: 9,
      security: 'none',
      auth: 'none',
      username: '',
    });
    if (!account.ok) throw new Error(account.error.message);
    const queued = await call('outbox.enqueue', {
      accountId: account.value.id,
      to: 'bo@example.test',
      subject: 'Tomorrow',
      body: 'Later.',
      sendAt: Date.now() + 86_400_000,
    });
    expect(queued.ok).toBe(true);
    await main.waitFor(
      (r) => r.tray?.tooltip === 'Posthorn — 1 waiting to be sent',
      'the tray showing the waiting message',
    );
    await main.ask({ op: 'answer-questions', button: 1 });
    questionsBefore = (await main.record()).messageBoxes.length;
    await main.ask({ op: 'quit' });
    const record = await main.waitFor(
      (r) => r.messageBoxes.length === questionsBefore + 1,
      'the question before quitting',
    );
    expect(record.messageBoxes.at(-1)).toMatchObject({
      message: 'One message is still waiting to be sent.',
      buttons: ['Quit anyway', 'Keep Posthorn open'],
    });
    expect(record.quit).toMatchObject({ beforeQuit: 1, willQuit: 0, quitEmitted: false });
    expect((await call('app.info', {})).ok).toBe(true); // still running, core open
  });

  it('"Quit anyway" closes the core and leaves the data folder unlocked; the waiting message is kept', async () => {
    await main.ask({ op: 'answer-questions', button: 0 });
    await main.ask({ op: 'quit' });
    const { code, record } = await main.exited;
    expect(code).toBe(0);
    expect(record?.quit).toMatchObject({ quitEmitted: true, exitCode: 0 });
    expect(record?.messageBoxes).toHaveLength(questionsBefore + 2);
    expect(existsSync(path.join(data.dir, 'userData', 'posthorn.lock'))).toBe(false);
    expect(main.output()).not.toMatch(/Error|failed/i);
    // The message is still there for the next start.
    const again = await bootElectronMain({
      appRoot,
      userData: path.join(data.dir, 'userData'),
      env: { ...(process.env as Record<string, string>), ...keychain.env },
    });
    try {
      await again.waitFor((r) => r.windows.length > 0, 'a window after the restart');
      const list = await again.ask<Result<{ subject: string; state: string }[]>>({
        op: 'invoke',
        channel: 'outbox.list',
        input: {},
        from: 'window',
        frameUrl: pageUrl,
      });
      expect(list).toMatchObject({ ok: true, value: [{ subject: 'Tomorrow', state: 'queued' }] });
    } finally {
      await again.kill();
    }
  });
});

describe('the Electron main process, started the other ways', () => {
  let keychain: KeychainSession;
  let data: ReturnType<typeof tempDataDir>;
  let sink: SmtpSink;
  const USER = 'notify@example.test';
  const PASSWORD = secret('right-Pa55word', USER);

  beforeAll(async () => {
    keychain = await startKeychainSession();
    data = tempDataDir('electron-main-ways');
    sink = await startSmtpSink({ certificate: selfSignedCertificate(), users: { [USER]: PASSWORD } });
  });

  afterAll(async () => {
    await sink?.close();
    await keychain?.stop();
    data?.remove();
  });

  const env = (extra: Record<string, string> = {}) => ({
    ...(process.env as Record<string, string>),
    ...keychain.env,
    ...trustCertificateEnv(data.dir, selfSignedCertificate()),
    ...extra,
  });

  it('started with a mailto: link and a saved message: both reach the page once it has loaded; POSTHORN_DATA_DIR wins over userData', async () => {
    const eml = path.join(data.dir, 'start.eml');
    writeFileSync(eml, 'From: ann@example.test\r\nTo: bo@example.test\r\nSubject: Opened at start\r\n\r\nHi.\r\n');
    const chosen = path.join(data.dir, 'chosen-data');
    const main = await bootElectronMain({
      appRoot,
      userData: path.join(data.dir, 'ignored-userdata'),
      env: env({ POSTHORN_DATA_DIR: chosen }),
      args: ['mailto:cy@example.test?subject=At%20start', eml],
    });
    try {
      const record = await main.waitFor(
        (r) =>
          r.sentToPage.some((m) => m.channel === 'compose.open') &&
          r.sentToPage.some((m) => m.channel === 'draft.open'),
        'the link and the message opened',
      );
      expect(record.lostWhileLoading).toEqual([]);
      expect(record.sentToPage).toContainEqual({
        channel: 'compose.open',
        payload: { url: 'mailto:cy@example.test?subject=At%20start' },
      });
      const info = await main.ask<Result<{ dataDir: string }>>({
        op: 'invoke',
        channel: 'app.info',
        input: {},
        from: 'window',
        frameUrl: pageUrl,
      });
      expect(info).toMatchObject({ ok: true, value: { dataDir: chosen } });
      expect(existsSync(path.join(data.dir, 'ignored-userdata'))).toBe(false);
      await main.ask({ op: 'quit' });
      expect((await main.exited).code).toBe(0);
    } finally {
      await main.kill();
    }
  });

  it('a message that fails raises a notification and the badge; a desktop without a tray quits when the window closes', async () => {
    const main = await bootElectronMain({
      appRoot,
      userData: path.join(data.dir, 'no-tray'),
      env: env({ POSTHORN_STANDIN_NO_TRAY: '1' }),
    });
    try {
      await main.waitFor((r) => r.windows.length === 1, 'a window');
      expect((await main.record()).tray).toBeNull();
      const call = <T>(channel: string, input: unknown) =>
        main.ask<Result<T>>({ op: 'invoke', channel, input, from: 'window', frameUrl: pageUrl });
      const account = await call<{ id: string }>('accounts.save', {
        name: 'Wrong',
        email: USER,
        host: '127.0.0.1',
        port: sink.port,
        security: 'starttls',
        username: USER,
        password: secret('wrong-Pa55word', USER),
      });
      if (!account.ok) throw new Error(account.error.message);
      const queued = await call('outbox.enqueue', {
        accountId: account.value.id,
        to: 'di@example.test',
        subject: 'Refused login',
        body: 'b',
        undoSeconds: 0,
      });
      expect(queued.ok).toBe(true);
      const record = await main.waitFor(
        (r) => r.notifications.some((n) => n.title === 'Not sent: “Refused login”'),
        'the failure notification',
        20_000,
      );
      expect(record.notifications.find((n) => n.title === 'Not sent: “Refused login”')).toMatchObject({
        shown: true,
        body: expect.stringMatching(/refused the login/),
      });
      expect(record.badgeCount).toBe(1);
      // No tray: closing the window quits (nothing waits, so no question).
      await main.ask({ op: 'close-window' });
      const { code, record: last } = await main.exited;
      expect(code).toBe(0);
      expect(last?.messageBoxes).toEqual([]);
    } finally {
      await main.kill();
    }
  });
});
