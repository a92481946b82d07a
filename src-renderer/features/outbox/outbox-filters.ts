import { needsAttention } from '../../../src-main/shared/attention.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';

const RECENT_MS = 60 * 60 * 1000;

/**
 * The Outbox holds what is on its way or needs attention, and, for an hour, what just finished
 * (so a person can watch a message go out). The Sent view pages through the logs instead.
 */
export function outboxItems(items: readonly OutboxItem[], now: number): OutboxItem[] {
  return items.filter(
    (item) => (item.state !== 'sent' && item.state !== 'cancelled') || now - item.updatedAt < RECENT_MS,
  );
}

export function needingAttention(items: readonly OutboxItem[]): number {
  return items.filter(needsAttention).length;
}
