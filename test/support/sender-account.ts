import type { Core } from '../../src-main/core/create-core.ts';
import type { Timeouts } from '../../src-main/shared/schemas/accounts.ts';
import { unwrap } from './wait-for.ts';

/**
 * An account that only gives the From address (ada@sender.test) for direct delivery, which does
 * not use the account's server: it points at a port nothing listens on, with no login.
 */
export async function saveSenderAccount(core: Core, name = 'Ada', timeouts?: Timeouts): Promise<string> {
  const saved = await core.dispatch('accounts.save', {
    name,
    email: 'ada@sender.test',
    host: '127.0.0.1',
    port: 9,
    security: 'none',
    auth: 'none',
    username: '',
    ...(timeouts ? { timeouts } : {}),
  });
  return unwrap(saved).id;
}
