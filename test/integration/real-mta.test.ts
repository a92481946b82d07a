import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { addFile } from '../support/add-files.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { eximSkipReason, startExim, type Exim } from '../support/exim.ts';
import { secret } from '../support/secret-watch.ts';
import { saveSenderAccount } from '../support/sender-account.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitFor, waitForState } from '../support/wait-for.ts';

const USER = 'ann@posthorn.test';
const PASSWORD = secret('Exim-submission-9', USER);
const skip = eximSkipReason();
if (skip) console.log(`Skipping the real-MTA tests: ${skip}.`);

/**
 * Posthorn against a real MTA (Debian's Exim on 127.0.0.1, issue 17): submission with STARTTLS
 * and AUTH, a refused recipient, an attachment byte for byte in the delivered mailbox, the MTA
 * stopped and started with the message delivered exactly once, and the transcript read against
 * what Exim itself logged.
 */
describe.skipIf(skip !== null)('a real MTA (Exim)', () => {
  const data = tempDataDir('exim');
  const certificate = selfSignedCertificate();
  let exim: Exim;
  let core: Core;
  let accountId: string;

  beforeAll(async () => {
    exim = await startExim({ certificate, user: USER, password: PASSWORD, refuse: ['nobody'] });
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      trustedCertificates: [certificate.cert],
      retryDelaysMs: [60_000],
    });
    accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Exim',
        email: USER,
        host: '127.0.0.1',
        port: exim.port,
        security: 'starttls',
        auth: 'auto',
        username: USER,
        password: PASSWORD,
      }),
    ).id;
  }, 30_000);

  afterAll(async () => {
    await core?.close();
    await exim?.close();
    data.remove();
  });

  const deliveredWith = (subject: string) =>
    exim.delivered().filter((raw) => raw.toString('latin1').includes(`Subject: ${subject}`));

  it('STARTTLS and AUTH, one refused recipient, an attachment byte for byte; the transcript agrees with what Exim logged', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const file = await addFile(core, { name: 'measurements.bin', type: 'application/octet-stream', bytes });
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'bob@posthorn.test, nobody@posthorn.test',
        subject: 'Through Exim',
        body: 'The measurements are attached.',
        attachments: [{ id: file.id, inline: false }],
        undoSeconds: 0,
      }),
    );
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'], 20_000);
    expect(item.state).toBe('sent');
    expect(item.rejected).toEqual([{ address: 'nobody@posthorn.test', reply: '550 5.1.1 No such user here' }]);
    await waitFor(() => deliveredWith('Through Exim').length === 1);
    const mail = await simpleParser(deliveredWith('Through Exim')[0]!);
    expect(mail.headers.get('envelope-to')).toBe('bob@posthorn.test');
    expect(mail.messageId).toBe(item.messageId);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.filename).toBe('measurements.bin');
    expect(mail.attachments[0]?.content.equals(bytes)).toBe(true);

    // Phase by phase, against Exim's own log of the same session.
    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    const attempt = detail.attempts[0]!;
    const lines = unwrap(await core.dispatch('attempts.transcript', { attemptId: attempt.id }));
    const text = lines.map((l) => `${l.dir} ${l.text}`).join('\n');
    const log = exim.mainlog();
    const received = log.find((l) => l.includes(' <= ') && l.includes(item.messageId.replace(/[<>]/g, '')));
    expect(received, log.join('\n')).toBeDefined();
    // Encryption: STARTTLS in the transcript, TLS 1.3 in both.
    expect(text).toMatch(/C STARTTLS\nS 220 TLS go ahead/);
    expect(received).toMatch(/ P=esmtpsa X=TLS1\.3:/);
    expect(lines.some((l) => l.dir === 'tls' && /TLS ?1\.3/i.test(l.text))).toBe(true);
    // Login: the mechanism in the transcript (credentials redacted), the user in Exim's log.
    expect(text).toMatch(/C AUTH PLAIN ‹credentials redacted›/);
    expect(received).toContain(` A=plain:${USER} `);
    // The refused recipient, as both saw it.
    expect(text).toContain('C RCPT TO:<nobody@posthorn.test>');
    expect(text).toContain('S 550 5.1.1 No such user here');
    expect(log.some((l) => /rejected RCPT <nobody@posthorn\.test>: 5\.1\.1 No such user here/.test(l))).toBe(true);
    // The queue id the final reply named is the one Exim logged the message under.
    const queueId = /^\S+ \S+ (\S+) <= /.exec(received!)?.[1];
    expect(attempt.facts?.queueId).toBe(queueId);
    expect(text).toContain(`S 250 OK id=${queueId}`);
    expect(received).toMatch(/ for bob@posthorn\.test$/);
  });

  it('the MTA stopped, then started again: the message waits, then arrives exactly once', async () => {
    await exim.stop();
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'bob@posthorn.test',
        subject: 'After the restart',
        body: 'Sent while the MTA was down.',
        undoSeconds: 0,
      }),
    );
    const waiting = await waitForState(core, queued.id, ['deferred', 'failed', 'sent'], 20_000);
    expect(waiting.state).toBe('deferred');
    expect(waiting.lastError?.message).toMatch(/ECONNREFUSED|refused/i);
    await exim.start();
    unwrap(await core.dispatch('outbox.retryNow', { id: queued.id }));
    expect((await waitForState(core, queued.id, ['sent'], 20_000)).state).toBe('sent');
    await waitFor(() => deliveredWith('After the restart').length === 1);
    // A moment more: nothing else arrives.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deliveredWith('After the restart')).toHaveLength(1);
  });
});

