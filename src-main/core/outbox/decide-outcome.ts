import { appError } from '../../shared/errors.ts';
import type { AttemptReport } from '../smtp/attempt-report.ts';
import type { OutboxRecord, Settlement } from './outbox-repo.ts';
import { retryDelay } from './retry-policy.ts';

export const OFFLINE_RECHECK_MS = 30_000;

const unique = (values: readonly string[]) => [...new Set(values)];
const lower = (a: string) => a.toLowerCase();

/**
 * What an attempt means for the message, recipient by recipient. Accepted recipients are
 * never sent to again; 5xx refusals are final; 4xx refusals (and whole-message temporary
 * failures) are retried with backoff until the message's lifetime ends.
 */
export function decideOutcome(
  item: Pick<OutboxRecord, 'pending' | 'delivered' | 'rejected' | 'attemptCount' | 'expiresAt'>,
  report: AttemptReport,
  now: number,
): Omit<Settlement, 'now'> & { unburn?: boolean } {
  const attemptNumber = item.attemptCount + 1;
  const permanent = report.refusals.filter((r) => r.code === null || r.code >= 500);
  const temporary = report.refusals.filter((r) => r.code !== null && r.code >= 400 && r.code < 500);
  const rejected = [...item.rejected, ...permanent.map((r) => ({ address: r.address, reply: r.reply }))];
  const gone = new Set([...permanent.map((r) => lower(r.address))]);

  const retryOrGiveUp = (
    pending: string[],
    delivered: string[],
    reason: Settlement['lastError'],
    reply: string | null,
  ): Omit<Settlement, 'now'> => {
    const next = now + retryDelay(attemptNumber);
    if (next > item.expiresAt) {
      const days = Math.max(1, Math.round((item.expiresAt - now + retryDelay(attemptNumber)) / 86_400_000));
      return {
        state: 'failed',
        lastReply: reply,
        lastError: appError(
          'SMTP_TEMPORARY',
          `Gave up: the server kept asking to try later (${reason?.message ?? reply ?? 'temporary failure'}).`,
          `Posthorn retried for about ${days} day${days === 1 ? '' : 's'}. Check the address or try again later with "Retry now".`,
        ),
        nextAttemptAt: null,
        delivered,
        rejected,
        pending,
      };
    }
    return {
      state: 'deferred',
      lastReply: reply,
      lastError: reason,
      nextAttemptAt: next,
      delivered,
      rejected,
      pending,
    };
  };

  if (report.outcome === 'sent') {
    const delivered = unique([...item.delivered, ...report.accepted]);
    const pending = temporary.map((r) => r.address);
    if (pending.length > 0) {
      const list = temporary.map((r) => `${r.address} (${r.reply})`).join(', ');
      return retryOrGiveUp(
        pending,
        delivered,
        appError(
          'SMTP_TEMPORARY',
          `Delivered to ${report.accepted.length}; the server asked to try ${list} later.`,
          'Posthorn retries only those recipients.',
        ),
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

  if (report.outcome === 'uncertain') {
    return {
      state: 'uncertain',
      lastReply: report.response,
      lastError: report.error,
      nextAttemptAt: null,
      rejected,
      pending: item.pending,
    };
  }

  // Every recipient refused at RCPT: final ones drop out, temporary ones stay pending.
  if (report.refusals.length > 0) {
    const pending = item.pending.filter((address) => !gone.has(lower(address)));
    if (pending.length > 0 && temporary.length > 0)
      return retryOrGiveUp(pending, item.delivered, report.error, report.response);
    return {
      state: 'failed',
      lastReply: report.response,
      lastError: report.error,
      nextAttemptAt: null,
      rejected,
      pending: [],
    };
  }

  // Offline is nobody's failure: no step up the backoff, no end of lifetime, a check again soon.
  if (report.error?.code === 'OFFLINE') {
    return {
      state: 'deferred',
      lastReply: null,
      lastError: report.error,
      nextAttemptAt: now + OFFLINE_RECHECK_MS,
      unburn: true,
    };
  }
  if (report.outcome === 'deferred') return retryOrGiveUp(item.pending, item.delivered, report.error, report.response);
  return { state: 'failed', lastReply: report.response, lastError: report.error, nextAttemptAt: null };
}
