import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-store.ts';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';
import type { TranscriptLine } from '../../src-main/shared/schemas/smtp.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const USER = 'lin@example.test';
const PASSWORD = secret('line-By-line-pass', USER);
const TOKEN = secret('ya29.line-by-line-token-000111', USER);
const BODY = 'The body text must never reach a transcript, 7f3a9c.';
const b64 = (s: string) => Buffer.from(s).toString('base64');

type Case = {
  name: string;
  security: 'none' | 'starttls' | 'tls';
  auth: 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2';
  secret: string;
  expected: RegExp[];
};

const ENVELOPE = [
  /^C MAIL FROM:<lin@example\.test>/,
  /^C RCPT TO:<to@example\.test>$/,
  /^C DATA$/,
  /^S 250 Accepted$/,
  /^S 250 Accepted$/,
  /^S 354 End data with/,
  /^S 250 2\.0\.0 Ok: queued as SINK1$/,
]; // the connection stays open for the next message: no QUIT here
const greeting = /^S 220 .*Posthorn test sink/;
const ehlo = /^C EHLO /;
const capabilities = /^S 250-.*\n(250-.*\n)*250 .*/;

/** Whole transcripts of real sends, every C/S line in order, for each security mode and auth method. */
const CASES: Case[] = [
  {
    name: 'plain + PLAIN (allowed for this account)',
    security: 'none',
    auth: 'PLAIN',
    secret: PASSWORD,
    expected: [
      greeting,
      ehlo,
      capabilities,
      /^C AUTH PLAIN ‹credentials redacted›$/,
      /^S 235 Authentication successful$/,
      ...ENVELOPE,
    ],
  },
  {
    name: 'STARTTLS + LOGIN',
    security: 'starttls',
    auth: 'LOGIN',
    secret: PASSWORD,
    expected: [
      greeting,
      ehlo,
      capabilities,
      /^C STARTTLS$/,
      /^S 220 Ready to start TLS$/,
      ehlo,
      capabilities,
      /^C AUTH LOGIN$/,
      /^S 334 VXNlcm5hbWU6$/,
      /^C ‹credentials redacted›$/,
      /^S 334 UGFzc3dvcmQ6$/,
      /^C ‹credentials redacted›$/,
      /^S 235 /,
      ...ENVELOPE,
    ],
  },
  {
    name: 'implicit TLS + CRAM-MD5',
    security: 'tls',
    auth: 'CRAM-MD5',
    secret: PASSWORD,
    expected: [
      greeting,
      ehlo,
      capabilities,
      /^C AUTH CRAM-MD5$/,
      /^S 334 \S+$/,
      /^C ‹credentials redacted›$/,
      /^S 235 /,
      ...ENVELOPE,
    ],
  },
  {
    name: 'STARTTLS + XOAUTH2',
    security: 'starttls',
    auth: 'XOAUTH2',
    secret: TOKEN,
    expected: [
      greeting,
      ehlo,
      capabilities,
      /^C STARTTLS$/,
      /^S 220 /,
      ehlo,
      capabilities,
      /^C AUTH XOAUTH2 ‹credentials redacted›$/,
      /^S 235 /,
      ...ENVELOPE,
    ],
  },
];

describe('transcripts of real sessions, line by line', () => {
  let keychain: KeychainSession;
  let core: Core;
  const data = tempDataDir('transcripts');
  const sinks: SmtpSink[] = [];
  const exported: string[] = [];

  beforeAll(async () => {
    keychain = await startKeychainSession();
    Object.assign(process.env, keychain.env);
    core = createTestCore({
      dataDir: data.dir,
      secrets: new KeytarSecretStore({ service: keychain.service('transcripts') }),
      mode: 'test',
      trustedCertificates: [selfSignedCertificate().cert],
    });
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all(sinks.map((s) => s.close()));
    await keychain?.stop();
    data.remove();
  });

  it.each(CASES)('$name', async ({ security, auth, secret, expected }) => {
    const sink = await startSmtpSink({
      certificate: selfSignedCertificate(),
      users: { [USER]: secret },
      authMethods: [auth],
      secure: security === 'tls',
      extra: security === 'none' ? { allowInsecureAuth: true, disabledCommands: ['STARTTLS'] } : {},
    });
    sinks.push(sink);
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Lin',
        email: USER,
        host: '127.0.0.1',
        port: sink.port,
        security,
        auth,
        username: USER,
        password: secret,
        allowPlaintextAuth: security === 'none',
      }),
    );
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'to@example.test',
        subject: `Line by line ${auth}`,
        body: BODY,
        undoSeconds: 0,
      }),
    );
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'])).state).toBe('sent');
    const [attempt] = unwrap(await core.dispatch('outbox.get', { id: queued.id })).attempts;
    const lines: TranscriptLine[] = unwrap(
      await core.dispatch('attempts.transcript', { attemptId: attempt?.id ?? '' }),
    );
    const conversation = lines.filter((l) => l.dir === 'C' || l.dir === 'S').map((l) => `${l.dir} ${l.text}`);
    expect(conversation.length, conversation.join('\n')).toBe(expected.length);
    conversation.forEach((line, i) => expect(line, `line ${i + 1}`).toMatch(expected[i] as RegExp));
    // DATA is shown as its headers and size, never the body.
    const info = lines.filter((l) => l.dir === 'info').map((l) => l.text);
    expect(info.some((t) => /^\d+ bytes encoded mime message/.test(t))).toBe(true);
    expect(info.find((t) => t.startsWith('Message headers:'))).toMatch(new RegExp(`Subject: Line by line ${auth}`));
    for (const format of ['txt', 'json'] as const) {
      for (const safe of [false, true])
        exported.push(
          unwrap(await core.dispatch('logs.export', { outboxId: queued.id, format, safe, hideHosts: safe })).content,
        );
    }
  });

  it('no secret, base64 username or body text in any stored byte or export', () => {
    const secrets = [PASSWORD, TOKEN, b64(USER), b64(`\0${USER}\0${PASSWORD}`)];
    // Secrets: in no byte the app wrote (database, WAL, spool).
    expect(findInFiles(data.dir, secrets)).toEqual([]);
    // The body is kept where it belongs (the spool, and the draft for Undo / Edit as new), never in
    // a transcript or the search index.
    const db = new Database(path.join(data.dir, DATABASE_FILE), { readonly: true });
    try {
      // Every transcript as stored (one JSON value per attempt; rows for attempts from before migration 12).
      const transcripts = (
        db
          .prepare(
            "SELECT value ->> '$.text' AS text FROM attempts, json_each(attempts.lines) UNION ALL SELECT text FROM transcript_lines",
          )
          .all() as { text: string }[]
      )
        .map((r) => r.text)
        .join('\n');
      const index = (
        db.prepare('SELECT subject, addresses, transcript FROM log_search').all() as Record<string, string>[]
      )
        .map((r) => Object.values(r).join(' '))
        .join('\n');
      expect(transcripts.length).toBeGreaterThan(1000);
      for (const text of [transcripts, index]) expect(text).not.toContain(BODY);
    } finally {
      db.close();
    }
    const needles = [...secrets, BODY];
    expect(exported.length).toBe(CASES.length * 4);
    for (const content of exported) for (const needle of needles) expect(content).not.toContain(needle);
  });
});