/**
 * Direct delivery (issue 21) to a real MTA standing in as the recipient domain's MX: the MX
 * found in a DNS server on 127.0.0.1, Exim taking mail without a login as an MX does, the message
 * in its mailbox once, and a refused recipient refused for good while the other is delivered.
 */
describe.skipIf(skip !== null)('direct delivery to a real MTA as the MX', () => {
  const data = tempDataDir('exim-mx');
  const certificate = selfSignedCertificate();
  let exim: Exim;
  let dns: DnsServer;
  let core: Core;
  let accountId: string;

  beforeAll(async () => {
    exim = await startExim({ certificate, user: USER, password: PASSWORD, refuse: ['nobody'], asMx: true });
    dns = await startDnsServer(
      {},
      {
        mx: { 'posthorn.test': [{ exchange: 'mta.posthorn.test', preference: 10 }] },
        a: { 'mta.posthorn.test': ['127.0.0.1'] },
      },
    );
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
      directDeliveryPort: exim.port,
      retryDelaysMs: [60_000],
    });
    accountId = await saveSenderAccount(core, 'Sender');
  }, 30_000);

  afterAll(async () => {
    await core?.close();
    await exim?.close();
    await dns?.close();
    data.remove();
  });

  it('found by its MX record, opportunistic STARTTLS, one copy delivered, the unknown recipient refused', async () => {
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'bob@posthorn.test, nobody@posthorn.test',
        subject: 'Direct to Exim',
        body: 'Straight to the MX.',
        undoSeconds: 0,
        route: 'direct',
      }),
    );
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'], 20_000);
    expect(item.state).toBe('sent');
    expect(item.rejected).toEqual([{ address: 'nobody@posthorn.test', reply: '550 5.1.1 No such user here' }]);
    await waitFor(() => exim.delivered().some((raw) => raw.toString('latin1').includes('Subject: Direct to Exim')));
    expect(exim.delivered().filter((raw) => raw.toString('latin1').includes('Subject: Direct to Exim'))).toHaveLength(
      1,
    );
    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    const lines = unwrap(await core.dispatch('attempts.transcript', { attemptId: detail.attempts[0]?.id ?? '' })).map(
      (l) => l.text,
    );
    expect(lines).toContain('DNS MX posthorn.test: 10 mta.posthorn.test');
    expect(lines).toContain(`Trying MX mta.posthorn.test (preference 10): 127.0.0.1 port ${exim.port}`);
    expect(lines).toContain('STARTTLS');
    expect(lines.some((l) => /^220 mta\.posthorn\.test ESMTP Exim/.test(l))).toBe(true);
  });
});
