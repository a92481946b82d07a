import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shared/content-security-policy.ts';
import * as electron from '../../support/electron-stand-in/electron.ts';

/** Someone's home folder (this machine's own, so no made-up path is written into the tests). */
const home = os.homedir();

// The shell's modules run on the stand-in `electron` (test/support/electron-stand-in), so
// these tests call the real hardening code and check what it does, not how it is written.
vi.mock('electron', () => import('../../support/electron-stand-in/electron.ts'));

const { createMainWindow } = await import('../../../src-main/electron/window.ts');
const { APP_URL_PREFIX } = await import('../../../src-main/electron/app-protocol.ts');
const { hardenContents, hardenSession, isSafeExternalUrl } = await import('../../../src-main/electron/security.ts');
const { isTrustedSender, registerIpc } = await import('../../../src-main/electron/ipc-register.ts');

const source = (file: string) => readFileSync(file, 'utf8');
const appRoot = '/opt/posthorn';
const entry = { urlPrefix: APP_URL_PREFIX };
const ownPage = `${APP_URL_PREFIX}index.html`;

type Headers = Record<string, string[]>;
type FakeSession = {
  request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null;
  check: ((...args: unknown[]) => boolean) | null;
  headers:
    | ((details: { responseHeaders?: Headers }, callback: (response: { responseHeaders?: Headers }) => void) => void)
    | null;
  setPermissionRequestHandler(handler: FakeSession['request']): void;
  setPermissionCheckHandler(handler: FakeSession['check']): void;
  webRequest: { onHeadersReceived(listener: FakeSession['headers']): void };
};

/** A session as Electron hands it to hardenSession, recording what is set on it. */
function fakeSession(): FakeSession {
  const session: FakeSession = {
    request: null,
    check: null,
    headers: null,
    setPermissionRequestHandler: (handler) => (session.request = handler),
    setPermissionCheckHandler: (handler) => (session.check = handler),
    webRequest: { onHeadersReceived: (listener) => (session.headers = listener) },
  };
  return session;
}

