import { createServer, type Server } from 'node:https';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailDomainResolver } from '../../src-main/core/compose/mail-domain.ts';
import type { Core } from '../../src-main/core/create-core.ts';
import { mtaStsPolicy, mxAllowed, parsePolicy } from '../../src-main/core/direct/mta-sts.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { makeSelfSignedCertificate } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { saveSenderAccount } from '../support/sender-account.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const POLICIES: Record<string, string> = {
  'mta-sts.good.test': 'version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 86400\n',
  'mta-sts.bad.test': 'version: STSv1\nmode: enforce\nmx: mx.bad.test\nmax_age: 86400\n',
  'mta-sts.testing.test': 'version: STSv1\nmode: testing\nmx: mx.testing.test\nmax_age: 86400\n',
  'mta-sts.other.test': 'version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n',
};

/**
 * MTA-STS (RFC 8461) for direct delivery: the `_mta-sts` TXT record in a DNS server on
 * 127.0.0.1, the policy from an HTTPS server with a test certificate for each mta-sts.<domain>,
 * and one SMTP server whose certificate names mx.good.test only. "enforce" delivers only with a
 * verified certificate for an MX the policy names; "testing" delivers and says so.
 */
describe('MTA-STS for direct delivery', () => {
  const data = tempDataDir('mta-sts');
  const policyCert = makeSelfSignedCertificate(
    Object.keys(POLICIES)
      .map((name) => `DNS:${name}`)
      .join(','),
  );
  const smtpCert = makeSelfSignedCertificate('DNS:mx.good.test');
  let https: Server;
  let smtp: SMTPServer;
  let dns: DnsServer;
  let core: Core;
  let accountId = '';
  const received: string[] = [];
  let policyFetches = 0;

  beforeAll(async () => {
    https = createServer({ key: policyCert.key, cert: policyCert.cert }, (req, res) => {
      policyFetches++;
      const policy = POLICIES[(req.headers.host ?? '').toLowerCase()];
      if (req.url !== '/.well-known/mta-sts.txt' || !policy) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(policy);
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    smtp = new SMTPServer({
      key: smtpCert.key,
      cert: smtpCert.cert,
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          received.push(session.envelope.rcptTo.map((r) => r.address).join(','));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const domains = ['good', 'bad', 'testing', 'other'];
    dns = await startDnsServer(
      {},
      {
        mx: Object.fromEntries(domains.map((d) => [`${d}.test`, [{ exchange: `mx.${d}.test`, preference: 10 }]])),
        a: Object.fromEntries(
          domains.flatMap((d) => [
            [`mx.${d}.test`, ['127.0.0.1']],
            [`mta-sts.${d}.test`, ['127.0.0.1']],
          ]),
        ),
        txt: Object.fromEntries(domains.map((d) => [`_mta-sts.${d}.test`, ['v=STSv1; id=20261129;']])),
      },
    );
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
      directDeliveryPort: (smtp.server.address() as { port: number }).port,
      mtaStsPort: (https.address() as { port: number }).port,
      trustedCertificates: [policyCert.cert, smtpCert.cert],
      retryDelaysMs: [60_000],
    });
    accountId = await saveSenderAccount(core);
  });

  afterAll(async () => {
    await core?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => https.close(() => resolve()));
    await dns?.close();
    data.remove();
  });

  async function sendTo(to: string) {
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to,
        subject: 'STS',
        body: 'B.',
        undoSeconds: 0,
        route: 'direct',
      }),
    );
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred'], 15_000);
    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    const attempt = detail.attempts[0];
    const lines = attempt ? unwrap(await core.dispatch('attempts.transcript', { attemptId: attempt.id })) : [];
    return { item, lines: lines.map((l) => `${l.dir} ${l.text}`) };
  }

  it('reads policies and matches MX names as RFC 8461 says', () => {
    const policy = parsePolicy(
      'version: STSv1\r\nmode: enforce\r\nmx: mail.example.org\r\nmx: *.example.net\r\nmax_age: 604800',
      'x',
    );
    expect(policy).toEqual({ id: 'x', mode: 'enforce', mx: ['mail.example.org', '*.example.net'], maxAgeS: 604800 });
    expect(mxAllowed(policy!, 'MAIL.example.org.')).toBe(true);
    expect(mxAllowed(policy!, 'mx1.example.net')).toBe(true);
    expect(mxAllowed(policy!, 'a.b.example.net')).toBe(false);
    expect(mxAllowed(policy!, 'example.net')).toBe(false);
    expect(parsePolicy('version: STSv2\nmode: enforce\nmax_age: 1', 'x')).toBeNull();
  });

  it('enforce, and the MX shows a verified certificate for its name: delivered, the policy in the transcript', async () => {
    const { item, lines } = await sendTo('gail@good.test');
    expect(item.state).toBe('sent');
    expect(lines).toContain(
      'info MTA-STS good.test (id 20261129, fetched): mode enforce; mx mx.good.test; max_age 86400 s',
    );
    expect(received).toContain('gail@good.test');
  });

  it('enforce, and the certificate does not name the MX: not delivered, with the reason; it waits', async () => {
    const before = received.length;
    const { item, lines } = await sendTo('bob@bad.test');
    expect(item.state).toBe('deferred');
    expect(item.lastError?.message).toMatch(
      /bad\.test requires verified encryption \(MTA-STS enforce\).*nothing was delivered/,
    );
    expect(received.length).toBe(before);
    expect(lines.some((l) => /^C STARTTLS/.test(l))).toBe(true);
    expect(lines.some((l) => /^C (MAIL|RCPT|DATA)/.test(l))).toBe(false);
    unwrap(await core.dispatch('outbox.cancel', { id: item.id }));
  });

  it('enforce, and the policy names none of the MX hosts: nothing is tried', async () => {
    const { item, lines } = await sendTo('olga@other.test');
    expect(item.state).toBe('deferred');
    expect(lines).toContain("info Skipping MX mx.other.test: the domain's MTA-STS policy does not name it");
    expect(lines.some((l) => l.startsWith('info Trying MX'))).toBe(false);
    unwrap(await core.dispatch('outbox.cancel', { id: item.id }));
  });

  it('testing: delivered over opportunistic TLS even so, the policy noted', async () => {
    const { item, lines } = await sendTo('tess@testing.test');
    expect(item.state).toBe('sent');
    expect(lines.some((l) => l.includes('MTA-STS testing.test') && l.includes('mode testing'))).toBe(true);
  });

  it('a policy server that drips its answer is given up when the whole fetch overruns its deadline', async () => {
    const drip = createServer({ key: policyCert.key, cert: policyCert.cert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const timer = setInterval(() => res.write('v'), 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    try {
      // A policy server that never finishes: only the fetch's own deadline can end this call.
      const lookup = await mtaStsPolicy('good.test', {
        resolver: createMailDomainResolver([dns.address]),
        port: (drip.address() as { port: number }).port,
        trustedCertificates: [policyCert.cert],
        now: Date.now,
        cache: new Map(),
        timeoutMs: 800,
      });
      expect(lookup.policy).toBeNull();
      expect(lookup.lines[0]).toMatch(/could not be fetched \(the policy server did not answer in time\)/);
    } finally {
      drip.closeAllConnections();
      await new Promise<void>((resolve) => drip.close(() => resolve()));
    }
  });

  it('a policy is kept for its max_age: the next message to the domain does not fetch it again', async () => {
    const before = policyFetches;
    const { item, lines } = await sendTo('gus@good.test');
    expect(item.state).toBe('sent');
    expect(policyFetches).toBe(before);
    expect(lines).toContain(
      'info MTA-STS good.test (id 20261129, cached): mode enforce; mx mx.good.test; max_age 86400 s',
    );
  });
});
