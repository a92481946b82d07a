import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-store.ts';
import { DATABASE_FILE } from '../../../src-main/core/store/database.ts';
import { channels } from '../../../src-main/shared/contract.ts';
import { tempDataDir } from '../../support/temp-dir.ts';

const validAccount = {
  name: 'Work',
  email: 'me@example.test',
  host: 'smtp.example.test',
  port: 587,
  security: 'starttls',
  username: 'me',
  password: 'pw-123456',
};

describe('dispatch', () => {
  let data: ReturnType<typeof tempDataDir>;
  let secrets: MemorySecretStore;
  let core: Core;

  beforeEach(() => {
    data = tempDataDir('dispatch');
    secrets = new MemorySecretStore();
    core = createCore({ dataDir: data.dir, secrets, mode: 'test' });
  });

  afterEach(async () => {
    await core.close();
    data.remove();
  });

  function storedCounts() {
    const db = new Database(path.join(data.dir, DATABASE_FILE), { readonly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return {
        accounts: count('accounts'),
        outbox: count('outbox'),
        attempts: count('attempts'),
        spool: readdirSync(path.join(data.dir, 'spool')).length + count('spool_inline'),
        secrets: secrets.entries.size,
      };
    } finally {
      db.close();
    }
  }
  const nothingStored = { accounts: 0, outbox: 0, attempts: 0, spool: 0, secrets: 0 };

  const malformed: [string, unknown][] = [
    ['accounts.save', undefined],
    ['accounts.save', null],
    ['accounts.save', 'a string'],
    ['accounts.save', { ...validAccount, port: 70000 }],
    ['accounts.save', { ...validAccount, port: '587' }],
    ['accounts.save', { ...validAccount, email: 'not-an-address' }],
    ['accounts.save', { ...validAccount, host: 'smtp example' }],
    ['accounts.save', { ...validAccount, security: 'ssl3' }],
    ['accounts.save', { ...validAccount, name: 'Work\r\nBcc: evil@example.test' }],
    ['accounts.save', { ...validAccount, extra: 'field' }],
    ['accounts.save', { ...validAccount, password: 'x'.repeat(9000) }],
    ['accounts.save', { ...validAccount, name: 'x'.repeat(10 * 1024 * 1024) }],
    ['accounts.save', { ...validAccount, port: 0 }],
    ['accounts.save', { ...validAccount, host: '' }],
    ['accounts.save', { ...validAccount, auth: 'NTLM' }],
    ['accounts.save', { ...validAccount, identities: [{ fromName: 'A\nB', fromAddress: 'a@example.test' }] }],
    ['accounts.save', { ...validAccount, pinnedCertificate: { fingerprint256: 'AB', pem: 'x', subject: '' } }],
    ['app.reportError', { view: 'Outbox', message: 'x'.repeat(2001) }],
    ['app.reportError', { view: 'x'.repeat(41), message: 'm' }],
    ['compose.plainText', { html: 42 }],
    ['accounts.check', { ...validAccount, email: 'not-an-address' }],
    ['accounts.check', { ...validAccount, extra: 'field' }],
    ['accounts.duplicate', { id: '' }],
    ['accounts.autoconfig', { email: 42 }],
    ['accounts.test', { ...validAccount }],
    ['accounts.test', { host: '127.0.0.1', port: 70000, security: 'tls', username: '' }],
    ['accounts.signInStart', {}],
    ['accounts.signInStart', { provider: 'x'.repeat(41) }],
    ['accounts.signInFinish', { signInId: '' }],
    ['accounts.signInCancel', { signInId: 'x'.repeat(65) }],
    ['accounts.delete', {}],
    ['accounts.delete', { id: 42 }],
    ['accounts.delete', { id: 'x', queuedMail: 'drop' }],
    ['outbox.enqueue', {}],
    ['outbox.enqueue', { accountId: 'a', to: '', subject: 's', body: 'b' }],
    ['outbox.enqueue', { accountId: 'a', to: 'x@example.test', subject: 'Hi\r\nBcc: evil@example.test', body: 'b' }],
    ['outbox.enqueue', { accountId: 'a', to: 'x@example.test', subject: 's', body: 42 }],
    ['outbox.get', { id: '' }],
    ['outbox.undo', {}],
    ['outbox.retryNow', { id: null }],
    ['outbox.cancel', { id: 'x'.repeat(65) }],
    ['outbox.resend', []],
    ['outbox.markSent', { id: 'a', extra: 1 }],
    ['outbox.enqueue', { accountId: 'a', to: 'x@example.test', subject: 's', body: 'b', undoSeconds: 31 }],
    ['outbox.enqueue', { accountId: 'a', to: 'x@example.test', subject: 's', body: 'b', sendAt: -5 }],
    ['attempts.transcript', { attemptId: ['x'] }],
    ['accounts.list', { unexpected: true }],
    ['outbox.list', 'all'],
    ['app.info', []],
    ['app.wake', { now: true }],
    ['logs.search', { limit: 100000 }],
    ['logs.export', { outboxId: 'x', format: 'pdf' }],
    ['outbox.enqueue', { accountId: 'a', to: 'x@example.test', subject: 's', body: 'b', priority: 'urgent' }],
    [
      'outbox.enqueue',
      {
        accountId: 'a',
        to: 'x@example.test',
        subject: 's',
        body: 'b',
        attachments: [{ id: 'a', path: '/etc/passwd' }],
      },
    ],
    ['outbox.enqueue', { accountId: 'a', to: 'x@example.test', cc: 'y'.repeat(20_001), subject: 's', body: 'b' }],
    ['drafts.save', { content: { to: 'x' } }],
    ['drafts.save', { id: '', content: { accountId: null, to: '', subject: '', body: '' } }],
    ['drafts.list', { all: true }],
    ['drafts.get', {}],
    ['drafts.delete', { id: 7 }],
    ['attachments.addPaths', { files: [] }],
    ['attachments.addPaths', { files: [{ path: 'relative/file.txt' }] }],
    ['attachments.addPaths', { files: [{ path: '/tmp/a\0b' }] }],
    ['attachments.addPaths', { paths: ['/etc/passwd'] }],
    ['drafts.importFile', { path: '../saved.eml' }],
    ['attachments.remove', { id: '' }],
    ['attachments.preview', { id: '../x' }],
    ['compose.check', { accountId: 'a', to: '', subject: 's', body: 'b' }],
    ['compose.preview', { accountId: 'a', to: 'x@example.test', subject: 's', body: 'b', html: 5 }],
    ['compose.dryRun', { accountId: 'a', to: 'x@example.test', subject: 's', body: 'b', dsn: { success: 'yes' } }],
    ['compose.recipients', { prefix: 'x'.repeat(321) }],
    ['settings.get', { extra: 1 }],
    ['settings.save', { retryHours: 0.5 }],
    ['settings.save', { maxConnections: '4' }],
    ['settings.save', { unknown: 1 }],
  ];

  it.each(malformed)('%s rejects malformed case #%# with BAD_INPUT and writes nothing', async (channel, input) => {
    const result = await core.dispatch(channel, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BAD_INPUT');
      expect(result.error.message.length).toBeGreaterThan(5);
    }
    expect(storedCounts()).toEqual(nothingStored);
  });

  it('rejects an unknown channel', async () => {
    const result = await core.dispatch('accounts.exportPasswords', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('names the field at fault so the form can show it next to the input', async () => {
    const result = await core.dispatch('accounts.save', { ...validAccount, port: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.details?.['field:port']).toMatch(/1 to 65535/);
  });

  it('rejects recipients that are not addresses, naming them, and stores nothing', async () => {
    const account = await core.dispatch('accounts.save', validAccount);
    expect(account.ok).toBe(true);
    if (!account.ok) return;
    const result = await core.dispatch('outbox.enqueue', {
      accountId: account.value.id,
      to: 'bob@example.test, not an address',
      subject: 's',
      body: 'b',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (!result.ok) expect(result.error.message).toContain('not an address');
    expect(storedCounts()).toMatchObject({ outbox: 0, spool: 0 });
  });

  it('never returns the password: only whether one is stored and which keychain holds it', async () => {
    const saved = await core.dispatch('accounts.save', validAccount);
    const listed = await core.dispatch('accounts.list', {});
    expect(JSON.stringify([saved, listed])).not.toContain(validAccount.password);
    expect(listed.ok && listed.value[0]).toMatchObject({ hasPassword: true, secretBackend: secrets.backend });
    expect(secrets.entries.size).toBe(1);
  });

  it('covers every channel of the contract in this suite', () => {
    const tested = new Set(malformed.map(([channel]) => channel));
    for (const channel of channels) expect(tested.has(channel), channel).toBe(true);
  });
});