describe('Electron hardening, by behaviour', () => {
  beforeAll(() => electron.app.becomeReady());

  it('the window: context isolation, sandbox, no Node in the page, web security on, our preload, shown once painted', () => {
    createMainWindow(appRoot, { x: 0, y: 0, width: 1000, height: 700, maximized: false });
    const window = electron.record.windows.at(-1);
    expect(window?.options.webPreferences).toEqual({
      preload: path.join(appRoot, 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    });
    expect(window?.options.show).toBe(false);
    expect(window?.loadedUrl).toBe('app://posthorn/index.html');
  });

  it('the session: every permission refused, asked or checked; the CSP on every response', () => {
    const session = fakeSession();
    hardenSession(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const granted = vi.fn();
      session.request?.({}, permission, granted);
      expect(granted).toHaveBeenCalledWith(false);
    }
    expect(session.check?.({}, 'media', 'file://', {})).toBe(false);
    let headers: Headers | undefined;
    session.headers?.(
      { responseHeaders: { 'X-Existing': ['kept'], 'Content-Security-Policy': ['default-src *'] } },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers).toEqual({ 'X-Existing': ['kept'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('the page cannot navigate away, open windows or attach webviews; safe links go to the OS browser', () => {
    const contents = new electron.BrowserWindow().contents;
    hardenContents(contents as never, entry.urlPrefix);
    const navigate = (url: string) => {
      const event = electron.preventableEvent();
      contents.emit('will-navigate', event, url);
      return event.defaultPrevented;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${pathToFileURL(path.join(appRoot, 'dist', 'renderer-evil')).href}/index.html`)).toBe(true);
    // Our own files by file:// are not our origin; nor is a host that merely starts like ours.
    expect(navigate(`${pathToFileURL(path.join(appRoot, 'dist', 'renderer')).href}/index.html`)).toBe(true);
    expect(navigate('app://posthorn.evil/index.html')).toBe(true);
    expect(navigate(ownPage)).toBe(false);
    const webview = electron.preventableEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    const before = electron.record.openedExternal.length;
    for (const url of [
      'https://posthorn.example/',
      'mailto:ann@example.test',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
    ]) {
      expect(contents.windowOpenHandler?.({ url } as never)).toEqual({ action: 'deny' });
    }
    expect(electron.record.openedExternal.slice(before)).toEqual([
      'https://posthorn.example/',
      'mailto:ann@example.test',
    ]);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });

  it("IPC answers only our own window's top frame showing our own pages, on every channel it registers", async () => {
    const window = new electron.BrowserWindow();
    const dispatch = vi.fn(async () => ({ ok: true, value: 'reached the core' }));
    const core = { dispatch, subscribe: () => () => undefined };
    const pickFiles = vi.fn(async () => ['/etc/passwd']);
    const confirmDrop = vi.fn(async () => true);
    const unregister = registerIpc(core as never, () => window as never, entry.urlPrefix, { pickFiles, confirmDrop });
    const trusted = { sender: window.webContents, senderFrame: { url: ownPage, parent: null } };
    const untrusted = [
      { sender: new electron.BrowserWindow().webContents, senderFrame: { url: ownPage, parent: null } },
      { sender: window.webContents, senderFrame: { url: ownPage, parent: {} } },
      { sender: window.webContents, senderFrame: null },
      { sender: window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      {
        sender: window.webContents,
        senderFrame: {
          url: `${pathToFileURL(path.join(appRoot, 'dist', 'renderer-evil')).href}/index.html`,
          parent: null,
        },
      },
      {
        sender: window.webContents,
        senderFrame: { url: `${pathToFileURL(path.join(appRoot, 'dist', 'renderer')).href}/index.html`, parent: null },
      },
      { sender: window.webContents, senderFrame: { url: 'app://posthorn.evil/index.html', parent: null } },
    ];
    try {
      expect(electron.ipcMain.handlers.size).toBeGreaterThan(2);
      for (const [channel, handler] of electron.ipcMain.handlers) {
        for (const event of untrusted) {
          expect(isTrustedSender(event as never, window as never, entry.urlPrefix)).toBe(false);
          expect(await handler(event as never, {}), channel).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
        }
      }
      expect(dispatch).not.toHaveBeenCalled();
      expect(pickFiles).not.toHaveBeenCalled(); // no dialog opened for a stranger
      expect(confirmDrop).not.toHaveBeenCalled();
      expect(isTrustedSender(trusted as never, window as never, entry.urlPrefix)).toBe(true);
      expect(await electron.ipcMain.handlers.get('app.info')?.(trusted as never, {})).toEqual({
        ok: true,
        value: 'reached the core',
      });
    } finally {
      unregister();
    }
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('a dropped file is added only once the main process asked the person, whatever the page sends', async () => {
    const window = new electron.BrowserWindow();
    const dispatch = vi.fn(async (_channel: string, input: { files: { path: string }[] }) => ({
      ok: true,
      value: input.files.map((file, i) => ({ id: `a${i}`, name: file.path })),
    }));
    const core = { dispatch, subscribe: () => () => undefined };
    const asked: string[][] = [];
    let answer = false;
    const confirmDrop = vi.fn(async (paths: string[]) => {
      asked.push(paths);
      return answer;
    });
    const unregister = registerIpc(core as never, () => window as never, entry.urlPrefix, {
      pickFiles: async () => [],
      confirmDrop,
    });
    const trusted = { sender: window.webContents, senderFrame: { url: ownPage, parent: null } };
    const drop = electron.ipcMain.handlers.get('attachments.addDropped');
    try {
      expect(drop).toBeDefined();
      // A compromised page naming a secret file: the person is asked, says no, nothing is added.
      const refused = await drop?.(trusted as never, [{ path: `${home}/.ssh/id_ed25519`, type: '' }]);
      expect(refused).toEqual({ ok: true, value: [] });
      expect(asked).toEqual([[`${home}/.ssh/id_ed25519`]]);
      expect(dispatch).not.toHaveBeenCalled();
      // A real drop of two files: one question for both, then both added.
      answer = true;
      const added = await drop?.(trusted as never, [
        { path: `${home}/report.pdf`, type: 'application/pdf' },
        { path: `${home}/photo.jpg`, type: '' },
      ]);
      expect(asked.at(-1)).toEqual([`${home}/report.pdf`, `${home}/photo.jpg`]);
      expect(added).toMatchObject({ ok: true, value: [{ id: 'a0' }, { id: 'a1' }] });
      expect(dispatch).toHaveBeenCalledWith('attachments.addPaths', {
        files: [{ path: `${home}/report.pdf`, type: 'application/pdf' }, { path: `${home}/photo.jpg` }],
      });
      // Nonsense is refused before anyone is asked.
      for (const bad of [null, '/etc/passwd', [], [{ path: '' }], [{ path: 42 }], Array(101).fill({ path: '/x' })])
        expect(await drop?.(trusted as never, bad)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      expect(asked).toHaveLength(2);
    } finally {
      unregister();
    }
  });

  it('the CSP: nothing inline, nothing remote, no framing, the same in the page and in the headers', () => {
    for (const weak of ["'unsafe-inline'", "'unsafe-eval'", 'http:', 'https:', '*'])
      expect(CONTENT_SECURITY_POLICY).not.toContain(weak);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
      source('src-renderer/index.html'),
    )?.[1];
    // A meta tag cannot carry frame-ancestors; everything else is identical.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('packaged builds flip the fuses: no RunAsNode, no NODE_OPTIONS or --inspect, ASAR only and integrity-checked', () => {
    const config = load(source('electron-builder.yml')) as { asar?: boolean; electronFuses?: Record<string, boolean> };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('docs/SECURITY.md names every measure checked here', () => {
    const doc = source('docs/SECURITY.md');
    for (const measure of [
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'Content-Security-Policy',
      'will-navigate',
      'setWindowOpenHandler',
      'permission',
      'isTrustedSender',
      'isSafeExternalUrl',
      'runAsNode',
      'enableNodeOptionsEnvironmentVariable',
      'enableEmbeddedAsarIntegrityValidation',
      'onlyLoadAppFromAsar',
    ]) {
      expect(doc, measure).toContain(measure);
    }
  });
});
