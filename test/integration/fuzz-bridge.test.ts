import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src-main/bridge/bridge-server.ts';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { channelNames } from '../../src-main/shared/channel-names.ts';
import { sessionFrom } from '../support/bridge-session.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

const REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

/**
 * The bridge's HTTP handling fuzzed with raw requests (issue 19, point 5): methods, paths,
 * headers (Host, Origin, Content-Type, Content-Length, Transfer-Encoding, Authorization with
 * and without a real session), bodies (JSON, broken JSON, binary, UTF-16) and broken framing.
 * Whatever arrives: never a 500 and the bridge keeps answering; without a session (none, a
 * wrong one, a start code used as one) nothing at all is written.
 */
describe('the bridge under raw HTTP fuzzing', () => {
  let core: Core;
  let bridge: Bridge;
  let session = '';
  const data = tempDataDir('fuzz-bridge');
  const staticDir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-static-'));

  beforeAll(async () => {
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Posthorn</title>');
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    bridge = await startBridge({ core, staticDir, requestTimeoutMs: 1000 });
    session = await sessionFrom(bridge);
  });

  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    data.remove();
    rmSync(staticDir, { recursive: true, force: true });
  });

  /** What is stored: accounts, drafts, messages and added files. */
  async function stored() {
    return JSON.stringify([
      unwrap(await core.dispatch('accounts.list', {})).length,
      unwrap(await core.dispatch('drafts.list', {})).length,
      unwrap(await core.dispatch('outbox.list', {})).length,
      readdirSync(path.join(data.dir, 'attachments')).length,
    ]);
  }

  /** Writes the bytes, half-closes, and reads whatever comes back (bounded). */
  function raw(bytes: Buffer): Promise<string> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const socket = connect(bridge.port, '127.0.0.1', () => socket.end(bytes));
      const timer = setTimeout(() => socket.destroy(), 3000);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('latin1'));
      });
    });
  }

  const method = fc.constantFrom(
    'GET',
    'POST',
    'PUT',
    'DELETE',
    'OPTIONS',
    'HEAD',
    'PATCH',
    'TRACE',
    'CONNECT',
    'P\0ST',
    'post',
  );
  const pathArb = fc.oneof(
    fc.constantFrom(...channelNames).map((channel) => `/api/${channel}`),
    fc.constantFrom(
      '/api/session',
      '/api/upload?name=..%2f..%2fx',
      '/api/events',
      '/api/attachments.addPaths',
      '/api/%E0%A4%A',
      '/api/',
      '/',
      '/..%2f..%2fetc%2fpasswd',
      '//api/app.info',
      '/api/app.info?x=1#y',
      '*',
      'http://evil.example/api/app.info',
    ),
    fc.string({ maxLength: 40 }).map((s) => `/api/${encodeURIComponent(s)}`),
  );
  const host = fc.constantFrom('GOOD', 'localhost:GOOD_PORT', 'evil.example', '', '127.0.0.1', '127.0.0.1:1');
  const randomHeader = (unit: 'grapheme-ascii' | 'binary') =>
    fc
      .tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ unit, maxLength: 60 }))
      .map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, '')}`);
  // Mostly headers a browser or a client might send; some random ones, a few with bytes no parser accepts.
  const header = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'Content-Type: application/json',
        'Content-Type: application/json; charset=utf-16',
        'Content-Type: text/plain',
        'Content-Type: multipart/form-data; boundary=x',
        'Origin: http://evil.example',
        'Origin: null',
        'Sec-Fetch-Site: cross-site',
        'Sec-Fetch-Site: same-origin',
        'Authorization: Bearer SESSION',
        'Authorization: Bearer SESSION',
        'Authorization: Bearer wrong',
        'Authorization: Basic Zm9vOmJhcg==',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        'Content-Encoding: gzip',
        'Content-Length: 0',
        'Content-Length: 5',
        'Content-Length: -1',
        'Content-Length: 99999999999',
        'Expect: 100-continue',
        'Connection: upgrade\r\nUpgrade: websocket',
      ),
    },
    { weight: 2, arbitrary: randomHeader('grapheme-ascii') },
    { weight: 1, arbitrary: randomHeader('binary') },
  );
  const body = fc.oneof(
    fc.constant(''),
    fc.json({ maxDepth: 3 }),
    fc.constantFrom(
      '{"name":',
      '{"__proto__":{"polluted":1}}',
      '{"files":[{"path":"/etc/passwd"}]}',
      '{"name":"A","email":"a@example.test","host":"smtp.example.test","port":587,"security":"starttls","username":""}',
      '5\r\nhello\r\n0\r\n\r\n',
      'zz\r\nnot-hex\r\n',
      '0\r\n\r\nPOST /api/accounts.save HTTP/1.1\r\n\r\n',
    ),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.string({ maxLength: 100 }).map((text) => Buffer.from(text, 'utf16le').toString('latin1')),
  );

  /** One raw request built from the generated parts; `credential` is what stands where the session goes. */
  function build(likeThePage: boolean, m: string, p: string, h: string, hs: string[], b: string, credential: string) {
    // Half the requests start as the page's own (POST, our host, a bearer, JSON), then vary.
    const hostLine =
      h === 'GOOD' || likeThePage
        ? `Host: 127.0.0.1:${bridge.port}`
        : `Host: ${h.replace('GOOD_PORT', String(bridge.port))}`;
    const pageHeaders = likeThePage ? [`Authorization: Bearer ${credential}`, 'Content-Type: application/json'] : [];
    const lines = [
      `${likeThePage ? 'POST' : m} ${p} HTTP/1.1`,
      hostLine,
      ...pageHeaders,
      ...hs.map((line) => line.replace('SESSION', credential)),
    ];
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${b}`, 'latin1');
  }

  const statuses = new Map<string, number>();
  async function send(request: Buffer): Promise<string> {
    const answer = await raw(request);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'none';
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    expect(status).not.toBe('500');
    return answer;
  }

  const parts = [fc.boolean(), method, pathArb, host, fc.array(header, { maxLength: 6 }), body] as const;

  it(`${REQUESTS} raw requests without a session (a start code, a wrong or old token, none): no 500, nothing written`, async () => {
    const before = await stored();
    const stale = sessionFrom(bridge).then(() => 'A'.repeat(43));
    await fc.assert(
      fc.asyncProperty(...parts, fc.constantFrom('', 'wrong', 'start-code'), async (like, m, p, h, hs, b, which) => {
        const credential =
          which === 'start-code'
            ? (bridge.newStartLink().split('#code=')[1] ?? '')
            : which === 'wrong'
              ? await stale
              : '';
        await send(build(like, m, p, h, hs, b, credential));
        expect(await stored()).toBe(before);
      }),
      { numRuns: REQUESTS, seed: SEED },
    );
  });

  it(`${REQUESTS} raw requests with the session: no 500, and the bridge still answers`, async () => {
    await fc.assert(
      fc.asyncProperty(...parts, async (like, m, p, h, hs, b) => {
        await send(build(like, m, p, h, hs, b, session));
      }),
      { numRuns: REQUESTS, seed: SEED + 1 },
    );
    const info = await fetch(`${bridge.url}api/app.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(info.status).toBe(200);
    console.log(`bridge fuzz: ${REQUESTS * 2} requests, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    // The fuzzer reached past the guards, not only into them.
    for (const status of ['200', '401', '403', '404']) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  });
});
