import { createServer, type Server } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { localAddresses } from '../../src-main/core/direct/spf-check.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { saveSenderAccount } from '../support/sender-account.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

type Received = { rcptTo: string[]; raw: string; via: string };

const notThisComputer =
  ['203.0.113.77', '198.51.100.77'].find((ip) => !localAddresses().includes(ip)) ?? '203.0.113.78';

/**
 * Direct delivery (issue 21): the recipients' domains' MX found in a DNS server on 127.0.0.1,
 * tried by preference, with the domain itself when it has no MX, a null MX refused at once, and
 * one leg per domain with its own transcript and retries. The "mail servers" are smtp-servers on
 * 127.0.0.1 and ::1 at one port (the direct-delivery port is a setting, so nothing binds 25).
 */
describe('direct delivery to the recipients’ mail servers', () => {
  const data = tempDataDir('direct');
  const certificate = selfSignedCertificate();
  const received: Received[] = [];
  let port = 0;
  let dns: DnsServer;
  let v4: SMTPServer;
  let v6: Server | null = null;
  let core: Core;
  let accountId = '';
  // c.test defers its recipients once, then takes them.
  let deferC = true;

  beforeAll(async () => {
    v4 = new SMTPServer({
      key: certificate.key,
      cert: certificate.cert,
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@c.test') && deferC)
          return callback(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }));
        return callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString(),
            via: session.localAddress,
          });
          callback(null, `2.0.0 Ok: queued as D${received.length}`);
        });
      },
    });
    await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
    port = (v4.server.address() as { port: number }).port;
    dns = await startDnsServer(
      {},
      {
        mx: {
          // The first MX refuses (nothing listens on ::1 yet), the second takes the mail.
          'a.test': [
            { exchange: 'mx2.a.test', preference: 20 },
            { exchange: 'mx1.a.test', preference: 10 },
          ],
          'c.test': [{ exchange: 'mx.c.test', preference: 10 }],
          'null.test': [{ exchange: '', preference: 0 }],
          'blocked.test': [{ exchange: 'mx.blocked.test', preference: 10 }],
          'slow.test': [
            { exchange: 'slow.slow.test', preference: 5 },
            { exchange: 'mx.slow.test', preference: 50 },
          ],
          'xn--bcher-kva.test': [{ exchange: 'mx.xn--bcher-kva.test', preference: 10 }],
        },
        a: {
          'mx2.a.test': ['127.0.0.1'],
          'b.test': ['127.0.0.1'],
          'mx.c.test': ['127.0.0.1'],
          'mx.slow.test': ['127.0.0.1'],
          'mx.xn--bcher-kva.test': ['127.0.0.1'],
        },
        aaaa: { 'mx1.a.test': ['::1'], 'mx.blocked.test': ['::1'], 'slow.slow.test': ['::1'] },
        // The sender's domain allows only one address, which is not this computer's.
        txt: { 'sender.test': [`v=spf1 ip4:${notThisComputer} -all`] },
      },
    );
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
      directDeliveryPort: port,
      retryDelaysMs: [300],
      trustedCertificates: [],
    });
    // The account gives the From address; its own server is not used by direct delivery.
    accountId = await saveSenderAccount(core, 'Ada', { connectMs: 2000, greetingMs: 1500, socketMs: 5000 });
  });

  afterAll(async () => {
    await core?.close();
    await new Promise<void>((resolve) => v4.close(() => resolve()));
    await new Promise<void>((resolve) => (v6 ? v6.close(() => resolve()) : resolve()));
    await dns?.close();
    data.remove();
  });

  async function sendDirect(to: string, subject: string) {
    const first = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to,
        subject,
        body: 'Hello.',
        undoSeconds: 0,
        route: 'direct',
      }),
    );
    return first;
  }

  async function legsOf(firstId: string) {
    const all = unwrap(await core.dispatch('outbox.list', {}));
    return all.filter((item) => item.legOf === firstId);
  }

  async function transcript(id: string): Promise<string[]> {
    const detail = unwrap(await core.dispatch('outbox.get', { id }));
    const last = detail.attempts[0]; // the latest first
    if (!last) return [];
    return unwrap(await core.dispatch('attempts.transcript', { attemptId: last.id })).map((l) => `${l.dir} ${l.text}`);
  }

  it('tries the MX hosts by preference: the first refuses, the second takes it; the transcript shows the DNS answers', async () => {
    const before = received.length;
    const sent = await sendDirect('ann@a.test', 'Preference');
    expect((await waitForState(core, sent.id, ['sent', 'failed', 'deferred'], 15_000)).state).toBe('sent');
    expect(received.length - before).toBe(1);
    expect(received.at(-1)?.rcptTo).toEqual(['ann@a.test']);
    const lines = await transcript(sent.id);
    expect(lines).toContain('info DNS MX a.test: 10 mx1.a.test, 20 mx2.a.test');
    const first = lines.findIndex((l) => l.startsWith('info Trying MX mx1.a.test (preference 10): ::1'));
    const second = lines.findIndex((l) => l.startsWith('info Trying MX mx2.a.test (preference 20): 127.0.0.1'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(lines.slice(second).some((l) => /^S 250 2\.0\.0 Ok: queued as D\d+/.test(l))).toBe(true);
  });

  it('a domain with no MX gets its mail at its own address; a null MX fails at once with the reason', async () => {
    const bare = await sendDirect('bob@b.test', 'No MX');
    expect((await waitForState(core, bare.id, ['sent', 'failed', 'deferred'], 15_000)).state).toBe('sent');
    expect(await transcript(bare.id)).toContain(
      'info Trying b.test (no MX: the domain itself): 127.0.0.1 port ' + port,
    );
    const refused = await sendDirect('nobody@null.test', 'Null MX');
    const failed = await waitForState(core, refused.id, ['sent', 'failed', 'deferred'], 15_000);
    expect(failed.state).toBe('failed');
    expect(failed.lastError?.message).toMatch(/null\.test takes no mail: it publishes a null MX \(RFC 7505\)/);
  });

  it('three domains in one message are three legs; one defers and is retried alone; nobody gets it twice', async () => {
    const before = received.length;
    const first = await sendDirect('ann@a.test, bob@b.test, cy@c.test, cat@c.test', 'Three legs');
    const legs = await legsOf(first.id);
    expect(legs.map((l) => l.legDomain).sort()).toEqual(['a.test', 'b.test', 'c.test']);
    expect(new Set(legs.map((l) => l.messageId)).size).toBe(1); // one message, one Message-ID
    const cLeg = legs.find((l) => l.legDomain === 'c.test');
    expect(cLeg?.to).toEqual(['cy@c.test', 'cat@c.test']);
    for (const leg of legs.filter((l) => l.legDomain !== 'c.test'))
      expect((await waitForState(core, leg.id, ['sent', 'failed'], 15_000)).state).toBe('sent');
    const deferred = await waitForState(core, cLeg?.id ?? '', ['deferred', 'sent', 'failed'], 15_000);
    expect(deferred.state).toBe('deferred');
    deferC = false;
    expect((await waitForState(core, cLeg?.id ?? '', ['sent', 'failed'], 15_000)).state).toBe('sent');
    const got = received.slice(before);
    expect(got.map((r) => r.rcptTo.join(',')).sort()).toEqual(['ann@a.test', 'bob@b.test', 'cy@c.test,cat@c.test']);
    // Every leg carries the whole message: all recipients in its headers, one Message-ID.
    for (const message of got) expect(message.raw).toMatch(/^To: ann@a\.test, bob@b\.test, cy@c\.test, cat@c\.test/m);
    const cDetail = unwrap(await core.dispatch('outbox.get', { id: cLeg?.id ?? '' }));
    // Each leg's detail names every leg of the message, with its state.
    expect(cDetail.legs.map((l) => [l.legDomain, l.state])).toEqual([
      ['a.test', 'sent'],
      ['b.test', 'sent'],
      ['c.test', 'sent'],
    ]);
    expect(cDetail.attempts.map((a) => a.outcome)).toEqual(['sent', 'deferred']); // the latest first
  });

  it('an international domain is looked up in its A-label form', async () => {
    const sent = await sendDirect('ida@bücher.test', 'IDN');
    expect((await waitForState(core, sent.id, ['sent', 'failed', 'deferred'], 15_000)).state).toBe('sent');
    expect(sent.legDomain).toBe('xn--bcher-kva.test');
    expect(await transcript(sent.id)).toContain('info DNS MX xn--bcher-kva.test: 10 mx.xn--bcher-kva.test');
  });

  it('before a direct send: the SPF of the sender domain is checked, the account server’s checks are not', async () => {
    const message = { accountId, to: 'ann@a.test', subject: 'Check', body: 'B.' };
    const direct = unwrap(await core.dispatch('compose.check', { ...message, route: 'direct' })).map((w) => w.code);
    expect(direct).toContain('SPF_REFUSES');
    expect(direct).not.toContain('NO_EHLO_YET');
    const relayed = unwrap(await core.dispatch('compose.check', message)).map((w) => w.code);
    expect(relayed).toContain('NO_EHLO_YET');
    expect(relayed).not.toContain('SPF_REFUSES');
  });

  it('every mail server unreachable: it waits, and says port 25 looks blocked, with the way out', async () => {
    const sent = await sendDirect('dee@blocked.test', 'Blocked');
    const waiting = await waitForState(core, sent.id, ['deferred', 'failed', 'sent'], 15_000);
    expect(waiting.state).toBe('deferred');
    expect(waiting.lastError?.message).toMatch(/None of blocked\.test's mail servers took the message on port \d+/);
    expect(waiting.lastError?.hint).toMatch(/looks blocked on this network.*Send through an account instead/);
    unwrap(await core.dispatch('outbox.cancel', { id: sent.id }));
  });

  it('Undo takes back every leg of the message, from any of them, and gives back the whole draft', async () => {
    const before = received.length;
    const first = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'ann@a.test, bob@b.test, cy@c.test',
        subject: 'Undone',
        body: 'Never mind.',
        undoSeconds: 2,
        route: 'direct',
      }),
    );
    const legs = await legsOf(first.id);
    expect(legs).toHaveLength(3);
    const draft = unwrap(await core.dispatch('outbox.undo', { id: legs[1]?.id ?? '' }));
    expect(draft).toMatchObject({ to: 'ann@a.test, bob@b.test, cy@c.test', body: 'Never mind.', route: 'direct' });
    expect(await legsOf(first.id)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(received.length).toBe(before);
  });

  it('an MX that answers 421 and hangs up makes way for the next, which gets the message', async () => {
    // On ::1 at the same port: greets with 421 and closes, as a busy server does.
    const busy = createServer((socket) => socket.end('421 4.3.2 Service not available, try again later\r\n'));
    await new Promise<void>((resolve) => busy.listen(port, '::1', resolve));
    try {
      const sent = await sendDirect('ann@a.test', 'After a 421');
      const done = await waitForState(core, sent.id, ['sent', 'failed', 'deferred'], 15_000);
      expect(done.lastError ?? null).toBeNull();
      expect(done.state).toBe('sent');
      const lines = await transcript(sent.id);
      expect(lines.some((l) => l.startsWith('S 421 4.3.2'))).toBe(true);
      expect(lines.some((l) => /^S 250 2\.0\.0 Ok: queued as D\d+/.test(l))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('an MX that greets 554 (no service here) makes way for the next, as MTAs do', async () => {
    const refusing = createServer((socket) => socket.end('554 5.7.1 No SMTP service here\r\n'));
    await new Promise<void>((resolve) => refusing.listen(port, '::1', resolve));
    try {
      const sent = await sendDirect('ann@a.test', 'After a 554 greeting');
      const done = await waitForState(core, sent.id, ['sent', 'failed', 'deferred'], 15_000);
      expect(done.lastError ?? null).toBeNull();
      expect(done.state).toBe('sent');
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('a dry run of a message for direct delivery says it asks the account server, instead of asking it', async () => {
    const dry = await core.dispatch('compose.dryRun', {
      accountId,
      to: 'ann@a.test',
      subject: 'S',
      body: 'B',
      route: 'direct',
    });
    expect(dry).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    expect(dry.ok ? '' : dry.error.message).toMatch(/directly to each recipient's mail server/);
  });

  it('an MX that accepts the connection but never greets is given up after the greeting timeout, and the next one used', async () => {
    // On ::1 at the same port: accepts, then says nothing.
    v6 = createServer(() => {});
    await new Promise<void>((resolve) => v6?.listen(port, '::1', resolve));
    const sent = await sendDirect('sam@slow.test', 'Slow first MX');
    expect((await waitForState(core, sent.id, ['sent', 'failed', 'deferred'], 20_000)).state).toBe('sent');
    const lines = await transcript(sent.id);
    expect(lines.some((l) => l.startsWith('info Trying MX mx.slow.test (preference 50)'))).toBe(true);
  });
});
