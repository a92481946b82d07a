import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

/** What the server says to VRFY, per address (the fault server answers like Postfix otherwise: 252). */
const ANSWERS: Record<string, string> = {
  'known@vrfy.test': '250 2.1.5 Known User <known@vrfy.test>',
  'moved@vrfy.test': '251 2.1.5 User not local; will forward to <moved@elsewhere.test>',
  'gone@vrfy.test': '550 5.1.1 <gone@vrfy.test>: Recipient address rejected: User unknown',
  'off@vrfy.test': '502 5.5.1 VRFY command is disabled',
};

/**
 * VRFY (issue 21, point 2): only when the person asks, in the connection test and the dry run;
 * each answer (250/251 known, 252 will not say, 502 turned off, 550 unknown) explained.
 */
describe('VRFY, where the person asks for it', () => {
  const data = tempDataDir('vrfy');
  let server: FaultServer;
  let core: Core;
  let accountId = '';

  beforeAll(async () => {
    server = await startFaultServer((phase, context) => {
      if (phase === 'vrfy' && ANSWERS[context.arg]) return { reply: ANSWERS[context.arg] ?? '' };
      // One list the server will expand; every other EXPN gets the standard 502.
      if (phase === 'expn' && context.arg === 'staff')
        return { reply: '250-Ada Keys <ada@vrfy.test>\r\n250-Bo <bo@vrfy.test>\r\n250 Cy <cy@vrfy.test>' };
      if (phase === 'expn' && context.arg === 'gone') return { reply: '550 5.1.1 No such list' };
      return undefined;
    });
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Ada',
        email: 'ada@sender.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    ).id;
  });

  afterAll(async () => {
    await core?.close();
    await server?.close();
    data.remove();
  });

  const settings = () => ({
    host: '127.0.0.1',
    port: server.port,
    security: 'none' as const,
    auth: 'none' as const,
    username: '',
  });
  const vrfyLines = () => server.commands.filter((c) => c.line.startsWith('VRFY')).map((c) => c.line);

  it('is never sent unless asked (nor EXPN)', async () => {
    unwrap(await core.dispatch('accounts.test', settings()));
    unwrap(await core.dispatch('compose.dryRun', { accountId, to: 'known@vrfy.test', subject: 'S', body: 'B' }));
    expect(vrfyLines()).toEqual([]);
    expect(server.commands.some((c) => c.line.startsWith('EXPN'))).toBe(false);
  });

  it('the connection test checks one address and explains 250, 251, 252, 502 and 550', async () => {
    const kinds: Record<string, string> = {};
    for (const address of ['known@vrfy.test', 'moved@vrfy.test', 'who@vrfy.test', 'off@vrfy.test', 'gone@vrfy.test']) {
      const test = unwrap(await core.dispatch('accounts.test', { ...settings(), vrfyAddress: address }));
      expect(test.ok).toBe(true);
      kinds[address] = `${test.vrfy?.kind}: ${test.vrfy?.title}`;
      expect(test.lines.map((l) => l.text)).toContain(`VRFY ${address}`);
    }
    expect(kinds).toEqual({
      'known@vrfy.test': 'known: Known address',
      'moved@vrfy.test': 'known: Known, forwarded elsewhere',
      'who@vrfy.test': 'silent: The server will not say',
      'off@vrfy.test': 'refused: VRFY is turned off here',
      'gone@vrfy.test': 'unknown: No such address',
    });
    const bad = await core.dispatch('accounts.test', { ...settings(), vrfyAddress: 'x@y.test\r\nRSET' });
    expect(bad.ok).toBe(false); // an address that is not one never reaches the wire
  });

  it('EXPN, when asked: the members of a list, a list that does not exist, and the usual refusal', async () => {
    const staff = unwrap(await core.dispatch('accounts.test', { ...settings(), expnList: 'staff' }));
    expect(staff.expn).toMatchObject({ kind: 'known', title: 'The list has 3 members' });
    expect(staff.expn?.members).toEqual(['Ada Keys <ada@vrfy.test>', 'Bo <bo@vrfy.test>', 'Cy <cy@vrfy.test>']);
    const gone = unwrap(await core.dispatch('accounts.test', { ...settings(), expnList: 'gone' }));
    expect(gone.expn).toMatchObject({ kind: 'unknown', title: 'No such list' });
    const off = unwrap(await core.dispatch('accounts.test', { ...settings(), expnList: 'all' }));
    expect(off.expn).toMatchObject({ kind: 'refused', title: 'EXPN is turned off here' });
    expect(server.commands.filter((c) => c.line.startsWith('EXPN')).map((c) => c.line)).toEqual([
      'EXPN staff',
      'EXPN gone',
      'EXPN all',
    ]);
    const bad = await core.dispatch('accounts.test', { ...settings(), expnList: 'two words' });
    expect(bad.ok).toBe(false); // never reaches the wire
  });

  it('the dry run asks about every recipient when asked, after RCPT, and sends nothing', async () => {
    const before = server.accepted.length;
    const dry = unwrap(
      await core.dispatch('compose.dryRun', {
        accountId,
        to: 'known@vrfy.test, gone@vrfy.test',
        cc: 'who@vrfy.test',
        subject: 'S',
        body: 'B',
        vrfy: true,
      }),
    );
    expect(dry.vrfy.map((v) => [v.address, v.kind])).toEqual([
      ['known@vrfy.test', 'known'],
      ['gone@vrfy.test', 'unknown'],
      ['who@vrfy.test', 'silent'],
    ]);
    expect(dry.vrfy[1]?.meaning).toMatch(/does not know this address/);
    expect(server.accepted.length).toBe(before);
  });
});
