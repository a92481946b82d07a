import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { addFiles } from '../support/add-files.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

/** Every folder and file under `dir` with its permission bits, the folder itself included. */
function modesUnder(dir: string): { path: string; mode: string }[] {
  const out = [{ path: '.', mode: (statSync(dir).mode & 0o777).toString(8) }];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      out.push({ path: path.relative(dir, full), mode: (statSync(full).mode & 0o777).toString(8) });
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/**
 * The data folder holds bodies, subjects, recipients and transcripts: on Linux and macOS it is
 * 0700 and every file in it 0600, whatever the umask (issue 19, point 4), also for a folder an
 * older version left readable.
 */
describe.skipIf(process.platform === 'win32')('the data folder is private', () => {
  const certificate = selfSignedCertificate();
  let sink: SmtpSink;
  const fresh = tempDataDir('modes-fresh');
  const old = tempDataDir('modes-old');
  const umask = process.umask(0o022); // the common default: without care, 0755 folders and 0644 files

  beforeAll(async () => {
    sink = await startSmtpSink({ certificate, users: { 'mo@example.test': 'Mode-pa55' } });
  });

  afterAll(async () => {
    process.umask(umask);
    await sink?.close();
    fresh.remove();
    old.remove();
  });

  async function useEverything(core: Core) {
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Mo',
        email: 'mo@example.test',
        host: '127.0.0.1',
        port: sink.port,
        security: 'starttls',
        username: 'mo@example.test',
        password: 'Mode-pa55',
      }),
    );
    const [file] = await addFiles(core, [{ name: 'notes.txt', bytes: Buffer.from('private notes') }]);
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'friend@example.test',
        subject: 'Private',
        body: 'Private body',
        attachments: [{ id: file?.id ?? '' }],
        undoSeconds: 0,
      }),
    );
    await waitForState(core, queued.id, ['sent', 'failed', 'deferred'], 15_000);
    unwrap(
      await core.dispatch('drafts.save', {
        content: { accountId: null, to: '', subject: 'A draft', body: 'Draft body', html: null },
      }),
    );
    unwrap(await core.dispatch('logs.export', { outboxId: queued.id, format: 'txt' }));
    unwrap(await core.dispatch('app.reportError', { view: 'test', message: 'a logged problem' }));
  }

  it('a new data folder: 0700, and every file 0600 (database, WAL, spool, attachments, log, lock)', async () => {
    const core = createTestCore({
      dataDir: fresh.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      trustedCertificates: [certificate.cert],
    });
    try {
      await useEverything(core);
      const entries = modesUnder(fresh.dir);
      expect(entries.map((e) => e.path)).toEqual(expect.arrayContaining(['posthorn.sqlite', 'posthorn.sqlite-wal']));
      const wrong = entries.filter((e) => {
        const isDir = statSync(path.join(fresh.dir, e.path)).isDirectory();
        return e.mode !== (isDir ? '700' : '600');
      });
      expect(wrong).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('a folder an older version left readable is made private when Posthorn starts', async () => {
    mkdirSync(path.join(old.dir, 'spool'), { recursive: true, mode: 0o755 });
    chmodSync(old.dir, 0o755);
    writeFileSync(path.join(old.dir, 'spool', 'left.eml'), 'Subject: old\r\n\r\nold\r\n', { mode: 0o644 });
    const first = createTestCore({ dataDir: old.dir, secrets: new MemorySecretStore(), mode: 'test' });
    await first.close();
    chmodSync(path.join(old.dir, 'posthorn.sqlite'), 0o644);
    const core = createTestCore({ dataDir: old.dir, secrets: new MemorySecretStore(), mode: 'test' });
    try {
      const entries = modesUnder(old.dir);
      const wrong = entries.filter((e) => {
        const isDir = statSync(path.join(old.dir, e.path)).isDirectory();
        return e.mode !== (isDir ? '700' : '600');
      });
      expect(wrong).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
