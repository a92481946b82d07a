import type { OutboxItem } from './schemas/outbox.ts';

/**
 * A message the person should look at: it failed, nobody knows whether it arrived, or it went
 * but some recipients were refused for good (issue 18: that is not a plain "Sent").
 */
export function needsAttention(item: Pick<OutboxItem, 'state' | 'rejected'>): boolean {
  return item.state === 'failed' || item.state === 'uncertain' || (item.state === 'sent' && item.rejected.length > 0);
}
