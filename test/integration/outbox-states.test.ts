import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';
import type { OutboxState } from '../../src-main/shared/schemas/outbox.ts';
import { fakeClock } from '../support/fake-clock.ts';
import { startFaultServer, type FaultScript, type FaultServer } from '../support/fault-server.ts';
import { spooledMessages } from '../support/spooled.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const MINUTE = 60_000;
const SETTLED: OutboxState[] = ['sent', 'failed', 'deferred', 'uncertain', 'cancelled'];

/** The outbox's states and transitions against our scripted SMTP server on 127.0.0.1. */
describe('outbox states', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(
    script?: FaultScript,
    options: { lifetimeMs?: number; timeouts?: { connectMs: number; greetingMs: number; socketMs: number } } = {},
  ) {
    const server: FaultServer = await startFaultServer(script);
    cleanups.push(() => server.close());
    const data = tempDataDir('outbox');
    cleanups.push(() => data.remove());
    const clock = fakeClock();
    const open = () =>
      createTestCore({
        dataDir: data.dir,
        secrets: new MemorySecretStore(),
        mode: 'test',
        now: clock.now,
        ...(options.lifetimeMs ? { outboxLifetimeMs: options.lifetimeMs } : {}),
      });
    let core: Core = open();
    cleanups.push(() => core.close());
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Fault',
        email: 'me@fault.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      }),
    );
    const send = async (to = 'a@x.test', extra: Record<string, unknown> = {}) =>
      unwrap(
        await core.dispatch('outbox.enqueue', {
          accountId: account.id,
          to,
          subject: 'Hello',
          body: 'Body text',
          undoSeconds: 0,
          ...extra,
        }),
      );
    const settle = (id: string, states = SETTLED) => waitForState(core, id, states);
    const detail = async (id: string) => unwrap(await core.dispatch('outbox.get', { id }));
    const restart = async () => {
      await core.close();
      core = open();
    };
    return {
      server,
      clock,
      data,
      get core() {
        return core;
      },
      send,
      settle,
      detail,
      restart,
      account,
    };
  }

  it("250: sent, with the server's reply", async () => {
    const t = await setup();
    const item = await t.settle((await t.send()).id);
    expect(item).toMatchObject({
      state: 'sent',
      lastReply: '250 2.0.0 Ok: queued',
      delivered: ['a@x.test'],
      pending: [],
    });
    expect(t.server.accepted).toHaveLength(1);
  });

  it.each([
    ['421 at the greeting', 'greeting' as const, '421 4.3.2 Too busy, come back later'],
    ['451 at MAIL FROM', 'mail' as const, '451 4.7.1 Greylisted, try again'],
    ['452 at RCPT TO', 'rcpt' as const, '452 4.2.2 Mailbox full'],
    ['451 after DATA', 'dot' as const, '451 4.3.0 Local problem'],
  ])('%s: deferred, retried after about a minute', async (_name, phase, reply) => {
    const t = await setup((p) => (p === phase ? { reply } : undefined));
    const item = await t.settle((await t.send()).id);
    expect(item.state).toBe('deferred');
    expect(item.nextAttemptAt).toBe(t.clock.now() + MINUTE);
    expect(item.lastError?.code).toBe('SMTP_TEMPORARY');
    expect(t.server.accepted).toHaveLength(0);
  });

  it.each([
    ['550 at MAIL FROM', 'mail' as const, '550 5.7.1 Sender not allowed'],
    ['552 after DATA', 'dot' as const, '552 5.3.4 Message too big'],
    ['554 after DATA', 'dot' as const, '554 5.7.1 Rejected as spam'],
  ])('%s: failed at once, with the reply', async (_name, phase, reply) => {
    const t = await setup((p) => (p === phase ? { reply } : undefined));
    const item = await t.settle((await t.send()).id);
    expect(item).toMatchObject({ state: 'failed', lastReply: reply, nextAttemptAt: null });
    expect(item.lastError?.code).toBe('SMTP_REJECTED');
  });

  it('one recipient refused (550), one accepted: sent to the one, the other listed, never resent', async () => {
    const t = await setup((p, { arg }) =>
      p === 'rcpt' && arg.includes('bad@') ? { reply: '550 5.1.1 No such user' } : undefined,
    );
    const item = await t.settle((await t.send('good@x.test, bad@x.test')).id);
    expect(item).toMatchObject({
      state: 'sent',
      delivered: ['good@x.test'],
      rejected: [{ address: 'bad@x.test', reply: '550 5.1.1 No such user' }],
    });
    expect(item.lastError?.message).toMatch(/refused for bad@x\.test/);
    expect(t.server.accepted.map((m) => m.rcptTo)).toEqual([['good@x.test']]);
  });

  it('one recipient deferred (452): the other gets it now, only the deferred one is retried', async () => {
    let full = true;
    const t = await setup((p, { arg }) =>
      p === 'rcpt' && arg.includes('later@') && full ? { reply: '452 4.2.2 Mailbox full' } : undefined,
    );
    const queued = await t.send('now@x.test, later@x.test');
    const first = await t.settle(queued.id);
    expect(first).toMatchObject({ state: 'deferred', delivered: ['now@x.test'], pending: ['later@x.test'] });
    full = false;
    unwrap(await t.core.dispatch('outbox.retryNow', { id: queued.id }));
    const done = await t.settle(queued.id, ['sent', 'failed']);
    expect(done).toMatchObject({ state: 'sent', delivered: ['now@x.test', 'later@x.test'], pending: [] });
    expect(t.server.accepted.map((m) => m.rcptTo)).toEqual([['now@x.test'], ['later@x.test']]);
    // The very same message (Message-ID) both times.
    const ids = t.server.accepted.map((m) => /^Message-ID: (.*)$/im.exec(m.data)?.[1]);
    expect(ids[0]).toBe(queued.messageId);
    expect(ids[1]).toBe(queued.messageId);
  });

  it('connection dropped before the final ".": deferred, nothing delivered', async () => {
    const t = await setup((p) => (p === 'data' ? { drop: true } : undefined));
    const item = await t.settle((await t.send()).id);
    expect(item.state).toBe('deferred');
    expect(t.server.completed).toHaveLength(0);
    const [attempt] = (await t.detail(item.id)).attempts;
    expect(attempt).toMatchObject({ outcome: 'deferred', finalDotSent: false });
  });

  it('connection dropped after the final ".": uncertain, never resent on its own; the person resends (same Message-ID) or marks it sent', async () => {
    let drop = true;
    const t = await setup((p) => (p === 'dot' && drop ? { drop: true } : undefined));
    const item = await t.settle((await t.send()).id);
    expect(item.state).toBe('uncertain');
    expect(item.lastError?.code).toBe('SMTP_UNCERTAIN');
    expect(t.server.completed).toHaveLength(1);
    expect((await t.detail(item.id)).attempts[0]).toMatchObject({
      outcome: 'uncertain',
      finalDotSent: true,
      phase: 'final-reply',
    });
    t.clock.advance(10 * MINUTE);
    t.core.wake();
    await new Promise((r) => setTimeout(r, 100));
    expect(unwrap(await t.core.dispatch('outbox.get', { id: item.id })).item.state).toBe('uncertain');
    expect(t.server.completed).toHaveLength(1);

    drop = false;
    unwrap(await t.core.dispatch('outbox.resend', { id: item.id }));
    const resent = await t.settle(item.id, ['sent', 'failed', 'uncertain']);
    expect(resent.state).toBe('sent');
    expect(t.server.completed.map((m) => /^Message-ID: (.*)$/im.exec(m.data)?.[1])).toEqual([
      item.messageId,
      item.messageId,
    ]);

    drop = true;
    const other = await t.settle((await t.send()).id);
    expect(other.state).toBe('uncertain');
    const marked = unwrap(await t.core.dispatch('outbox.markSent', { id: other.id }));
    expect(marked).toMatchObject({ state: 'sent', lastReply: expect.stringMatching(/Marked as sent by you/) });
  });

  it('a server that answers slowly (1.5 s after the final ".") is waited for: sent, not uncertain', async () => {
    const t = await setup((p) => (p === 'dot' ? { reply: '250 2.0.0 Ok: queued slowly', delayMs: 1500 } : undefined));
    const item = await t.settle((await t.send()).id);
    expect(item).toMatchObject({ state: 'sent', lastReply: '250 2.0.0 Ok: queued slowly' });
  });

  it("a server that goes silent: the wait ends with the account's timeout, and the message is retried", async () => {
    const t = await setup((p) => (p === 'mail' ? { silent: true } : undefined), {
      timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 1000 },
    });
    const item = await t.settle((await t.send()).id);
    expect(item.state).toBe('deferred');
    expect(item.lastError?.code).toBe('SMTP_CONNECTION');
  });

  it('backoff: about 1 min, 5 min, 15 min, 1 h, 4 h, then every 4 h, until the lifetime ends in failure', async () => {
    const t = await setup((p) => (p === 'mail' ? { reply: '451 4.7.1 Try later' } : undefined), {
      lifetimeMs: 10 * 60 * 60_000,
    });
    const { id } = await t.send();
    const delays: number[] = [];
    let item = await t.settle(id);
    for (let i = 0; i < 8 && item.state === 'deferred'; i++) {
      delays.push(((item.nextAttemptAt ?? 0) - t.clock.now()) / MINUTE);
      t.clock.advance((item.nextAttemptAt ?? 0) - t.clock.now());
      const before = item.attemptCount;
      t.core.wake();
      for (let n = 0; n < 200; n++) {
        item = unwrap(await t.core.dispatch('outbox.get', { id })).item;
        if (item.attemptCount > before && item.state !== 'sending') break;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    expect(delays).toEqual([1, 5, 15, 60, 240, 240]); // then every 4 h, until the 10 h lifetime is used up
    expect(item.state).toBe('failed');
    expect(item.lastError?.message).toMatch(/^Gave up/);
  });

  it('undo send: during the delay the message returns to the composer and leaves the outbox', async () => {
    const t = await setup();
    const queued = await t.send('a@x.test', { undoSeconds: 30, body: 'Second thoughts' });
    expect(queued).toMatchObject({ state: 'queued', nextAttemptAt: t.clock.now() + 30_000 });
    const draft = unwrap(await t.core.dispatch('outbox.undo', { id: queued.id }));
    expect(draft).toMatchObject({
      accountId: t.account.id,
      to: 'a@x.test',
      subject: 'Hello',
      body: 'Second thoughts',
      cc: '',
      bcc: '',
      html: null,
      attachments: [],
    });
    expect(await t.core.dispatch('outbox.get', { id: queued.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(spooledMessages(t.data.dir)).toEqual([]);
    const sent = await t.settle((await t.send()).id);
    expect(await t.core.dispatch('outbox.undo', { id: sent.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('undo delay and send later survive a restart; mail that came due while closed goes on start', async () => {
    const t = await setup();
    const later = await t.send('a@x.test', { sendAt: t.clock.now() + 2 * 60 * MINUTE });
    const delayed = await t.send('b@x.test', { undoSeconds: 20 });
    await t.restart();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.server.accepted).toHaveLength(0);
    t.clock.advance(30_000);
    await t.restart();
    expect((await t.settle(delayed.id)).state).toBe('sent');
    expect(unwrap(await t.core.dispatch('outbox.get', { id: later.id })).item.state).toBe('queued');
    t.clock.advance(2 * 60 * MINUTE);
    t.core.wake();
    expect((await t.settle(later.id)).state).toBe('sent');
    expect(t.server.accepted.map((m) => m.rcptTo[0])).toEqual(['b@x.test', 'a@x.test']);
  });

  it('cancel and retry now', async () => {
    const t = await setup((p) => (p === 'mail' ? { reply: '451 4.7.1 Try later' } : undefined));
    const waiting = await t.send('a@x.test', { undoSeconds: 30 });
    expect(unwrap(await t.core.dispatch('outbox.cancel', { id: waiting.id })).state).toBe('cancelled');
    expect(await t.core.dispatch('outbox.cancel', { id: waiting.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const deferred = await t.settle((await t.send()).id);
    expect(deferred.state).toBe('deferred');
    unwrap(await t.core.dispatch('outbox.retryNow', { id: deferred.id }));
    const again = await t.settle(deferred.id, ['deferred', 'failed', 'sent']);
    expect(again.attemptCount).toBe(2);
  });

  it('on start: an orphan spool file is set aside, a message whose copy vanished fails with an explanation', async () => {
    const t = await setup();
    // A small message is kept in the database, a large one as a file (docs/STORAGE.md): each can vanish.
    const small = await t.send('a@x.test', { undoSeconds: 30 });
    const large = await t.send('b@x.test', { undoSeconds: 30, body: 'A long line of text.\n'.repeat(15_000) });
    const spool = path.join(t.data.dir, 'spool');
    expect(readdirSync(spool)).toEqual([`${large.id}.eml`]);
    expect(spooledMessages(t.data.dir)).toEqual([`${large.id}.eml`, `${small.id}.eml`].sort());
    await t.core.close();
    rmSync(path.join(spool, `${large.id}.eml`));
    const db = new Database(path.join(t.data.dir, DATABASE_FILE));
    db.prepare('DELETE FROM spool_inline WHERE name = ?').run(`${small.id}.eml`);
    db.close();
    writeFileSync(path.join(spool, 'stray.eml'), 'Subject: from a crash\r\n\r\nx');
    await t.restart();
    for (const { id } of [small, large]) {
      const item = unwrap(await t.core.dispatch('outbox.get', { id })).item;
      expect(item).toMatchObject({ state: 'failed', lastError: { code: 'SPOOL_MISSING' } });
    }
    expect(existsSync(path.join(spool, 'orphaned', 'stray.eml'))).toBe(true);
  });
});
