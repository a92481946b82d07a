import type { OutboxState } from '../../../src-main/shared/schemas/outbox.ts';

/** State as icon and word: never colour alone. */
const LOOK: Record<OutboxState, { icon: string; word: string }> = {
  queued: { icon: '◷', word: 'Queued' },
  sending: { icon: '↻', word: 'Sending' },
  sent: { icon: '✓', word: 'Sent' },
  deferred: { icon: '⏸', word: 'Retrying' },
  failed: { icon: '!', word: 'Failed' },
  uncertain: { icon: '?', word: 'Uncertain' },
  cancelled: { icon: '×', word: 'Cancelled' },
};

export function StateBadge({ state }: { state: OutboxState }) {
  const look = LOOK[state];
  return (
    <span className={`state state-${state}`}>
      <span aria-hidden="true" className="state-icon">
        {look.icon}
      </span>
      {look.word}
    </span>
  );
}
