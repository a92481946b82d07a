import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOutcome } from '../../../src-main/core/outbox/decide-outcome.ts';
import type { AttemptReport } from '../../../src-main/core/smtp/attempt-report.ts';
import { acceptedIn, bodyMayNotGo, observeExchange } from '../../../src-main/core/smtp/exchange.ts';
import { judgeAttempt } from '../../../src-main/core/smtp/judge-attempt.ts';
import type { TranscriptLine } from '../../../src-main/shared/schemas/smtp.ts';

const SEED = Number(process.env.OUTCOME_SEED ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env.OUTCOME_RUNS ?? 5000);

/** What a server may answer to one command: a reply of a class, a line that is not a reply, or nothing at all. */
type Answer = { kind: '2xx' | '3xx' | '4xx' | '5xx' | 'malformed' | 'none'; text: string };

const answer = (kinds: Answer['kind'][]) =>
  fc.constantFrom(...kinds).chain((kind) =>
    fc.constantFrom(
      ...{
        '2xx': ['250 2.1.0 Ok', '250 Accepted', '251 2.1.5 Will forward'],
        '3xx': ['354 End data with <CR><LF>.<CR><LF>', '334 VXNlcm5hbWU6'],
        '4xx': ['451 4.3.0 Try again later', '452 4.2.2 Mailbox full', '421 4.7.0 Closing'],
        '5xx': ['550 5.1.1 No such user', '552 5.3.4 Too big', '554 5.7.1 Rejected'],
        malformed: ['250x BROKEN', 'OK then', '25O OK', '250-unfinished', '451-4.3.0 Later\n250 2.0.0 Ok'],
        none: [''],
      }[kind].map((text) => ({ kind, text })),
    ),
  );

/** One conversation: the recipients, what came back to MAIL, each RCPT, DATA, and the final ".", if it went. */
const conversation = fc.record({
  recipients: fc.integer({ min: 1, max: 4 }),
  mail: answer(['2xx', '2xx', '4xx', '5xx', 'malformed', 'none']),
  rcpts: fc.array(answer(['2xx', '2xx', '4xx', '5xx', 'malformed', 'none']), { minLength: 4, maxLength: 4 }),
  data: answer(['3xx', '3xx', '2xx', '4xx', '5xx', 'malformed', 'none']),
  /** Whether the connection held until the final "." (when the body may go at all). */
  dotGoes: fc.boolean(),
  final: answer(['2xx', '2xx', '3xx', '4xx', '5xx', 'malformed', 'none']),
  /**
   * A reply nobody asked for, right after the final reply (a server out of step: it answered
   * the "." twice, or its first answer was sent before it read the body).
   */
  extra: answer(['none', 'none', '2xx', '4xx', '5xx']),
});
type Conversation = typeof conversation extends fc.Arbitrary<infer T> ? T : never;

/** The transcript Posthorn records for it: pipelined commands, then the replies in order until the first "none". */
function transcriptOf(c: Conversation): { lines: TranscriptLine[]; to: string[] } {
  const to = Array.from({ length: c.recipients }, (_, i) => `r${i}@example.test`);
  const lines: TranscriptLine[] = [
    { t: 0, dir: 'S', text: '220 mx.example.test ESMTP' },
    { t: 1, dir: 'C', text: 'EHLO laptop' },
    { t: 2, dir: 'S', text: '250-mx.example.test\n250 PIPELINING' },
    { t: 3, dir: 'C', text: 'MAIL FROM:<me@example.test>' },
    ...to.map((address) => ({ t: 3, dir: 'C' as const, text: `RCPT TO:<${address}>` })),
    { t: 3, dir: 'C', text: 'DATA' },
  ];
  const replies = [c.mail, ...c.rcpts.slice(0, c.recipients), c.data];
  for (const reply of replies) {
    if (reply.kind === 'none') return { lines, to };
    lines.push({ t: 4, dir: 'S', text: reply.text });
  }
  // The client sends the body only when the conversation allows it, and the dot may or may not go.
  if (bodyMayNotGo(observeExchange(lines)) === null && c.dotGoes) {
    lines.push({ t: 5, dir: 'info', text: '310 bytes encoded mime message (source size 307 bytes) · final "." sent' });
    if (c.final.kind !== 'none') lines.push({ t: 6, dir: 'S', text: c.final.text });
    if (c.final.kind !== 'none' && c.extra.kind !== 'none') lines.push({ t: 7, dir: 'S', text: c.extra.text });
  }
  return { lines, to };
}

/** What nodemailer made of it, at worst: "could not talk to the server" (the judge must not need it). */
function reportOf(lines: TranscriptLine[]): AttemptReport {
  return {
    outcome: 'deferred',
    phase: 'data',
    replyCode: null,
    enhancedCode: null,
    response: null,
    finalDotSent: lines.some((l) => /final "\." sent$/.test(l.text)),
    error: { code: 'SMTP_CONNECTION', message: 'Could not talk to the server: Connection closed', hint: 'x' },
    accepted: [],
    refusals: [],
    lines,
    facts: null,
  };
}

