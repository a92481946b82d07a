import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { addressProblem, isLocalDomain } from '../../src-main/shared/address-list.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

/**
 * Local and company servers use one-label domains and address literals (issue 17): they can be
 * used, with a word of warning.
 */
describe('local addresses', () => {
  const data = tempDataDir('local');
  let core: Core;
  let server: FaultServer;
  let dns: DnsServer;

  beforeAll(async () => {
    server = await startFaultServer();
    dns = await startDnsServer({});
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
    });
  });

  afterAll(async () => {
    await core?.close();
    await server?.close();
    await dns?.close();
    data.remove();
  });

  it.each(['bob@localhost', 'ops@intranet', 'dan@[127.0.0.1]', 'eve@[IPv6:2001:db8::1]'])(
    '%s is an address',
    (address) => {
      expect(addressProblem(address)).toBeNull();
      expect(isLocalDomain(address)).toBe(true);
    },
  );

  it.each([
    ['x@[not an ip]', /character addresses cannot have/],
    ['x@.intranet', /misplaced dot/],
  ])('%s is still refused', (address, problem) => {
    expect(addressProblem(address)).toMatch(problem);
  });

  it('an account at bob@localhost sends to ops@intranet and dan@[127.0.0.1], after a warning that only a nearby server delivers them', async () => {
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Local',
        email: 'bob@localhost',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    );
    const message = {
      accountId: account.id,
      to: 'ops@intranet, dan@[127.0.0.1]',
      cc: 'ann@example.test',
      subject: 'Local',
      body: 'b',
    };
    const warnings = unwrap(await core.dispatch('compose.check', message));
    const local = warnings.find((w) => w.code === 'LOCAL_ADDRESS');
    expect(local?.message).toBe(
      'ops@intranet, dan@[127.0.0.1] are local addresses: only a server on your own network can deliver them, public mail servers will not.',
    );
    // Local domains are not looked up; example.test (no MX, no A here) still is.
    expect(warnings.filter((w) => w.code === 'NO_MAIL_DOMAIN').map((w) => w.message)).toEqual([
      'No mail server exists for "example.test".',
    ]);
    const queued = unwrap(await core.dispatch('outbox.enqueue', { ...message, undoSeconds: 0 }));
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred'], 10_000)).state).toBe('sent');
    expect(server.accepted[0]?.mailFrom).toBe('bob@localhost');
    expect(server.accepted[0]?.rcptTo.sort()).toEqual(['ann@example.test', 'dan@[127.0.0.1]', 'ops@intranet']);
  });
});
