import { describe, expect, it } from 'vitest';
import { transcriptAsJson, transcriptAsText } from '../../../src-main/core/logs/export.ts';
import type { ShareContext } from '../../../src-main/core/logs/share-scrubber.ts';

const item = {
  id: 'm1',
  accountId: 'a1',
  state: 'sent' as const,
  messageId: '<1c2d@keys.example.org>',
  from: 'Ada Keys <ada@keys.example.org>',
  to: ['jane@client.example.com', 'bob@client.example.com'],
  subject: 'Quarterly figures for Jane',
  size: 100,
  attemptCount: 1,
  lastReply: '250 2.0.0 Ok: queued as 4Q9',
  lastError: null,
  nextAttemptAt: null,
  delivered: ['jane@client.example.com', 'bob@client.example.com'],
  rejected: [],
  pending: [],
  expiresAt: 1,
  route: 'account' as const,
  legDomain: null,
  legOf: null,
  createdAt: 1,
  updatedAt: 1,
};
const facts = {
  remoteAddress: '203.0.113.7',
  remotePort: 587,
  greeting: '220 mx1.mail-host.net ESMTP Postfix',
  capabilities: null,
  tls: {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    subject: 'CN=mx1.mail-host.net',
    issuer: 'CN=R11, O=Let’s Encrypt',
    validFrom: '',
    validTo: '',
    fingerprint256: 'AB:CD',
  },
  queueId: '4Q9',
};
const context: ShareContext = {
  item,
  attempt: {
    id: 'x1',
    outboxId: 'm1',
    startedAt: 0,
    endedAt: 1,
    outcome: 'sent',
    phase: 'done',
    replyCode: 250,
    enhancedCode: '2.0.0',
    response: '250 2.0.0 Ok: queued as 4Q9',
    finalDotSent: true,
    error: null,
    facts,
  },
  lines: [
    { t: 0, dir: 'info', text: 'Connection established to 203.0.113.7:587' },
    { t: 1, dir: 'S', text: '220 mx1.mail-host.net ESMTP Postfix' },
    { t: 2, dir: 'C', text: 'EHLO laptop.keys.example.org' },
    { t: 3, dir: 'S', text: '250-mx1.mail-host.net\n250 AUTH PLAIN' },
    { t: 4, dir: 'tls', text: 'TLS 1.3 · CN=mx1.mail-host.net · valid until 2027' },
    { t: 5, dir: 'C', text: 'AUTH PLAIN ‹credentials redacted›' },
    { t: 6, dir: 'S', text: '235 2.7.0 Authentication successful for me' },
    { t: 7, dir: 'C', text: 'MAIL FROM:<ada@keys.example.org>' },
    { t: 7, dir: 'S', text: '250 2.1.0 Ok. Nice to meet you, me' },
    {
      t: 8,
      dir: 'info',
      text: 'Message headers: From: Ada Keys <ada@keys.example.org> · To: "Doe, Jane" <jane@client.example.com>, Bob Smith <bob@client.example.com> · Subject: Quarterly figures for Jane · Message-ID: <1c2d@keys.example.org>',
    },
    { t: 9, dir: 'S', text: '250 2.0.0 Ok: queued as 4Q9 (message accepted)' },
  ],
  username: 'me',
  host: 'mx1.mail-host.net',
  ehloName: 'laptop.keys.example.org',
};

describe('"safe to share" exports (issue 18)', () => {
  it('the login name goes only where it stands alone; the words around it stay whole', () => {
    const text = transcriptAsText(context, { safe: true, hideHosts: false });
    expect(text).toContain('Nice to meet you, ‹user›');
    expect(text).toContain('Authentication successful for ‹user›');
    expect(text).not.toMatch(/‹user›et|‹user›ssage/);
  });

  it("people's names and the subject go; addresses become placeholders", () => {
    const text = transcriptAsText(context, { safe: true, hideHosts: false });
    for (const gone of ['Ada Keys', 'Doe, Jane', 'Bob Smith', 'Quarterly figures', 'jane@', 'ada@'])
      expect(text, gone).not.toContain(gone);
    expect(text).toContain('From: ‹name› <sender@example.invalid>');
    expect(text).toContain('‹subject›');
  });

  it('with "hide host names", every host name and address goes: greeting, EHLO, certificate, connection', () => {
    const text = transcriptAsText(context, { safe: true, hideHosts: true });
    for (const gone of ['mx1.mail-host.net', 'laptop.keys', 'keys.example.org', '203.0.113.7', 'mail-host'])
      expect(text, gone).not.toContain(gone);
    expect(text).toContain('220 host-1.example.invalid ESMTP Postfix');
  });

  it('the JSON export scrubs the connection facts the same way', () => {
    const json = transcriptAsJson(context, { safe: true, hideHosts: true });
    for (const gone of ['mx1.mail-host.net', '203.0.113.7', 'Ada Keys', 'Quarterly', 'AB:CD', 'jane@'])
      expect(json, gone).not.toContain(gone);
    const parsed = JSON.parse(json) as { attempt: { facts: { remoteAddress: string; tls: { subject: string } } } };
    expect(parsed.attempt.facts.remoteAddress).toBe('192.0.2.1');
    // Who the certificate names (hosts, organisations, people) goes whole.
    expect(parsed.attempt.facts.tls.subject).toBe('‹hidden›');
    expect(json).not.toContain('Let’s Encrypt');
  });

  it('hiding hosts leaves times, reply codes and one placeholder per host; catches one-label names', () => {
    const tricky: ShareContext = {
      ...context,
      ehloName: 'runsc',
      lines: [
        { t: 0, dir: 'info', text: 'Resolved localhost as 127.0.0.1' },
        { t: 1, dir: 'S', text: '220 mail.internal.example ESMTP' },
        { t: 2, dir: 'C', text: 'EHLO runsc' },
        { t: 3, dir: 'S', text: '250-mail.internal.example\n250 8BITMIME' },
        { t: 4, dir: 'tls', text: 'TLS 1.3 · CN=localhost, O=Meetmessage Corp Alice Example' },
        { t: 5, dir: 'info', text: 'Message headers: Date: Sun, 29 Nov 2026 13:31:02 +0000' },
        { t: 6, dir: 'info', text: 'Connection established to [2001:db8:85a3::8a2e:370:7334]:25' },
      ],
    };
    const text = transcriptAsText(tricky, { safe: true, hideHosts: true });
    expect(text).toContain('13:31:02 +0000');
    // The greeting's host and the EHLO reply's are one host, one placeholder; "250-" stays.
    const greeted = /220 (host-\d+\.example\.invalid) ESMTP/.exec(text)?.[1];
    expect(greeted).toBeDefined();
    expect(text).toContain(`250-${greeted}`);
    for (const gone of ['localhost', 'runsc', 'Alice Example', 'Meetmessage', 'mail.internal', '8a2e'])
      expect(text, gone).not.toContain(gone);
  });

  it('without "safe to share" nothing is changed', () => {
    expect(transcriptAsText(context, { safe: false, hideHosts: false })).toContain('Nice to meet you, me');
  });
});
