import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src-main/shared/result.ts';
import { selfSignedCertificate, trustCertificateEnv } from '../support/certs.ts';
import { bootElectronMain } from '../support/electron-main.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { startWebApp } from '../support/web-app.ts';

const run = promisify(execFile);
const USER = 'prod@example.test';
const PASSWORD = secret('production-Pa55', USER);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean }> };
/**
 * Development tools nothing shipped needs (a few dev packages are also a production package's peer, as @types/react
 * is).
 */
const devOnly = Object.keys(pkg.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev === true);

/**
 * What every installer holds: the built app, package.json and the lockfile, installed with
 * `npm ci --omit=dev` (electron-builder packs exactly the production dependencies). Both ways
 * Posthorn starts are run from that folder alone: browser mode against a real Secret Service,
 * and the Electron main bundle (on the stand-in `electron` module) with its whole module graph.
 */
describe('the production-only install', () => {
  let root: string;
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let data: ReturnType<typeof tempDataDir>;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync('dist/main/electron/main.js') || !existsSync('dist/renderer/index.html'))
      throw new Error('The app is not built: npm test builds it before the integration tests (or run npm run build).');
    // The real path: Node resolves symlinks when it loads main.js (macOS's temporary folder is one).
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'posthorn-production-')));
    cpSync('dist', path.join(root, 'dist'), { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) cpSync(file, path.join(root, file));
    // From the npm cache the checkout's own install filled. Install scripts run only as allowScripts
    // says (keytar is compiled, as on a build machine); strict, as a future npm will be by default.
    await run('npm', ['ci', '--omit=dev', '--strict-allow-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: root,
      timeout: 240_000,
      shell: process.platform === 'win32',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    keychain = await startKeychainSession();
    data = tempDataDir('production');
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({ certificate, users: { [USER]: PASSWORD } });
    env = {
      ...(process.env as Record<string, string>),
      ...keychain.env,
      ...trustCertificateEnv(data.dir, certificate),
    };
  }, 300_000);

  afterAll(async () => {
    await sink?.close();
    await keychain?.stop();
    data?.remove();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('holds every production dependency and no development one', () => {
    for (const name of Object.keys(pkg.dependencies))
      expect(existsSync(path.join(root, 'node_modules', name, 'package.json')), name).toBe(true);
    expect(devOnly).toEqual(expect.arrayContaining(['electron', 'vitest', 'smtp-server', 'typescript']));
    for (const name of devOnly)
      expect(existsSync(path.join(root, 'node_modules', name, 'package.json')), name).toBe(false);
  });

  it('browser mode starts from it, keeps the password in the Secret Service and sends a message', async () => {
    const web = await startWebApp({ appRoot: root, dataDir: path.join(data.dir, 'web'), env });
    try {
      const info = await web.call('app.info', {});
      expect(info).toMatchObject({ ok: true, value: { mode: 'browser' } });
      expect(info.ok && info.value.secretBackend).toMatch(/Secret Service/);
      const page = await fetch(web.base);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const account = await web.call('accounts.save', {
        name: 'Prod',
        email: USER,
        host: '127.0.0.1',
        port: sink.port,
        security: 'starttls',
        username: USER,
        password: PASSWORD,
      });
      expect(account).toMatchObject({ ok: true, value: { hasPassword: true } });
      if (!account.ok) return;
      const queued = await web.call('outbox.enqueue', {
        accountId: account.value.id,
        to: 'grace@example.test',
        subject: 'From the installer',
        body: 'Only production packages.',
        undoSeconds: 0,
      });
      expect(queued.ok).toBe(true);
      const [message] = await sink.waitForMessages(1);
      expect(message?.rcptTo).toEqual(['grace@example.test']);
      expect(message?.raw.toString('utf8')).toContain('Subject: From the installer');
    } finally {
      await web.stop();
    }
  });

  it("the Electron main bundle's module graph loads from it and the app starts (a saved message opens with mailparser)", async () => {
    const eml = path.join(data.dir, 'saved.eml');
    writeFileSync(
      eml,
      'From: ann@example.test\r\nTo: bo@example.test\r\nSubject: Opened from the installer\r\n\r\nHello.\r\n',
    );
    const userData = path.join(data.dir, 'electron');
    const main = await bootElectronMain({ appRoot: root, userData, env, args: [eml] });
    try {
      const record = await main.waitFor(
        (r) => r.sentToPage.some((m) => m.channel === 'draft.open') || r.errorBoxes.length > 0,
        'the saved message opened',
      );
      expect(record.errorBoxes).toEqual([]);
      expect(record.windows[0]?.loadedUrl).toBe('app://posthorn/index.html');
      // The interface itself comes from the installed copy's files.
      const page = await main.ask<{ status: number; body: string }>({
        op: 'protocol-fetch',
        url: 'app://posthorn/index.html',
      });
      expect(page).toMatchObject({ status: 200, body: expect.stringContaining('<div id="root">') });
      const pageUrl = 'app://posthorn/index.html';
      const info = await main.ask<Result<{ mode: string }>>({
        op: 'invoke',
        channel: 'app.info',
        input: {},
        from: 'window',
        frameUrl: pageUrl,
      });
      expect(info).toMatchObject({ ok: true, value: { mode: 'electron' } });
      await main.ask({ op: 'quit' });
      expect((await main.exited).code).toBe(0);
    } finally {
      await main.kill();
    }
  });
});
