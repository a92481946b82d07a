import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-store.ts';
import type { TranscriptLine } from '../../src-main/shared/schemas/smtp.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const USER = 'alice@example.test';
const PASSWORD = secret('correct horse battery staple 7!', USER);
const BODY = 'Hello Bob,\nthe quarterly numbers are attached in spirit.\nAlice';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('sending through smtp-server with STARTTLS and AUTH PLAIN', () => {
  let keychain: KeychainSession;
  let sink: SmtpSink;
  let core: Core;
  const data = tempDataDir('send');
  let service: string;

  beforeAll(async () => {
    keychain = await startKeychainSession();
    Object.assign(process.env, keychain.env);
    service = keychain.service('send');
    const certificate = selfSignedCertificate();
    sink = await startSmtpSink({ certificate, users: { [USER]: PASSWORD } });
    core = createTestCore({
      dataDir: data.dir,
      secrets: new KeytarSecretStore({ service }),
      mode: 'test',
      trustedCertificates: [certificate.cert],
    });
  });

  afterAll(async () => {
    await core?.close();
    await sink?.close();
    await keychain?.stop();
    data.remove();
  });

  async function addAccount(password: string) {
    return unwrap(
      await core.dispatch('accounts.save', {
        name: 'Work',
        email: USER,
        host: '127.0.0.1',
        port: sink.port,
        security: 'starttls',
        username: USER,
        password,
      }),
    );
  }

  it('delivers the exact envelope, headers and body, and records a redacted transcript', async () => {
    const account = await addAccount(PASSWORD);
    expect(account.hasPassword).toBe(true);
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        undoSeconds: 0,
        to: 'Bob Example <bob@example.test>, carol@example.test',
        subject: 'Quarterly numbers',
        body: BODY,
      }),
    );
    expect(queued.state).toBe('queued');

    const sent = await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain']);
    expect(sent.state, JSON.stringify(sent.lastError)).toBe('sent');
    expect(sent.lastReply).toMatch(/^250 .*queued as SINK1/);

    const [received] = await sink.waitForMessages(1);
    expect(received?.mailFrom).toBe(USER);
    expect(received?.rcptTo).toEqual(['bob@example.test', 'carol@example.test']);
    expect(received?.user).toBe(USER);
    expect(sink.logins).toEqual([{ method: 'PLAIN', username: USER, ok: true }]);

    const parsed = await simpleParser(received?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('Quarterly numbers');
    expect(parsed.from?.value).toEqual([{ address: USER, name: 'Work' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([
      'bob@example.test',
      'carol@example.test',
    ]);
    expect(parsed.messageId).toBe(sent.messageId);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.text?.trim()).toBe(BODY);

    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    expect(detail.attempts).toHaveLength(1);
    const attempt = detail.attempts[0];
    expect(attempt).toMatchObject({ outcome: 'sent', replyCode: 250, enhancedCode: '2.0.0', finalDotSent: true });
    // The connection's facts, as fields: where, how it was secured, what the server offered, the queue id.
    expect(attempt?.facts).toMatchObject({
      remoteAddress: '127.0.0.1',
      remotePort: sink.port,
      greeting: expect.stringMatching(/^220 .*Posthorn test sink/),
      capabilities: { pipelining: true, auth: ['PLAIN', 'LOGIN'] },
      tls: {
        protocol: expect.stringMatching(/^TLSv1\.[23]$/),
        subject: 'CN=localhost',
        issuer: 'CN=localhost',
        fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      },
      queueId: 'SINK1',
    });

    const lines: TranscriptLine[] = unwrap(
      await core.dispatch('attempts.transcript', { attemptId: attempt?.id ?? '' }),
    );
    const text = lines.map((l) => `${l.dir} ${l.text}`).join('\n');
    expect(text).toMatch(/^S 220 .*Posthorn test sink/m);
    expect(text).toMatch(/^C EHLO /m);
    expect(text).toMatch(/^C STARTTLS$/m);
    expect(text).toMatch(/^tls TLS 1\.[23] · .* · CN=localhost/m);
    expect(text).toMatch(/^C AUTH PLAIN ‹credentials redacted›$/m);
    expect(text).toMatch(/^S 235 /m);
    expect(text).toMatch(/^C MAIL FROM:<alice@example\.test>/m);
    expect(text).toMatch(/^C RCPT TO:<bob@example\.test>/m);
    expect(text).toMatch(/^C DATA$/m);
    expect(text).toMatch(/^S 250 2\.0\.0 Ok: queued as SINK1/m);
    // Timestamps are monotonic from the attempt's start.
    expect(lines.map((l) => l.t)).toEqual([...lines.map((l) => l.t)].sort((a, b) => a - b));

    // No password, no base64 username, no body text: not in the transcript, not on disk.
    const forbidden = [PASSWORD, b64(USER), b64(`\0${USER}\0${PASSWORD}`), 'quarterly numbers are attached'];
    for (const needle of forbidden) expect(text).not.toContain(needle);
    expect(findInFiles(data.dir, [PASSWORD, b64(USER), b64(`\0${USER}\0${PASSWORD}`)])).toEqual([]);
  });

  it('exports the transcript as text or JSON, safe to share on request, and the message as .eml', async () => {
    const [first] = unwrap(await core.dispatch('outbox.list', {})).filter((i) => i.subject === 'Quarterly numbers');
    const id = first?.id ?? '';
    const txt = unwrap(await core.dispatch('logs.export', { outboxId: id, format: 'txt' }));
    expect(txt.fileName).toMatch(/transcript\.txt$/);
    expect(txt.content).toMatch(/^ +\+[\d.]+ms <- {2}220 /m);
    expect(txt.content).toMatch(/ -> STARTTLS$/m);
    expect(txt.content).toMatch(/ ~> AUTH PLAIN ‹credentials redacted›$/m);
    expect(txt.content).toMatch(/<~ {2}250 2\.0\.0 Ok: queued as SINK1/);
    expect(txt.content).toContain('bob@example.test');

    const safe = unwrap(
      await core.dispatch('logs.export', { outboxId: id, format: 'txt', safe: true, hideHosts: true }),
    );
    for (const gone of [USER, 'bob@example.test', 'carol@example.test', '127.0.0.1'])
      expect(safe.content).not.toContain(gone);
    expect(safe.content).toContain('MAIL FROM:<sender@example.invalid>');
    expect(safe.content).toContain('RCPT TO:<recipient-1@example.invalid>');
    expect(safe.content).toContain('RCPT TO:<recipient-2@example.invalid>');
    expect(safe.content).toContain('User "sender@example.invalid" authenticated'); // the same address, the same placeholder

    const json = JSON.parse(
      unwrap(await core.dispatch('logs.export', { outboxId: id, format: 'json', safe: true })).content,
    ) as { safe: boolean; message: { to: string[] }; lines: { dir: string; text: string }[] };
    expect(json.safe).toBe(true);
    expect(json.message.to).toEqual(['recipient-1@example.invalid', 'recipient-2@example.invalid']);
    expect(json.lines.some((l) => l.text === 'AUTH PLAIN ‹credentials redacted›')).toBe(true);

    const eml = unwrap(await core.dispatch('logs.export', { outboxId: id, format: 'eml' }));
    expect(eml.mimeType).toBe('message/rfc822');
    expect(eml.content).toContain('Subject: Quarterly numbers');

    // No export carries a secret; only the .eml carries the body (it is the message itself).
    for (const content of [txt.content, safe.content, JSON.stringify(json)]) {
      for (const needle of [PASSWORD, b64(USER), b64(`\0${USER}\0${PASSWORD}`), 'quarterly numbers are attached'])
        expect(content).not.toContain(needle);
    }
  });

  it("fails with the server's 535 reply and a fix when the password is wrong, without retrying", async () => {
    const account = await addAccount('wrong password');
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        undoSeconds: 0,
        to: 'bob@example.test',
        subject: 'Will not go',
        body: 'x',
      }),
    );
    const failed = await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain']);
    expect(failed.state).toBe('failed');
    expect(failed.lastReply).toMatch(/^535 /);
    expect(failed.lastError?.code).toBe('SMTP_AUTH');
    expect(failed.lastError?.hint).toMatch(/password/i);
    const detail = unwrap(await core.dispatch('outbox.get', { id: queued.id }));
    expect(detail.attempts[0]).toMatchObject({ outcome: 'failed', phase: 'auth', replyCode: 535, finalDotSent: false });
  });

  it('refuses an untrusted certificate with an explanation (verification stays on)', async () => {
    const strictData = tempDataDir('strict');
    const strict = createTestCore({
      dataDir: strictData.dir,
      secrets: new KeytarSecretStore({ service }),
      mode: 'test',
    });
    try {
      const account = unwrap(
        await strict.dispatch('accounts.save', {
          name: 'Strict',
          email: USER,
          host: '127.0.0.1',
          port: sink.port,
          security: 'starttls',
          username: USER,
          password: PASSWORD,
        }),
      );
      const queued = unwrap(
        await strict.dispatch('outbox.enqueue', {
          accountId: account.id,
          undoSeconds: 0,
          to: 'bob@example.test',
          subject: 'No',
          body: 'x',
        }),
      );
      const failed = await waitForState(strict, queued.id, ['sent', 'failed', 'deferred', 'uncertain']);
      expect(failed.state).toBe('failed');
      expect(failed.lastError?.code).toBe('SMTP_TLS');
      expect(failed.lastError?.message).toMatch(/certificate/i);
      expect(sink.logins.filter((l) => l.username === USER && l.ok)).toHaveLength(1); // only the first test logged in
    } finally {
      await strict.close();
      strictData.remove();
    }
  });
});
