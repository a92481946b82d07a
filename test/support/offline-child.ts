// Runs inside a network namespace of its own (`unshare -n`), where even loopback starts down:
// a machine with no network at all, from which no traffic can leave. Queues two messages while
// offline, then brings loopback up, starts an SMTP server on it and wakes the queue, printing
// what it saw at each step as one JSON line. See test/integration/offline.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import type { OutboxItem } from '../../src-main/shared/schemas/outbox.ts';
import { startFaultServer } from './fault-server.ts';

const PORT = 2525;
const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-offline-'));
const core = createCore({ dataDir: dir, secrets: new MemorySecretStore(), mode: 'test' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const get = async (id: string): Promise<OutboxItem> => {
  const result = await core.dispatch('outbox.get', { id });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.item;
};
const until = async (id: string, states: readonly string[]): Promise<OutboxItem> => {
  for (let i = 0; i < 200; i++) {
    const item = await get(id);
    if (states.includes(item.state)) return item;
    await sleep(25);
  }
  return get(id);
};

try {
  const account = await core.dispatch('accounts.save', {
    name: 'Offline',
    email: 'me@offline.test',
    host: '127.0.0.1',
    port: PORT,
    security: 'none',
    auth: 'none',
    username: '',
  });
  if (!account.ok) throw new Error(account.error.message);
  const enqueue = async (subject: string) => {
    const queued = await core.dispatch('outbox.enqueue', {
      accountId: account.value.id,
      to: 'a@offline.test',
      subject,
      body: 'b',
      undoSeconds: 0,
    });
    if (!queued.ok) throw new Error(queued.error.message);
    return queued.value.id;
  };
  const first = await enqueue('While offline');
  const offline = await until(first, ['deferred', 'failed', 'sent']);
  // A second message while the queue is paused: it waits; it is not tried and failed too.
  const second = await enqueue('Also while offline');
  await sleep(500);
  const secondWhilePaused = await get(second);
  // The network comes back: loopback up, a server on it, and the app told (as on "online").
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  const server = await startFaultServer(undefined, { port: PORT });
  const woke = await core.dispatch('app.wake', {});
  const firstAfter = await until(first, ['sent', 'failed']);
  const secondAfter = await until(second, ['sent', 'failed']);
  process.stdout.write(
    `${JSON.stringify({ offline, secondWhilePaused, woke: woke.ok, firstAfter, secondAfter, received: server.accepted.map((m) => m.data.match(/Subject: (.*)/)?.[1]) })}\n`,
  );
  await server.close();
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
