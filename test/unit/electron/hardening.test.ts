import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shared/content-security-policy.ts';

/**
 * The desktop shell's security settings, read from the code and config (no Electron needed):
 * this fails if any of them regresses. docs/SECURITY.md lists each measure and where it lives.
 */
const source = (file: string) => readFileSync(file, 'utf8');
/** The code with comments removed, so a commented-out line cannot satisfy a check. */
const code = (file: string) => source(file).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('Electron hardening', () => {
  it('the window: context isolation, sandbox, no Node in the page, web security on', () => {
    const window = code('src-main/electron/window.ts');
    expect(window).toMatch(/contextIsolation:\s*true/);
    expect(window).toMatch(/sandbox:\s*true/);
    expect(window).toMatch(/nodeIntegration:\s*false/);
    expect(window).toMatch(/webSecurity:\s*true/);
    expect(window).toMatch(/allowRunningInsecureContent:\s*false/);
    expect(window).not.toMatch(/nodeIntegrationInWorker|nodeIntegrationInSubFrames|webviewTag:\s*true|experimentalFeatures/);
    expect(window).toMatch(/hardenContents\(window\.webContents/);
  });

  it('the session and contents: permissions denied, no navigation away, no new windows, no webviews, CSP on every response', () => {
    const security = code('src-main/electron/security.ts');
    expect(security).toMatch(/setPermissionRequestHandler\(\([^)]*\)\s*=>\s*callback\(false\)\)/);
    expect(security).toMatch(/setPermissionCheckHandler\(\(\)\s*=>\s*false\)/);
    expect(security).toMatch(/'will-navigate'[\s\S]*?event\.preventDefault\(\)/);
    expect(security).toMatch(/setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/);
    expect(security).toMatch(/'will-attach-webview',\s*\(event\)\s*=>\s*event\.preventDefault\(\)/);
    expect(security).toMatch(/'Content-Security-Policy': \[CONTENT_SECURITY_POLICY\]/);
    // External links: only these schemes, checked before the OS opens them.
    expect(security).toMatch(/new Set\(\['http:', 'https:', 'mailto:'\]\)/);
    expect(security).toMatch(/if \(isSafeExternalUrl\(url\)\) void shell\.openExternal\(url\)/);
  });

  it('IPC answers only our own window\'s top frame, on every channel', () => {
    const ipc = code('src-main/electron/ipc-register.ts');
    const handlers = ipc.match(/ipcMain\.handle\(/g) ?? [];
    const checks = ipc.match(/isTrustedSender\(event, window, urlPrefix\)/g) ?? [];
    expect(handlers.length).toBeGreaterThanOrEqual(2);
    expect(checks.length).toBe(handlers.length);
    expect(ipc).toMatch(/frame\.parent === null && frame\.url\.startsWith\(urlPrefix\)/);
  });

  it('the CSP: nothing inline, nothing remote, no framing, the same in the page and in the headers', () => {
    for (const weak of ["'unsafe-inline'", "'unsafe-eval'", 'http:', 'https:', '*']) expect(CONTENT_SECURITY_POLICY).not.toContain(weak);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(source('src-renderer/index.html'))?.[1];
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
    for (const measure of ['contextIsolation', 'sandbox', 'nodeIntegration', 'Content-Security-Policy', 'will-navigate', 'setWindowOpenHandler', 'permission', 'isTrustedSender', 'isSafeExternalUrl', 'runAsNode', 'enableNodeOptionsEnvironmentVariable', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar']) {
      expect(doc, measure).toContain(measure);
    }
  });
});
