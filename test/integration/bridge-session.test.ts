import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src-main/bridge/bridge-server.ts';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';

const codeOf = (link: string) => /#code=([A-Za-z0-9_-]+)/.exec(link)?.[1] ?? '';

/**
 * Browser mode's address carries a one-time start code, never the session credential (issue
 * 19, point 2): the code is good for one minute and one use, the page trades it for a session
 * held in the tab, and a second browser needs a new link. The bridge also limits how long a
 * request may take, how many connections it keeps, and closes the connection after a refusal.
 */
describe('browser mode: one-time start links and the bridge under load', () => {
  let core: Core;
  let bridge: Bridge;
  let clock = 1_000_000;
  const admitted: number[] = [];
  const data = tempDataDir('bridge-session');
  const staticDir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-static-'));

  beforeAll(async () => {
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Posthorn</title>');
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    bridge = await startBridge({
      core,
      staticDir,
      now: () => clock,
      requestTimeoutMs: 1000,
      maxConnections: 8,
      onAdmitted: (count) => admitted.push(count),
    });
  });

  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    data.remove();
    rmSync(staticDir, { recursive: true, force: true });
  });

  const exchange = (code: string, headers: Record<string, string> = {}) =>
    fetch(`${bridge.url}api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ code }),
    });

  const call = (session: string) =>
    fetch(`${bridge.url}api/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session}` },
      body: '{}',
    });

  it('the link carries a code, not a session; the code admits one browser, once', async () => {
    const link = bridge.newStartLink();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#code=[A-Za-z0-9_-]{40,}$/);
    expect(link).not.toMatch(/token=/);
    const code = codeOf(link);
    // The code itself opens nothing.
    expect((await call(code)).status).toBe(401);
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const { value } = (await first.json()) as { value: { session: string } };
    expect(value.session).not.toBe(code);
    expect((await call(value.session)).status).toBe(200);
    expect(admitted).toEqual([1]);
    // Used: useless now, and it says what to do.
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.headers.get('connection')).toBe('close');
    expect(await again.json()).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        message: 'This link was already used.',
        hint: expect.stringMatching(/new link.*Enter.*If you did not open it yourself/s),
      },
    });
    expect(admitted).toEqual([1]);
  });

  it('a code is good for one minute', async () => {
    const code = codeOf(bridge.newStartLink());
    clock += 61_000;
    const late = await exchange(code);
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ error: { message: 'This link has expired.' } });
  });

  it('a second browser needs a new link; both sessions then work', async () => {
    const one = (await (await exchange(codeOf(bridge.newStartLink()))).json()) as { value: { session: string } };
    const two = (await (await exchange(codeOf(bridge.newStartLink()))).json()) as { value: { session: string } };
    expect(one.value.session).not.toBe(two.value.session);
    expect((await call(one.value.session)).status).toBe(200);
    expect((await call(two.value.session)).status).toBe(200);
  });

  it('codes that were never made, and exchanges from another origin, are refused', async () => {
    expect((await exchange('A'.repeat(43))).status).toBe(401);
    const foreign = await exchange(codeOf(bridge.newStartLink()), { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('connection')).toBe('close');
  });

  /**
   * A raw socket, and who closed it: the server, or this test giving up after `giveUpAfter` ms.
   * Who closed it is asserted, never how fast: the give-up is only a bound on the wait.
   */
  function rawSocket(): Promise<{
    socket: Socket;
    closed: Promise<'server' | 'test'>;
    giveUpAfter: (ms: number) => void;
  }> {
    return new Promise((resolve, reject) => {
      let byTest = false;
      let timer: NodeJS.Timeout | undefined;
      const socket = connect(bridge.port, '127.0.0.1', () =>
        resolve({
          socket,
          closed: new Promise((done) =>
            socket.once('close', () => {
              clearTimeout(timer);
              done(byTest ? 'test' : 'server');
            }),
          ),
          giveUpAfter: (ms) => {
            timer = setTimeout(() => {
              byTest = true;
              socket.destroy();
            }, ms);
          },
        }),
      );
      socket.on('error', () => {});
      socket.once('error', reject);
      socket.resume(); // read what the server says, so its close is seen
    });
  }

  it('a request that trickles in is cut off after the request timeout, even with a session', async () => {
    const { value } = (await (await exchange(codeOf(bridge.newStartLink()))).json()) as { value: { session: string } };
    const { socket, closed, giveUpAfter } = await rawSocket();
    socket.write(
      `POST /api/app.info HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nAuthorization: Bearer ${value.session}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    giveUpAfter(10_000);
    expect(await closed).toBe('server');
  });

  it('a refused request gets its answer and the connection closed, not kept alive', async () => {
    const { socket, closed, giveUpAfter } = await rawSocket();
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n\r\n`);
    // Sooner than Node's keep-alive timeout (5 s), which would close an idle connection anyway.
    giveUpAfter(2500);
    expect(await closed).toBe('server');
  });

  it('the start exchange reads at most a small body: a large one is refused before it is held in memory', async () => {
    const { socket, closed, giveUpAfter } = await rawSocket();
    socket.write(
      `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nContent-Type: application/json\r\n` +
        'Content-Length: 13000000\r\n\r\n{"code":"',
    );
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write('A'.repeat(64 * 1024));
    giveUpAfter(2500);
    expect(await closed).toBe('server');
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it('holds no more connections than its cap: the next one is closed at once', async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => rawSocket()));
    const extra = await rawSocket();
    extra.giveUpAfter(2500);
    expect(await extra.closed).toBe('server');
    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map((h) => h.closed));
  });
});
