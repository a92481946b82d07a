import { appError } from '../../shared/errors.ts';
import type { Refusal } from '../../shared/schemas/common.ts';
import { plural } from '../../shared/wording.ts';
import type { AttemptReport } from '../smtp/attempt-report.ts';
import type { OutboxRecord, Settlement } from './outbox-record.ts';
import { retryDelay } from './retry-policy.ts';

export const OFFLINE_RECHECK_MS = 30_000;
/** A message waiting for a sign-in looks again this often (a provider that was down, say). */
export const SIGN_IN_RECHECK_MS = 15 * 60_000;

type Item = Pick<OutboxRecord, 'pending' | 'delivered' | 'rejected' | 'attemptCount' | 'expiresAt'>;
/** `unburn`: the attempt does not count; `pauseQueue`: nothing else goes either until it is due (offline). */
type Decision = Omit<Settlement, 'now'> & { unburn?: boolean; pauseQueue?: boolean };

/** What every rule below needs: the message, the attempt, the time, and the refusals sorted by kind. */
type Facts = {
  item: Item;
  report: AttemptReport;
  now: number;
  /** Everyone refused for good so far (earlier attempts' and this one's 5xx). */
  rejected: Refusal[];
  /** This attempt's 4xx refusals: those recipients are tried again. */
  temporary: AttemptReport['refusals'];
  delayOf: (attemptNumber: number) => number;
};

const unique = (values: readonly string[]) => [...new Set(values)];
const lower = (a: string) => a.toLowerCase();

/**
 * What an attempt means for the message, recipient by recipient. Accepted recipients are
 * never sent to again; 5xx refusals are final; 4xx refusals (and whole-message temporary
 * failures) are retried with backoff until the message's lifetime ends.
 */
export function decideOutcome(
  item: Item,
  report: AttemptReport,
  now: number,
  delayOf: (attemptNumber: number) => number = retryDelay,
): Decision {
  const permanent = report.refusals.filter((r) => r.code === null || r.code >= 500);
  const facts: Facts = {
    item,
    report,
    now,
    delayOf,
    rejected: [...item.rejected, ...permanent.map((r) => ({ address: r.address, reply: r.reply }))],
    temporary: report.refusals.filter((r) => r.code !== null && r.code >= 400 && r.code < 500),
  };
  // Those refused for good are never tried again, whatever else happened.
  const gone = new Set(facts.rejected.map((r) => lower(r.address)));
  const stillPending = item.pending.filter((address) => !gone.has(lower(address)));
  switch (report.outcome) {
    case 'sent':
      return whenSent(facts);
    case 'uncertain':
      // A resend (the person's choice) goes to everyone it may not have reached, never to the refused.
      return {
        state: 'uncertain',
        lastReply: report.response,
        lastError: report.error,
        nextAttemptAt: null,
        rejected: facts.rejected,
        pending: stillPending,
      };
    case 'failed':
      // Refused for good: the message (after its final "."), the sender, or every recipient.
      if (report.refusals.length > 0 && report.accepted.length === 0 && !report.finalDotSent)
        return whenEveryoneRefused(facts);
      // "Retry now" would go only to those not refused for good.
      return {
        state: 'failed',
        lastReply: report.response,
        lastError: report.error,
        nextAttemptAt: null,
        rejected: facts.rejected,
        pending: stillPending,
      };
    case 'deferred':
      if (report.refusals.length > 0 && report.accepted.length === 0) return whenEveryoneRefused(facts);
      // Offline is nobody's failure: no step up the backoff, no end of lifetime, a check again soon.
      if (report.error?.code === 'OFFLINE')
        return {
          state: 'deferred',
          lastReply: null,
          lastError: report.error,
          nextAttemptAt: now + OFFLINE_RECHECK_MS,
          unburn: true,
          pauseQueue: true,
        };
      // Waiting for the person to sign in again (or for the provider to answer): no step up the
      // backoff, no end of lifetime; a new sign-in makes it due at once (OutboxRepo.signedInDueNow).
      if (report.error?.code === 'SIGN_IN')
        return {
          state: 'deferred',
          lastReply: null,
          lastError: report.error,
          nextAttemptAt: now + SIGN_IN_RECHECK_MS,
          unburn: true,
        };
      return retryOrGiveUp(facts, stillPending, item.delivered, report.error, report.response);
  }
}

/** The message went: to everyone accepted; the temporarily refused are tried again, the others never. */
function whenSent(facts: Facts): Decision {
  const { item, report, rejected, temporary } = facts;
  const delivered = unique([...item.delivered, ...report.accepted]);
  if (temporary.length > 0) {
    const list = temporary.map((r) => `${r.address} (${r.reply})`).join(', ');
    const why = appError(
      'SMTP_TEMPORARY',
      `Delivered to ${report.accepted.length}; the server asked to try ${list} later.`,
      'Posthorn retries only those recipients.',
    );
    return retryOrGiveUp(
      facts,
      temporary.map((r) => r.address),
      delivered,
      why,
      report.response,
    );
  }
  const lastError =
    rejected.length > 0
      ? appError(
          'SMTP_REJECTED',
          `Sent, but refused for ${rejected.map((r) => `${r.address} (${r.reply})`).join(', ')}.`,
          'Check those addresses; the other recipients got the message and will not get it twice.',
        )
      : null;
  return {
    state: 'sent',
    lastReply: report.response,
    lastError,
    nextAttemptAt: null,
    delivered,
    rejected,
    pending: [],
  };
}

/** Every recipient refused at RCPT: final ones drop out, temporary ones stay pending. */
function whenEveryoneRefused(facts: Facts): Decision {
  const { item, report, rejected, temporary } = facts;
  const gone = new Set(rejected.map((r) => lower(r.address)));
  const pending = item.pending.filter((address) => !gone.has(lower(address)));
  // Recipients refused only for now, or never answered (the connection ended first), are tried again.
  if (pending.length > 0 && (temporary.length > 0 || report.outcome === 'deferred'))
    return retryOrGiveUp(facts, pending, item.delivered, report.error, report.response);
  return {
    state: 'failed',
    lastReply: report.response,
    lastError: report.error,
    nextAttemptAt: null,
    rejected,
    pending: [],
  };
}

/** Deferred with backoff, or failed ("Gave up …") once the next try would be past the message's lifetime. */
function retryOrGiveUp(
  facts: Facts,
  pending: string[],
  delivered: string[],
  reason: Settlement['lastError'],
  reply: string | null,
): Decision {
  const { item, now, rejected } = facts;
  const delay = facts.delayOf(item.attemptCount + 1);
  const next = now + delay;
  if (next <= item.expiresAt)
    return {
      state: 'deferred',
      lastReply: reply,
      lastError: reason,
      nextAttemptAt: next,
      delivered,
      rejected,
      pending,
    };
  const days = Math.max(1, Math.round((item.expiresAt - now + delay) / 86_400_000));
  const lastError = appError(
    'SMTP_TEMPORARY',
    `Gave up: the server kept asking to try later (${reason?.message ?? reply ?? 'temporary failure'}).`,
    `Posthorn retried for about ${plural(days, 'day')}. Check the address or try again later with "Retry now".`,
  );
  return { state: 'failed', lastReply: reply, lastError, nextAttemptAt: null, delivered, rejected, pending };
}
