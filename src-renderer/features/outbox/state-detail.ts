import type { OutboxItem } from '../../../src-main/shared/models.ts';

/** The one line under a message that says where it stands. */
export function stateDetail(item: OutboxItem): string {
  switch (item.state) {
    case 'sent':
      return item.lastReply ? `Accepted: ${item.lastReply}` : 'Accepted by the server';
    case 'failed':
      return `Needs attention: ${item.lastError?.message ?? item.lastReply ?? 'the server refused it'}`;
    case 'uncertain':
      return 'Uncertain: no reply after the message was sent';
    case 'deferred':
      return `Will retry · attempt ${item.attemptCount}${item.lastError ? ` · ${item.lastError.message}` : ''}`;
    case 'sending':
      return `Sending · attempt ${item.attemptCount}`;
    case 'queued':
      return 'Waiting to be sent';
    case 'cancelled':
      return 'Cancelled';
  }
}
