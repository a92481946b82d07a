import { describe, expect, it } from 'vitest';
import type { TranscriptLine } from '../../../src-main/shared/schemas/smtp.ts';
import { phasesOf } from '../../../src-main/shared/transcript-phases.ts';

const L = (t: number, dir: TranscriptLine['dir'], text: string): TranscriptLine => ({ t, dir, text });

describe('attempt timeline', () => {
  it('pairs commands with replies, pipelining included, and times each phase', () => {
    const lines = [
      L(1, 'info', 'Resolved smtp.example.org as 203.0.113.5 [cache miss]'),
      L(11, 'info', 'Connection established to 203.0.113.5:587'),
      L(20, 'S', '220 smtp.example.org ESMTP'),
      L(21, 'C', 'EHLO host'),
      L(23, 'S', '250-smtp.example.org\n250 STARTTLS'),
      L(24, 'C', 'STARTTLS'),
      L(25, 'S', '220 Go ahead'),
      L(60, 'tls', 'TLS 1.3 · TLS_AES_256_GCM_SHA384'),
      L(61, 'C', 'EHLO host'),
      L(63, 'S', '250 AUTH PLAIN'),
      L(64, 'C', 'AUTH LOGIN'),
      L(65, 'S', '334 VXNlcm5hbWU6'),
      L(66, 'C', '‹credentials redacted›'),
      L(67, 'S', '334 UGFzc3dvcmQ6'),
      L(68, 'C', '‹credentials redacted›'),
      L(100, 'S', '235 2.7.0 Authentication successful'),
      L(101, 'C', 'MAIL FROM:<a@example.org>'),
      L(101, 'C', 'RCPT TO:<b@example.org>'),
      L(101, 'C', 'RCPT TO:<c@example.org>'),
      L(101, 'C', 'DATA'),
      L(105, 'S', '250 2.1.0 Ok'),
      L(106, 'S', '250 2.1.5 Ok'),
      L(107, 'S', '250 2.1.5 Ok'),
      L(108, 'S', '354 Go'),
      L(300, 'info', '5000 bytes encoded mime message (source size 4990 bytes) · final "." sent'),
      L(320, 'S', '250 2.0.0 Ok: queued as X'),
      L(321, 'C', 'QUIT'),
      L(322, 'S', '221 Bye'),
    ];
    const { spans, reused } = phasesOf(lines);
    expect(reused).toBe(false);
    const byPhase = Object.fromEntries(spans.map((s) => [s.phase, s.end - s.start]));
    expect(byPhase).toEqual({
      dns: 1,
      connect: 10,
      greeting: 9,
      ehlo: 42,
      starttls: 36,
      auth: 36,
      mail: 4,
      rcpt: 6,
      data: 199,
      'final-reply': 20,
      quit: 1,
    });
    expect(spans.map((s) => s.phase)).toEqual([
      'dns',
      'connect',
      'greeting',
      'ehlo',
      'starttls',
      'auth',
      'mail',
      'rcpt',
      'data',
      'final-reply',
      'quit',
    ]);
  });

  it("a reused connection: only this attempt's phases, flagged as reused; a command without reply ends at the last line", () => {
    const { spans, reused } = phasesOf([
      L(-500, 'S', '220 x'),
      L(-499, 'C', 'EHLO h'),
      L(0, 'C', 'MAIL FROM:<a@x>'),
      L(2, 'S', '250 ok'),
      L(2, 'C', 'RCPT TO:<b@x>'),
      L(9, 'error', 'Connection closed'),
    ]);
    expect(reused).toBe(true);
    expect(spans).toEqual([
      { phase: 'mail', start: 0, end: 2 },
      { phase: 'rcpt', start: 2, end: 9 },
    ]);
  });
});

describe('attempt timeline, an IP address as the server', () => {
  it('has no DNS step: nothing was looked up', () => {
    for (const host of ['127.0.0.1', '2001:db8::1', '[192.0.2.1]']) {
      const { spans } = phasesOf([
        L(1, 'info', `Resolved ${host} as ${host.replace(/[[\]]/g, '')} [cache miss]`),
        L(3, 'info', `Connection established to ${host}:25`),
        L(5, 'S', '220 ready'),
      ]);
      expect(spans.map((s) => s.phase)).toEqual(['connect', 'greeting']);
    }
  });
});
