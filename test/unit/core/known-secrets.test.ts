import { describe, expect, it } from 'vitest';
import {
  KnownSecrets,
  rememberingSecrets,
  rememberingTypedSecrets,
} from '../../../src-main/core/secrets/known-secrets.ts';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-store.ts';

describe('the secrets the app log is scrubbed of', () => {
  it('include every password saved to or read from the keychain', async () => {
    const known = new KnownSecrets();
    const store = rememberingSecrets(new MemorySecretStore(), known);
    await store.set('a1', 'Saved-Secret-1');
    expect(known.list()).toEqual(['Saved-Secret-1']);
  });

  it('include a password typed into a call that never saves it (a connection test), not short words', async () => {
    const known = new KnownSecrets();
    const handlers = rememberingTypedSecrets(
      { 'accounts.test': (input: { password?: string }) => input.password?.length ?? 0, 'app.info': () => 'x' },
      known,
    );
    expect(handlers['accounts.test']({ password: 'Typed-Not-Saved-2' })).toBe(17);
    handlers['accounts.test']({ password: 'ab' });
    handlers['app.info']();
    expect(known.list()).toEqual(['Typed-Not-Saved-2']);
  });
});
