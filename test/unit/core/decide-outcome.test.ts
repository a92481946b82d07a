import { describe, expect, it } from 'vitest';
import { decideOutcome, OFFLINE_RECHECK_MS } from '../../../src-main/core/outbox/decide-outcome.ts';
import type { AttemptReport } from '../../../src-main/core/smtp/attempt-report.ts';
import { classifyFailure } from '../../../src-main/core/smtp/classify.ts';

const NOW = 1_000_000;
const item = {
  pending: ['a@x.test', 'b@x.test'],
  delivered: [],
  rejected: [],
  attemptCount: 0,
  expiresAt: NOW + 3 * 86_400_000,
};
const base: AttemptReport = {
  outcome: 'sent',
  phase: 'done',
  replyCode: 250,
  enhancedCode: '2.0.0',
  response: '250 2.0.0 Ok',
  finalDotSent: true,
  error: null,
  accepted: [],
  refusals: [],
  lines: [],
  facts: null,
};

describe('what an attempt means for the message', () => {
  it('all accepted: sent, nothing pending', () => {
    expect(decideOutcome(item, { ...base, accepted: ['a@x.test', 'b@x.test'] }, NOW)).toMatchObject({
      state: 'sent',
      delivered: ['a@x.test', 'b@x.test'],
      pending: [],
      lastError: null,
    });
  });

  it('one 550, one accepted: sent, the refused one listed for good', () => {
    const d = decideOutcome(
      item,
      {
        ...base,
        accepted: ['a@x.test'],
        refusals: [{ address: 'b@x.test', code: 550, reply: '550 5.1.1 No such user' }],
      },
      NOW,
    );
    expect(d).toMatchObject({
      state: 'sent',
      pending: [],
      rejected: [{ address: 'b@x.test', reply: '550 5.1.1 No such user' }],
    });
    expect(d.lastError?.code).toBe('SMTP_REJECTED');
  });

  it('one 452, one accepted: deferred, only the 452 one pending', () => {
    expect(
      decideOutcome(
        item,
        { ...base, accepted: ['a@x.test'], refusals: [{ address: 'b@x.test', code: 452, reply: '452 4.2.2 Full' }] },
        NOW,
      ),
    ).toMatchObject({ state: 'deferred', delivered: ['a@x.test'], pending: ['b@x.test'], nextAttemptAt: NOW + 60_000 });
  });

  it('offline: deferred for a re-check soon, and the attempt does not count', () => {
    const failure = classifyFailure(
      { code: 'ESOCKET', originalCode: 'ENETUNREACH', message: 'connect ENETUNREACH 2001:db8::1:587' },
      'connect',
      false,
    );
    expect(failure).toMatchObject({ outcome: 'deferred', error: { code: 'OFFLINE' } });
    const d = decideOutcome(
      { ...item, attemptCount: 4 },
      { ...base, outcome: 'deferred', finalDotSent: false, replyCode: null, response: null, error: failure.error },
      NOW,
    );
    expect(d).toMatchObject({ state: 'deferred', nextAttemptAt: NOW + OFFLINE_RECHECK_MS, unburn: true });
    expect(
      classifyFailure({ code: 'EDNS', message: 'getaddrinfo EAI_AGAIN smtp.example.org' }, 'connect', false).error.code,
    ).toBe('OFFLINE');
  });

  it('a typo in the host name is not "offline"', () => {
    expect(
      classifyFailure({ code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.exmaple.org' }, 'connect', false).error.code,
    ).toBe('SMTP_CONNECTION');
  });

  it('past the lifetime a temporary failure becomes final', () => {
    const d = decideOutcome(
      { ...item, expiresAt: NOW + 30_000 },
      { ...base, outcome: 'deferred', finalDotSent: false, replyCode: 451, response: '451 4.7.1 Later', error: null },
      NOW,
    );
    expect(d.state).toBe('failed');
    expect(d.lastError?.message).toMatch(/^Gave up/);
  });
});
