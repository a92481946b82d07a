import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { ftsQuery } from '../../src-main/core/logs/log-search.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitFor, waitForState } from '../support/wait-for.ts';

/** Searching the logs: full text over subjects, addresses and transcripts, with filters and pages. */
describe('log search', () => {
  let server: FaultServer;
  let core: Core;
  const data = tempDataDir('search');
  const ids: Record<string, string> = {};
  let accountA = '';
  let accountB = '';

  beforeAll(async () => {
    server = await startFaultServer((phase, { arg }) =>
      phase === 'rcpt' && arg.includes('ghost@') ? { reply: '550 5.1.1 Mailbox ghost unknown here' } : undefined,
    );
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    const account = (name: string, email: string) =>
      core.dispatch('accounts.save', {
        name,
        email,
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      });
    accountA = unwrap(await account('A', 'alice@work.test')).id;
    accountB = unwrap(await account('B', 'bob@home.test')).id;
    const send = async (key: string, accountId: string, to: string, subject: string) => {
      ids[key] = unwrap(
        await core.dispatch('outbox.enqueue', {
          accountId,
          to,
          subject,
          body: 'body text that is never indexed',
          undoSeconds: 0,
        }),
      ).id;
      await waitForState(core, ids[key] ?? '', ['sent', 'failed', 'deferred', 'uncertain']);
    };
    await send('invoice', accountA, 'carol@client.test', 'Invoice for October');
    await send('ghost', accountA, 'ghost@client.test', 'Hello ghost');
    await send('party', accountB, 'dave@friends.test, erin@friends.test', 'Party on Saturday');
    for (let i = 0; i < 12; i++) await send(`bulk${i}`, accountB, `list${i}@bulk.test`, `Newsletter issue ${i}`);
  });

  afterAll(async () => {
    await core?.close();
    await server?.close();
    data.remove();
  });

  const search = async (input: Record<string, unknown>) => unwrap(await core.dispatch('logs.search', input));
  const subjects = (r: { items: { subject: string }[] }) => r.items.map((i) => i.subject);

  it('finds by subject word, address and prefix while typing', async () => {
    expect(subjects(await search({ text: 'invoice' }))).toEqual(['Invoice for October']);
    expect(subjects(await search({ text: 'carol@client.test' }))).toEqual(['Invoice for October']);
    expect(subjects(await search({ text: 'octo' }))).toEqual(['Invoice for October']);
    expect(subjects(await search({ text: 'friends' }))).toEqual(['Party on Saturday']);
  });

  it('finds by what the server said in the transcript, never by the body', async () => {
    expect(subjects(await search({ text: 'unknown here' }))).toEqual(['Hello ghost']);
    expect((await search({ text: 'never indexed' })).total).toBe(0);
  });

  it('treats query syntax as plain text', async () => {
    for (const text of ['"', 'OR', 'NEAR(', '-invoice', 'subject:invoice', '***', "o'clock"]) {
      const result = await core.dispatch('logs.search', { text });
      expect(result.ok, text).toBe(true);
    }
    expect(ftsQuery('a "b" c')).toBe('"a" """b""" "c"*');
    expect(ftsQuery('x\u0000y')).toBe('"x" "y"*');
  });

  it('filters by account, state, recipient and date', async () => {
    expect((await search({ accountId: accountA })).total).toBe(2);
    expect(subjects(await search({ state: 'failed' }))).toEqual(['Hello ghost']);
    expect(subjects(await search({ recipient: 'ERIN@' }))).toEqual(['Party on Saturday']);
    expect(subjects(await search({ recipient: '%' }))).toEqual([]);
    expect((await search({ since: Date.now() + 60_000 })).total).toBe(0);
    expect((await search({ text: 'newsletter', accountId: accountB, state: 'sent' })).total).toBe(12);
  });

  it('pages newest first, with the total', async () => {
    const first = await search({ text: 'newsletter', limit: 5 });
    const second = await search({ text: 'newsletter', limit: 5, offset: 5 });
    expect(first.total).toBe(12);
    expect(subjects(first)).toEqual([
      'Newsletter issue 11',
      'Newsletter issue 10',
      'Newsletter issue 9',
      'Newsletter issue 8',
      'Newsletter issue 7',
    ]);
    expect(subjects(second)[0]).toBe('Newsletter issue 6');
    expect((await search({})).total).toBe(15);
  });

  it('an undone message leaves the index', async () => {
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: accountA,
        to: 'x@client.test',
        subject: 'Regretted words',
        body: 'b',
        undoSeconds: 30,
      }),
    );
    expect((await search({ text: 'regretted' })).total).toBe(1);
    unwrap(await core.dispatch('outbox.undo', { id: queued.id }));
    expect((await search({ text: 'regretted' })).total).toBe(0);
  });

  it('a transcript stored just before a crash is still found after the restart', async () => {
    // Transcripts reach the search index a moment after the outcome is stored, many at once.
    // The data folder is copied the instant the outcome is committed (the state a SIGKILL
    // would leave), then opened as Posthorn would open it after the crash.
    const crashImage = tempDataDir('search-crash');
    let copied = false;
    const stop = core.subscribe((event) => {
      if (copied || event.name !== 'outbox.changed' || event.payload.state !== 'failed') return;
      for (const file of readdirSync(data.dir)) {
        if (file.startsWith(DATABASE_FILE)) copyFileSync(path.join(data.dir, file), path.join(crashImage.dir, file));
      }
      copied = true;
    });
    try {
      unwrap(
        await core.dispatch('outbox.enqueue', {
          accountId: accountA,
          to: 'ghost@client.test',
          subject: 'Second try for the ghost',
          body: 'b',
          undoSeconds: 0,
        }),
      );
      await waitFor(() => copied);
    } finally {
      stop();
    }
    const image = new Database(path.join(crashImage.dir, DATABASE_FILE));
    const waiting = (image.prepare('SELECT count(*) AS n FROM attempts WHERE indexed = 0').get() as { n: number }).n;
    image.close();
    expect(waiting).toBe(1); // the crash came before the index was written
    const restarted = createTestCore({ dataDir: crashImage.dir, secrets: new MemorySecretStore(), mode: 'test' });
    try {
      const found = unwrap(await restarted.dispatch('logs.search', { text: 'unknown here' }));
      expect(found.items.map((i) => i.subject).sort()).toEqual(['Hello ghost', 'Second try for the ghost']);
    } finally {
      await restarted.close();
      crashImage.remove();
    }
  });
});