const wellFormedClass = (text: string | undefined) => (text && /^[245]\d\d( |$)/.test(text) ? Number(text[0]) : null);

/**
 * The outcome rules over generated reply sequences (issue 17): whatever a server answers, or
 * fails to, the outbox never sends a message twice on its own, never gives up on a temporary
 * refusal at once, never retries a permanent one, and names the reply that decided.
 */
describe('outcome rules, property-based', () => {
  it(`hold for ${RUNS} generated conversations (seed ${SEED}; OUTCOME_SEED=${SEED} to repeat)`, () => {
    console.log(`outcome properties: ${RUNS} conversations, seed ${SEED}`);
    const item = { pending: [] as string[], delivered: [], rejected: [], attemptCount: 0, expiresAt: 10 * 86_400_000 };
    fc.assert(
      fc.property(conversation, (c) => {
        const { lines, to } = transcriptOf(c);
        const exchange = observeExchange(lines);
        const judged = judgeAttempt(reportOf(lines), exchange);
        const decided = decideOutcome({ ...item, pending: to }, judged, 0);
        const finalClass = wellFormedClass(exchange.final?.text);
        // A refusal of the message followed by a reply out of turn decides nothing (see 6).
        const outOfStep = exchange.finalDotSent && exchange.outOfTurn !== null && finalClass !== 2;

        // 1. After the final ".", only a well-formed 2xx/4xx/5xx decides; anything else: uncertain.
        if (exchange.finalDotSent && (exchange.malformed || finalClass === null))
          expect(decided.state).toBe('uncertain');
        if (exchange.finalDotSent && !exchange.malformed && finalClass !== null && !outOfStep) {
          // Sent, but a recipient refused for now keeps it waiting for that recipient alone.
          const laterFor = exchange.rcpts.filter((r) => wellFormedClass(r.reply?.text) === 4).map((r) => r.address);
          const expected =
            finalClass === 2 && laterFor.length > 0
              ? 'deferred'
              : { 2: 'sent', 4: 'deferred', 5: 'failed' }[finalClass];
          expect(decided.state).toBe(expected);
          if (finalClass === 2) expect(decided.pending ?? []).toEqual(laterFor);
        }
        // 2. No recipient accepted: the body never goes, and the refusals decide.
        if (acceptedIn(exchange).length === 0) expect(exchange.finalDotSent).toBe(false);
        // 3. A 5xx is never retried automatically: not at MAIL, not for a refused recipient, not after the dot.
        if (wellFormedClass(exchange.mail?.text) === 5) expect(decided.state).toBe('failed');
        for (const r of exchange.rcpts)
          if (wellFormedClass(r.reply?.text) === 5 && wellFormedClass(exchange.mail?.text) === 2)
            expect(decided.pending ?? to).not.toContain(r.address);
        // 4. A 4xx never fails at once (the message's lifetime is far off).
        if (wellFormedClass(exchange.mail?.text) === 4) expect(decided.state).toBe('deferred');
        if (exchange.finalDotSent && !exchange.malformed && finalClass === 4 && !outOfStep)
          expect(decided.state).toBe('deferred');
        // Nobody accepted, some refused only for now: waiting for them, not failed.
        if (
          decided.state === 'failed' &&
          wellFormedClass(exchange.mail?.text) === 2 &&
          acceptedIn(exchange).length === 0
        )
          expect(exchange.rcpts.some((r) => wellFormedClass(r.reply?.text) === 4)).toBe(false);
        // 5. The person reads the reply that decided (or that a reply could not be read).
        if (decided.state === 'failed' || decided.state === 'deferred' || decided.state === 'uncertain') {
          const message = decided.lastError?.message ?? '';
          // In the order the conversation went (replies after a line that is not one are not paired).
          const answered = exchange.rcpts.filter((r) => r.reply !== null);
          if (exchange.mail && wellFormedClass(exchange.mail.text) !== 2) expect(message).toContain(exchange.mail.text);
          else if (answered.length > 0 && acceptedIn(exchange).length === 0)
            expect(message).toContain(answered[0]!.reply!.text);
          else if (exchange.malformed) expect(message).toMatch(/could not be read/);
          else if (outOfStep) expect(message).toMatch(/out of step/);
          else if (exchange.finalDotSent && exchange.final) {
            const laterFor = exchange.rcpts.find((r) => wellFormedClass(r.reply?.text) === 4);
            const deciding = finalClass === 2 && laterFor ? laterFor.reply!.text : exchange.final.text;
            expect(message).toContain(deciding);
          }
        }
        // Never a silent duplicate: once the final "." went, nobody who may have received the message
        // is tried again automatically, unless the server refused the whole message for now (4xx).
        if (exchange.finalDotSent && decided.state === 'deferred' && finalClass !== 4)
          for (const address of acceptedIn(exchange)) expect(decided.pending ?? to).not.toContain(address);
        // 6. A refusal of the message with another reply behind it is not believed: the server may
        // have queued the message, so it is never retried on its own.
        if (outOfStep) expect(decided.state).toBe('uncertain');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
