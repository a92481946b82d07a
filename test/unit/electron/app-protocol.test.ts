import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shared/content-security-policy.ts';

vi.mock('electron', () => import('../../support/electron-stand-in/electron.ts'));
const { serveAppRequest } = await import('../../../src-main/electron/app-protocol.ts');

/**
 * The desktop window's pages come from app://posthorn/ with the CSP as a real header,
 * frame-ancestors included (issue 19): a file:// page may get only the meta tag's policy.
 */
describe('app://posthorn/: the interface with its headers, and nothing else', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-renderer-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Posthorn</title>');
  writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(path.join(os.tmpdir(), 'posthorn-outside.txt'), 'outside');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = (url: string, init?: RequestInit) => serveAppRequest(dir, new Request(url, init));

  it('the page and its assets, each with the CSP (frame-ancestors too) as a response header', async () => {
    const page = await get('app://posthorn/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<title>Posthorn</title>');
    const script = await get('app://posthorn/assets/app-1.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    ['a path outside the folder', 'app://posthorn/..%2f..%2fposthorn-outside.txt'],
    ['a missing asset', 'app://posthorn/assets/missing.js'],
    ['another host', 'app://evil/index.html'],
    ['a NUL in the path', 'app://posthorn/index.html%00.js'],
  ])('%s is 404', async (_what, url) => {
    const answer = await get(url);
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('outside');
  });

  it('only GET', async () => {
    expect((await get('app://posthorn/index.html', { method: 'POST', body: 'x' })).status).toBe(404);
  });
});
