import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-store.ts';
import { unsealSecret } from '../../src-main/core/secrets/sealed-secret.ts';
import { keychainAccountName } from '../../src-main/core/secrets/secret-store.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { filesUnder, findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

const base = { host: '127.0.0.1', port: 9, security: 'starttls', username: 'lee@example.test' } as const;

/** Accounts end to end through the contract, with passwords in a real gnome-keyring. */
describe('account lifecycle', () => {
  let keychain: KeychainSession;
  let core: Core;
  const data = tempDataDir('lifecycle');
  let service: string;

  beforeAll(async () => {
    keychain = await startKeychainSession();
    Object.assign(process.env, keychain.env);
    service = keychain.service('lifecycle');
    core = createTestCore({ dataDir: data.dir, secrets: new KeytarSecretStore({ service }), mode: 'test' });
  });

  afterAll(async () => {
    await core?.close();
    await keychain?.stop();
    data.remove();
  });

  /** The secret in the keychain, read from outside Posthorn (kept there with the server it belongs to). */
  const inKeychain = async (accountId: string) => {
    const stored = await keychain.lookupFromOutside(service, keychainAccountName(accountId));
    return stored === null ? null : unsealSecret(stored).secret;
  };

  const list = async () => unwrap(await core.dispatch('accounts.list', {}));

  it('the first account is the default (even with the box unticked); its password is in the keychain and nowhere else', async () => {
    const a = unwrap(
      await core.dispatch('accounts.save', {
        ...base,
        name: 'Lee',
        email: 'lee@example.test',
        password: secret('first-Secret-1'),
        // What the account form sends while its "Use this account by default" box is unticked.
        isDefault: false,
      }),
    );
    expect(a).toMatchObject({
      isDefault: true,
      hasPassword: true,
      auth: 'auto',
      secretBackend: expect.stringMatching(/Secret Service/),
    });
    expect(a.identities).toEqual([
      { id: expect.any(String), fromName: 'Lee', fromAddress: 'lee@example.test', replyTo: '', signature: '' },
    ]);
    expect(await inKeychain(a.id)).toBe('first-Secret-1');
    expect(findInFiles(data.dir, ['first-Secret-1'])).toEqual([]);
    expect(filesUnder(data.dir).length).toBeGreaterThan(0);
  });

  it('several accounts, one default; identities with reply-to and signature', async () => {
    const b = unwrap(
      await core.dispatch('accounts.save', {
        ...base,
        name: 'Side project',
        email: 'lee@side.test',
        auth: 'LOGIN',
        ehloName: 'laptop.side.test',
        timeouts: { connectMs: 5000, greetingMs: 6000, socketMs: 60_000 },
        isDefault: true,
        identities: [
          { fromName: 'Lee at Side', fromAddress: 'lee@side.test', replyTo: 'team@side.test', signature: '-- \nLee' },
          { fromName: 'Side Support', fromAddress: 'support@side.test' },
        ],
      }),
    );
    expect(b).toMatchObject({
      isDefault: true,
      hasPassword: false,
      auth: 'LOGIN',
      ehloName: 'laptop.side.test',
      timeouts: { connectMs: 5000, greetingMs: 6000, socketMs: 60_000 },
    });
    expect(b.identities.map((i) => [i.fromAddress, i.replyTo, i.signature])).toEqual([
      ['lee@side.test', 'team@side.test', '-- \nLee'],
      ['support@side.test', '', ''],
    ]);
    const accounts = await list();
    expect(accounts.filter((a) => a.isDefault).map((a) => a.name)).toEqual(['Side project']);
  });

  it('accounts.check says what Save would refuse, field by field, and saves nothing', async () => {
    const before = (await list()).length;
    const bad = await core.dispatch('accounts.check', { ...base, host: '', name: 'X', email: 'not an address' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('BAD_INPUT');
      expect(bad.error.details?.['field:host']).toBe('Enter the SMTP server, for example smtp.example.org.');
      expect(bad.error.details?.['field:email']).toMatch(/email address/);
    }
    expect(unwrap(await core.dispatch('accounts.check', { ...base, name: 'X', email: 'x@example.test' }))).toEqual({
      valid: true,
    });
    expect(await list()).toHaveLength(before);
  });

  it('editing without a password keeps the stored one', async () => {
    const [lee] = (await list()).filter((a) => a.name === 'Lee');
    const edited = unwrap(
      await core.dispatch('accounts.save', { ...base, id: lee?.id, name: 'Lee (work)', email: 'lee@example.test' }),
    );
    expect(edited).toMatchObject({ name: 'Lee (work)', hasPassword: true });
    expect(await inKeychain(edited.id)).toBe('first-Secret-1');
  });

  it('duplicate copies settings and password under a new id, never the default flag', async () => {
    const [lee] = (await list()).filter((a) => a.name === 'Lee (work)');
    const copy = unwrap(await core.dispatch('accounts.duplicate', { id: lee?.id ?? '' }));
    expect(copy).toMatchObject({ name: 'Lee (work) (copy)', isDefault: false, hasPassword: true, host: base.host });
    expect(copy.id).not.toBe(lee?.id);
    expect(copy.identities[0]?.id).not.toBe(lee?.identities[0]?.id);
    expect(await inKeychain(copy.id)).toBe('first-Secret-1');
  });

  it('deleting an account with queued mail asks first, then cancels (keeps) that mail', async () => {
    const acc = unwrap(
      await core.dispatch('accounts.save', {
        ...base,
        port: 1,
        name: 'Queued',
        email: 'q@example.test',
        password: secret('q-Secret-2'),
      }),
    );
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: acc.id,
        undoSeconds: 0,
        to: 'x@example.test',
        subject: 'waiting',
        body: 'b',
      }),
    );
    // Let the first (failing, port 1) attempt settle into "deferred": still waiting mail.
    for (let i = 0; i < 100; i++) {
      const s = unwrap(await core.dispatch('outbox.get', { id: queued.id })).item.state;
      if (s === 'deferred') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const refused = await core.dispatch('accounts.delete', { id: acc.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { waiting: 1 } } });
    expect((await list()).some((a) => a.id === acc.id)).toBe(true);
    expect(await inKeychain(acc.id)).toBe('q-Secret-2');

    const done = unwrap(await core.dispatch('accounts.delete', { id: acc.id, queuedMail: 'cancel' }));
    expect(done).toEqual({ deleted: true, cancelled: 1 });
    const item = unwrap(await core.dispatch('outbox.get', { id: queued.id })).item;
    expect(item.state).toBe('cancelled');
    expect(item.lastError?.message).toMatch(/account "Queued" was deleted/);
    expect(await inKeychain(acc.id)).toBeNull();
  });

  it('deleting the default hands the role to another account and removes the password', async () => {
    const [side] = (await list()).filter((a) => a.isDefault);
    unwrap(await core.dispatch('accounts.delete', { id: side?.id ?? '' }));
    const rest = await list();
    expect(rest.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('with no keychain reachable, saving fails with the fix and writes nothing at all', (context) => {
    if (!keychain.canBeUnreachable) return context.skip('the OS keychain cannot be made unreachable on this system');
    const dir = tempDataDir('nokeychain');
    secret('never-Written-3');
    try {
      const script = `
        const { createCore } = await import(${JSON.stringify(new URL('../../src-main/core/create-core.ts', import.meta.url).href)});
        const { KeytarSecretStore } = await import(${JSON.stringify(new URL('../../src-main/core/secrets/keytar-store.ts', import.meta.url).href)});
        const core = createCore({ dataDir: process.env.DIR, secrets: new KeytarSecretStore({ service: 'Posthorn-nobus' }), mode: 'test' });
        const saved = await core.dispatch('accounts.save', { host: 'smtp.example.test', port: 587, security: 'starttls', username: 'u', name: 'N', email: 'n@example.test', password: 'never-Written-3' });
        const listed = await core.dispatch('accounts.list', {});
        await core.close();
        console.log(JSON.stringify({ saved, count: listed.value.length }));`;
      const env = {
        ...process.env,
        DIR: dir.dir,
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/posthorn-no-bus',
        DISPLAY: '',
      };
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      const out = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
        saved: { ok: boolean; error?: { code: string; hint?: string } };
        count: number;
      };
      expect(out.saved.ok).toBe(false);
      expect(out.saved.error?.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(out.saved.error?.hint).toMatch(/never stores passwords in plain files/);
      expect(out.count).toBe(0);
      expect(findInFiles(dir.dir, ['never-Written-3'])).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
