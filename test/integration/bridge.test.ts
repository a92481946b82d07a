import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src-main/bridge/bridge-server.ts';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { sessionFrom } from '../support/bridge-session.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';

const unwrapDrafts = (answer: unknown) => (answer as { ok: true; value: unknown[] }).value;

describe('browser-mode bridge', () => {
  let core: Core;
  let bridge: Bridge;
  /** What the page holds after trading the start link's code. */
  let session = '';
  const data = tempDataDir('bridge');
  const staticDir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-static-'));

  beforeAll(async () => {
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Posthorn</title>');
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    bridge = await startBridge({ core, staticDir });
    session = await sessionFrom(bridge);
  });

  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    data.remove();
    rmSync(staticDir, { recursive: true, force: true });
  });

  const api = (channel: string, init: RequestInit = {}) =>
    fetch(`${bridge.url}api/${channel}`, {
      method: 'POST',
      ...init,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session}`, ...init.headers },
      body: init.body ?? '{}',
    });

  it('listens on 127.0.0.1 only, with a long random session token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(session.length).toBeGreaterThanOrEqual(40);
  });

  it('streams an uploaded file into the data folder and answers with its id; no token, no upload', async () => {
    const bytes = Buffer.from('%PDF-1.7 a small file');
    const upload = (headers: Record<string, string>) =>
      fetch(`${bridge.url}api/upload?name=${encodeURIComponent('../../secret ä.pdf')}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/pdf', ...headers },
        body: bytes,
      });
    const refused = await upload({});
    expect(refused.status).toBe(401);
    const answer = (await (await upload({ Authorization: `Bearer ${session}` })).json()) as {
      ok: boolean;
      value: { id: string; name: string; type: string; size: number };
    };
    expect(answer).toMatchObject({
      ok: true,
      value: { name: 'secret ä.pdf', type: 'application/pdf', size: bytes.length },
    });
    expect(readFileSync(path.join(data.dir, 'attachments', answer.value.id)).equals(bytes)).toBe(true);
    expect(await (await api('attachments.remove', { body: JSON.stringify({ id: answer.value.id }) })).json()).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(existsSync(path.join(data.dir, 'attachments', answer.value.id))).toBe(false);
    // Nothing of the upload is left outside the data folder.
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith('posthorn-upload-'))).toEqual([]);
  });

  it('an upload larger than any mail server takes is refused before it is read', async () => {
    const { request } = await import('node:http');
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: bridge.port,
          path: '/api/upload?name=huge.iso',
          method: 'POST',
          headers: {
            Authorization: `Bearer ${session}`,
            'Content-Type': 'application/octet-stream',
            'Content-Length': String(300 * 1024 * 1024),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => {
            req.destroy();
            resolve(body);
          });
        },
      );
      req.on('error', reject);
      req.write('only the first bytes');
    });
    expect(JSON.parse(answer)).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE', message: expect.stringContaining('huge.iso') },
    });
  });

  it('the page cannot make the calls that name files by path (only the shells make those)', async () => {
    for (const [channel, input] of [
      ['attachments.addPaths', { files: [{ path: '/etc/passwd' }] }],
      ['drafts.importFile', { path: '/etc/passwd' }],
    ] as const) {
      const response = await api(channel, { body: JSON.stringify(input) });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
    expect(readdirSync(path.join(data.dir, 'attachments'))).toEqual([]);
    expect(unwrapDrafts(await (await api('drafts.list')).json())).toEqual([]);
  });

  it('serves the interface from a relative --static-dir: assets as themselves, pages as index.html, nothing outside', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-static-rel-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Posthorn</title>');
    writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log("posthorn");');
    const relative = await startBridge({ core, staticDir: path.relative(process.cwd(), dir) });
    try {
      const get = (urlPath: string) => fetch(`${relative.url}${urlPath.replace(/^\//, '')}`);
      const script = await get('/assets/app-1234.js');
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toBe('console.log("posthorn");');
      expect((await get('/assets/missing.js')).status).toBe(404);
      const page = await get('/outbox');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>Posthorn</title>');
      for (const escape of [
        '/..%2f..%2f..%2fetc%2fpasswd',
        '/assets/..%2f..%2fpackage.json',
        '/%00.js',
        '/%E0%A4%A.js',
      ])
        expect(await (await get(escape)).text()).not.toMatch(/root:|"name"/);
    } finally {
      await relative.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers calls through the same dispatch as IPC', async () => {
    const response = await api('app.info');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, value: { mode: 'test', dataDir: data.dir } });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses calls without the token, or with a wrong one', async () => {
    expect((await api('accounts.list', { headers: { Authorization: '' } })).status).toBe(401);
    expect((await api('accounts.list', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('refuses other origins and cross-site requests, even with the token', async () => {
    expect((await api('accounts.list', { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await api('accounts.list', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: bridge.port,
          path: '/api/app.info',
          method: 'POST',
          headers: {
            Host: 'attacker.example',
            Authorization: `Bearer ${session}`,
            'Content-Type': 'application/json',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('answers malformed JSON and bad input with BAD_INPUT', async () => {
    const broken = await api('accounts.save', { body: '{"name":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const bad = await api('accounts.save', { body: JSON.stringify({ name: '' }) });
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const form = await api('accounts.list', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('serves the interface without the token, but nothing outside its folder', async () => {
    const page = await fetch(bridge.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Posthorn</title>');
    const escape = await fetch(`${bridge.url}..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });

  it('pushes core events as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${bridge.url}api/events`, {
      headers: { Authorization: `Bearer ${session}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const account = await api('accounts.save', {
      body: JSON.stringify({
        name: 'W',
        email: 'w@example.test',
        host: '127.0.0.1',
        port: 9,
        security: 'starttls',
        username: '',
      }),
    });
    const { value: saved } = (await account.json()) as { value: { id: string } };
    await api('outbox.enqueue', {
      body: JSON.stringify({ accountId: saved.id, to: 'x@example.test', subject: 'hi', body: 'b' }),
    });
    let received = '';
    const deadline = Date.now() + 5000;
    while (!received.includes('event: outbox.changed') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value;
    }
    controller.abort();
    expect(received).toMatch(/event: outbox.changed\ndata: \{"id":"[^"]+","state":"queued"\}/);
  });
});
