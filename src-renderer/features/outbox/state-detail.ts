import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { formatCountdown } from '../../components/use-now.ts';

const WAIT_FOR_UNDO_MS = 60_000;

/** The one line under a message that says where it stands. */
export function stateDetail(item: OutboxItem, now: number): string {
  const due = item.nextAttemptAt ?? now;
  switch (item.state) {
    case 'sent':
      return item.rejected.length > 0
        ? `Sent to ${item.delivered.length}; refused for ${item.rejected.map((r) => r.address).join(', ')}`
        : item.lastReply
          ? `Accepted: ${item.lastReply}`
          : 'Accepted by the server';
    case 'failed':
      return `Needs attention: ${item.lastReply ?? item.lastError?.message ?? 'the server refused it'}`;
    case 'uncertain':
      return 'Uncertain: no reply after the message was sent';
    case 'deferred':
      // Not the server's doing: the message goes as soon as the person signs in again.
      if (item.lastError?.code === 'SIGN_IN')
        return `Waiting for you to sign in again (Accounts) · ${item.lastError.message}`;
      return `Retrying in ${formatCountdown(due - now)} · attempt ${item.attemptCount}${item.lastReply ? ` · ${item.lastReply}` : ''}`;
    case 'sending':
      return `Sending · attempt ${item.attemptCount}`;
    case 'queued':
      if (due - now > WAIT_FOR_UNDO_MS) return `Scheduled for ${new Date(due).toLocaleString()}`;
      return due > now ? `Sending in ${formatCountdown(due - now)}` : 'Waiting to be sent';
    case 'cancelled':
      return item.lastError?.message ?? 'Cancelled';
  }
}

export function needsClock(items: readonly OutboxItem[]): boolean {
  return items.some((item) => item.state === 'deferred' || item.state === 'queued');
}
