import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { LOG_FILE, logFolder } from '../../src-main/core/logs/app-log.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { LOCK_FILE } from '../../src-main/core/store/data-dir-lock.ts';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { spooledMessages } from '../support/spooled.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const FAR = Date.now() + 365 * 24 * 3600_000;

/** A small tmpfs to fill up, when this machine lets us mount one (root in a container); else why not. */
function mountSmallDisk(dir: string, size: string): string | null {
  if (process.platform !== 'linux') return 'only tried on Linux';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `a small tmpfs could not be mounted here (${String((error as Error).message).split('\n')[0]})`;
  }
}

/** Another process (a database viewer, a backup tool) holding SQLite's write lock for a while. */
function holdLock(file: string, ms: number): { process: ChildProcess; locked: Promise<void>; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `
    const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN EXCLUSIVE');
    console.log('LOCKED');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${ms});
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const locked = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (line) => line === 'LOCKED' && resolve()),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { process: child, locked, exited };
}

/** Disk, lock and corruption faults: a clear error, no crash, nothing already stored lost. */
describe('store faults', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open(
    dir: string,
    reportUnexpected?: (channel: string) => void,
  ): Promise<{ core: Core; server: FaultServer; accountId: string }> {
    const server = await startFaultServer();
    cleanups.push(() => server.close());
    const core = createTestCore({
      dataDir: dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      ...(reportUnexpected ? { reportUnexpected } : {}),
    });
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await core.close();
      closed = true;
    });
    const accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Store',
        email: 'me@store.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    ).id;
    return { core, server, accountId };
  }

  it('a second Posthorn on the same data folder is refused with who holds it; a lock left by a killed one is taken over', async () => {
    const data = tempDataDir('second');
    cleanups.push(() => data.remove());
    const { core } = await open(data.dir);
    expect(() => createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' })).toThrow(
      /Another Posthorn \(process \d+\) is already using the data folder/,
    );
    // Another process: the command-line app (browser mode) says so and exits.
    const cli = spawnSync(
      process.execPath,
      ['--experimental-strip-types', path.resolve('src-main/bridge/cli.ts'), '--data-dir', data.dir],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, CI: '1' } },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(
      /Posthorn could not start: Another Posthorn \(process \d+\) is already using the data folder[\s\S]*--data-dir/,
    );
    await core.close();
    // A lock whose process is gone (SIGKILL leaves it behind) does not keep Posthorn out.
    writeFileSync(
      path.join(data.dir, LOCK_FILE),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), since: 1 }),
    );
    const again = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    expect(unwrap(await again.dispatch('accounts.list', {}))).toHaveLength(1);
    await again.close();
    expect(existsSync(path.join(data.dir, LOCK_FILE))).toBe(false);
  });

  it('database locked by another process: calls answer STORE with what to do, the queue waits, and all goes on once it is free', async () => {
    const data = tempDataDir('locked');
    cleanups.push(() => data.remove());
    const { core, server, accountId } = await open(data.dir);
    const draft = unwrap(
      await core.dispatch('drafts.save', {
        content: { accountId, to: 'a@store.test', subject: 'Kept', body: 'Draft text', html: null },
      }),
    );
    // Another program takes the write lock and keeps it for 12 s (longer than two 5 s busy waits).
    const holder = holdLock(path.join(data.dir, DATABASE_FILE), 12_000);
    cleanups.push(() => void holder.process.kill('SIGKILL'));
    await holder.locked;
    const refused = await core.dispatch('drafts.save', {
      id: draft.id,
      content: { accountId, to: 'a@store.test', subject: 'Changed', body: 'New text', html: null },
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('STORE');
      expect(refused.error.message).toMatch(/locked by another program/);
      expect(refused.error.hint).toMatch(/Close any other program/);
    }
    // A message too large to be kept in the database is a file first: refused all the same, with
    // no file left behind and nobody left waiting (it once crashed the process from here).
    const largeRefused = await core.dispatch('outbox.enqueue', {
      accountId,
      to: 'a@store.test',
      subject: 'Large, while locked',
      body: 'A long line of text.\n'.repeat(15_000),
      // Later, so no connection is opened ahead (its own note to the store would wait out the lock first).
      sendAt: Date.now() + 3_600_000,
    });
    expect(largeRefused).toMatchObject({
      ok: false,
      error: { code: 'STORE', message: expect.stringMatching(/locked/) },
    });
    expect(spooledMessages(data.dir)).toEqual([]);
    await holder.exited;
    // Free again: the earlier draft is intact, and sending works.
    expect(unwrap(await core.dispatch('drafts.get', { id: draft.id })).content.subject).toBe('Kept');
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@store.test',
        subject: 'After the lock',
        body: 'b',
        undoSeconds: 0,
      }),
    );
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred'])).state).toBe('sent');
    expect(server.accepted).toHaveLength(1);
  }, 30_000);

  it('the sender meets a locked database: nothing is lost or sent twice, it carries on once the lock is gone', async () => {
    const data = tempDataDir('locked-sender');
    cleanups.push(() => data.remove());
    // The store's refusal is expected trouble: a warning in the app log (and the console).
    const { core, server, accountId } = await open(data.dir);
    // Due in one second, while another program holds the lock for seven: the claim gives up
    // after SQLite's 5 s wait, nothing is claimed, and the sender looks again 2 s later.
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@store.test',
        subject: 'Through the lock',
        body: 'b',
        undoSeconds: 1,
      }),
    );
    const holder = holdLock(path.join(data.dir, DATABASE_FILE), 7000);
    cleanups.push(() => void holder.process.kill('SIGKILL'));
    await holder.locked;
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'], 20_000)).state).toBe(
      'sent',
    );
    expect(server.accepted.filter((m) => m.data.includes('Through the lock'))).toHaveLength(1);
    const log = readFileSync(path.join(logFolder(data.dir), LOG_FILE), 'utf8');
    expect(log).toMatch(
      /WARN \[outbox\] The store refused a write \(database is locked\); the outbox tries again in 2 s\./,
    );
    expect(log).not.toMatch(/ERROR/);
  }, 30_000);

  it('disk full: enqueue and draft saves answer STORE "disk full", what was stored stays, and all works once space is freed', async (context) => {
    const mountPoint = tempDataDir('fulldisk');
    cleanups.push(() => mountPoint.remove());
    const why = mountSmallDisk(mountPoint.dir, '6m');
    if (why) {
      console.log(`Skipping the disk-full test: ${why}.`);
      context.skip();
      return;
    }
    cleanups.push(() => void spawnSync('umount', [mountPoint.dir]));
    const dir = path.join(mountPoint.dir, 'data');
    mkdirSync(dir);
    const { core, server, accountId } = await open(dir);
    const kept = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@store.test',
        subject: 'Stored before',
        body: 'b',
        undoSeconds: 0,
        sendAt: FAR,
      }),
    );
    const draft = unwrap(
      await core.dispatch('drafts.save', {
        content: { accountId, to: 'a@store.test', subject: 'Draft before', body: 'x', html: null },
      }),
    );
    // Fill the disk to the last byte.
    const filler = path.join(mountPoint.dir, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      try {
        for (;;) writeSync(fd, block.subarray(0, 512));
      } catch {
        // full
      }
    } finally {
      closeSync(fd);
    }
    const big = 'A long body. '.repeat(20_000);
    const refused = await core.dispatch('outbox.enqueue', {
      accountId,
      to: 'a@store.test',
      subject: 'Too much',
      body: big,
      undoSeconds: 0,
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('STORE');
      expect(`${refused.error.message} ${refused.error.hint}`).toMatch(/disk|space/i);
    }
    const draftRefused = await core.dispatch('drafts.save', {
      id: draft.id,
      content: { accountId, to: 'a@store.test', subject: 'Draft after', body: big, html: null },
    });
    expect(draftRefused.ok).toBe(false);
    if (!draftRefused.ok) expect(draftRefused.error.code).toBe('STORE');
    // What was there is still there, readable.
    expect(unwrap(await core.dispatch('outbox.get', { id: kept.id })).item.subject).toBe('Stored before');
    expect(unwrap(await core.dispatch('drafts.get', { id: draft.id })).content.subject).toBe('Draft before');
    expect(unwrap(await core.dispatch('outbox.list', {})).map((i) => i.subject)).toEqual(['Stored before']);
    // No half-written message left in the spool.
    expect(spooledMessages(dir)).toHaveLength(1);
    rmSync(filler);
    const sent = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@store.test',
        subject: 'After freeing space',
        body: big,
        undoSeconds: 0,
      }),
    );
    expect((await waitForState(core, sent.id, ['sent', 'failed', 'deferred'])).state).toBe('sent');
    expect(server.accepted.map((m) => /Subject: (.*)/.exec(m.data)?.[1])).toEqual(['After freeing space']);
    await core.close();
    const check = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 30_000);

  it('a damaged database file: a clear error at start, the file left as it was for rescue', async () => {
    const data = tempDataDir('corrupt');
    cleanups.push(() => data.remove());
    const { core, accountId } = await open(data.dir);
    unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@store.test',
        subject: 'Before the damage',
        body: 'b',
        undoSeconds: 0,
        sendAt: FAR,
      }),
    );
    await core.close();
    const file = path.join(data.dir, DATABASE_FILE);
    // The header overwritten: SQLite no longer recognises the file.
    const bytes = readFileSync(file);
    bytes.write('this is not a database at all', 0, 'latin1');
    writeFileSync(file, bytes);
    const damaged = readFileSync(file);
    expect(() => createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' })).toThrow(
      /database file \(posthorn\.sqlite in the data folder\) is damaged/,
    );
    try {
      createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    } catch (error) {
      expect((error as { error?: { hint?: string } }).error?.hint).toMatch(
        /move posthorn\.sqlite out of the data folder/,
      );
      // Small unsent messages live in that file now: the hint must not send the person to the spool folder alone.
      expect((error as { error?: { hint?: string } }).error?.hint).toMatch(
        /Keep that file: it holds your unsent messages/,
      );
    }
    expect(readFileSync(file).equals(damaged)).toBe(true);
    // The small message's bytes live in that file (docs/STORAGE.md), there for a rescue with sqlite3's .recover.
    expect(damaged.includes('Subject: Before the damage')).toBe(true);
    // The folder was not left taken: once the file is moved aside, Posthorn starts afresh.
    rmSync(file);
    const fresh = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    expect(unwrap(await fresh.dispatch('accounts.list', {}))).toEqual([]);
    await fresh.close();
  });

  it('damage inside a table: calls that meet it answer STORE "damaged" instead of crashing', async () => {
    const data = tempDataDir('corrupt-page');
    cleanups.push(() => data.remove());
    const { core, accountId } = await open(data.dir);
    for (let i = 0; i < 40; i++)
      unwrap(
        await core.dispatch('drafts.save', {
          content: { accountId, to: 'a@store.test', subject: `Draft ${i}`, body: 'x'.repeat(2000), html: null },
        }),
      );
    await core.close();
    const file = path.join(data.dir, DATABASE_FILE);
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const root = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'drafts'").get() as { rootpage: number })
      .rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    // Scribble over the drafts table's root page (a bad sector, a half-synced copy).
    const bytes = readFileSync(file);
    bytes.fill(0xa5, (root - 1) * pageSize, root * pageSize);
    writeFileSync(file, bytes);
    const reopened = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    const listed = await reopened.dispatch('drafts.list', {});
    expect(listed.ok).toBe(false);
    if (!listed.ok) {
      expect(listed.error.code).toBe('STORE');
      expect(listed.error.message).toMatch(/damaged/);
    }
    // The rest still answers.
    expect(unwrap(await reopened.dispatch('accounts.list', {}))).toHaveLength(1);
    await reopened.close();
  });
});
