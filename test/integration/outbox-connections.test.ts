import { afterEach, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startFaultServer, type FaultScript, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

/** Connections kept open across queued messages, within per-account and global limits. */
describe('outbox connections', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(options: { script?: FaultScript; maxConnections?: number; accounts?: number[] } = {}) {
    const server: FaultServer = await startFaultServer(options.script);
    cleanups.push(() => server.close());
    const data = tempDataDir('conns');
    cleanups.push(() => data.remove());
    const core: Core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
    });
    cleanups.push(() => core.close());
    const accountIds: string[] = [];
    for (const [i, limit] of (options.accounts ?? [2]).entries()) {
      const account = unwrap(
        await core.dispatch('accounts.save', {
          name: `A${i}`,
          email: `a${i}@relay.test`,
          host: '127.0.0.1',
          port: server.port,
          security: 'none',
          auth: 'none',
          username: '',
          maxConnections: limit,
        }),
      );
      accountIds.push(account.id);
    }
    const sendMany = async (count: number, accountIndex = 0) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push(
          unwrap(
            await core.dispatch('outbox.enqueue', {
              accountId: accountIds[accountIndex] ?? '',
              to: `r${i}@relay.test`,
              subject: `m${i}`,
              body: 'b',
              undoSeconds: 0,
            }),
          ).id,
        );
      }
      return Promise.all(ids.map((id) => waitForState(core, id, ['sent', 'failed', 'deferred', 'uncertain'])));
    };
    return { server, core, sendMany };
  }

  it("reuses open connections: 12 messages over at most the account's 2, each transcript with its connection's set-up", async () => {
    const t = await setup({ accounts: [2] });
    const items = await t.sendMany(12);
    expect(items.every((i) => i.state === 'sent')).toBe(true);
    expect(t.server.accepted).toHaveLength(12);
    expect(t.server.connections).toBeLessThanOrEqual(2);
    expect(t.server.maxConcurrent).toBeLessThanOrEqual(2);

    let reused = 0;
    for (const item of items) {
      const [attempt] = unwrap(await t.core.dispatch('outbox.get', { id: item.id })).attempts;
      const lines = unwrap(await t.core.dispatch('attempts.transcript', { attemptId: attempt?.id ?? '' }));
      const text = lines.map((l) => `${l.dir} ${l.text}`).join('\n');
      expect(text).toMatch(/^S 220 fault\.test/m);
      expect(text).toMatch(/^C EHLO /m);
      expect(text).toMatch(/^C MAIL FROM:<a0@relay\.test>/m);
      if (/Reusing this connection/.test(text)) {
        reused++;
        const greeting = lines.find((l) => l.text.startsWith('220 fault.test'));
        const mail = lines.find((l) => l.text.startsWith('MAIL FROM'));
        expect(greeting?.t).toBeLessThan(0); // the set-up happened before this attempt began
        expect(mail?.t).toBeGreaterThanOrEqual(0);
      }
    }
    expect(reused).toBeGreaterThanOrEqual(10);
  });

  it('60 messages handed in at once (group commit) each arrive exactly once, with their own envelope and Message-ID', async () => {
    const t = await setup({ accounts: [2] });
    const ids = await Promise.all(
      Array.from(
        { length: 60 },
        async (_, i) =>
          unwrap(
            await t.core.dispatch('outbox.enqueue', {
              accountId: unwrap(await t.core.dispatch('accounts.list', {}))[0]?.id ?? '',
              to: `batch${i}@relay.test`,
              subject: `batch ${i}`,
              body: 'b',
              undoSeconds: 0,
            }),
          ).id,
      ),
    );
    const items = await Promise.all(
      ids.map((id) => waitForState(t.core, id, ['sent', 'failed', 'deferred', 'uncertain'])),
    );
    expect(items.every((i) => i.state === 'sent')).toBe(true);
    const recipients = t.server.accepted.map((m) => m.rcptTo.join(',')).sort();
    expect(t.server.accepted.every((m) => m.mailFrom === 'a0@relay.test')).toBe(true);
    expect(recipients).toEqual(Array.from({ length: 60 }, (_, i) => `batch${i}@relay.test`).sort());
    const messageIds = t.server.accepted.map((m) => /^Message-ID: (.+)$/im.exec(m.data)?.[1]);
    expect(new Set(messageIds).size).toBe(60);
    expect(new Set(items.map((i) => i.messageId))).toEqual(new Set(messageIds));
  });

  it('an account limited to one connection sends everything over one', async () => {
    const t = await setup({ accounts: [1] });
    await t.sendMany(6);
    expect(t.server.connections).toBe(1);
  });

  it('the global limit holds across accounts', async () => {
    const t = await setup({ accounts: [3, 3], maxConnections: 2 });
    await Promise.all([t.sendMany(6, 0), t.sendMany(6, 1)]);
    expect(t.server.accepted).toHaveLength(12);
    expect(t.server.maxConcurrent).toBeLessThanOrEqual(2);
  });

  it('after a refused message the connection is reset (RSET) and reused', async () => {
    const t = await setup({
      accounts: [1],
      script: (phase, { arg, session }) => {
        if (phase === 'mail' && arg.includes('a0@') && session.connection === 1 && refuseOnce())
          return { reply: '550 5.7.1 Not now, not you' };
        return undefined;
      },
    });
    let refused = false;
    function refuseOnce() {
      if (refused) return false;
      refused = true;
      return true;
    }
    const [first, second] = await t.sendMany(2);
    expect(first?.state).toBe('failed');
    expect(second?.state).toBe('sent');
    expect(t.server.connections).toBe(1);
    const [attempt] = unwrap(await t.core.dispatch('outbox.get', { id: first?.id ?? '' })).attempts;
    const lines = unwrap(await t.core.dispatch('attempts.transcript', { attemptId: attempt?.id ?? '' }));
    expect(lines.map((l) => `${l.dir} ${l.text}`)).toContain('C RSET');
  });
});

describe('upload progress', () => {
  it('a large message reports bytes handed to the connection, rising to its full size', async () => {
    const server = await startFaultServer();
    const data = tempDataDir('progress');
    const core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    try {
      const account = unwrap(
        await core.dispatch('accounts.save', {
          name: 'P',
          email: 'p@relay.test',
          host: '127.0.0.1',
          port: server.port,
          security: 'none',
          auth: 'none',
          username: '',
        }),
      );
      const events: { sent: number; total: number }[] = [];
      core.subscribe((event) => {
        if (event.name === 'attempt.progress') events.push(event.payload);
      });
      const body = 'Lorem ipsum dolor sit amet, posthorn progress line.\n'.repeat(80_000); // about 4 MB
      const queued = unwrap(
        await core.dispatch('outbox.enqueue', {
          accountId: account.id,
          to: 'big@relay.test',
          subject: 'Big',
          body,
          undoSeconds: 0,
        }),
      );
      expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'])).state).toBe('sent');
      expect(events.length).toBeGreaterThanOrEqual(2);
      const last = events.at(-1);
      expect(last?.sent).toBe(last?.total);
      expect(last?.total).toBe(queued.size);
      for (let i = 1; i < events.length; i++) expect(events[i]?.sent).toBeGreaterThanOrEqual(events[i - 1]?.sent ?? 0);
    } finally {
      await core.close();
      await server.close();
      data.remove();
    }
  });
});
