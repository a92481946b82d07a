import {
  AlertTriangle,
  Ban,
  CalendarClock,
  CheckCircle2,
  CircleHelp,
  Clock,
  Hourglass,
  KeyRound,
  Loader,
  OctagonAlert,
  type LucideIcon,
} from 'lucide-react';
import type { OutboxItem, OutboxState } from '../../../src-main/shared/schemas/outbox.ts';

/** The word for each state, the same in badges and in the Logs' state filter. */
export const STATE_WORDS: Record<OutboxState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  deferred: 'Retrying',
  failed: 'Failed',
  uncertain: 'Uncertain',
  cancelled: 'Cancelled',
};

type BadgeFacts = Pick<OutboxItem, 'state' | 'rejected' | 'nextAttemptAt' | 'updatedAt'> &
  Partial<Pick<OutboxItem, 'lastError'>>;

/** How a message's state is shown: an icon and a word (never colour alone), and the look's class. */
export type Badge = { icon: LucideIcon; word: string; look: string };

/**
 * Mail queued to go more than this after it was queued was scheduled (send later), not just
 * held for its undo delay (at most 30 s). Measured from when it was queued, so the badge does not
 * change as time passes.
 */
const SCHEDULED_AFTER_MS = 60_000;

/**
 * The badge of a message. A sent message with refused recipients is "Sent, 2 refused" in the
 * warning look, not a green "Sent"; one scheduled for later reads "Scheduled", not "Queued".
 */
export function badgeOf(item: BadgeFacts): Badge {
  switch (item.state) {
    case 'queued':
      return item.nextAttemptAt !== null && item.nextAttemptAt - item.updatedAt > SCHEDULED_AFTER_MS
        ? { icon: CalendarClock, word: 'Scheduled', look: 'queued' }
        : { icon: Clock, word: STATE_WORDS.queued, look: 'queued' };
    case 'sending':
      return { icon: Loader, word: STATE_WORDS.sending, look: 'sending' };
    case 'sent':
      return item.rejected.length > 0
        ? { icon: AlertTriangle, word: `Sent, ${item.rejected.length} refused`, look: 'partly' }
        : { icon: CheckCircle2, word: STATE_WORDS.sent, look: 'sent' };
    case 'deferred':
      // Waiting for the person to sign in again (issue 20), not for the server.
      return item.lastError?.code === 'SIGN_IN'
        ? { icon: KeyRound, word: 'Needs sign-in', look: 'deferred' }
        : { icon: Hourglass, word: STATE_WORDS.deferred, look: 'deferred' };
    case 'failed':
      return { icon: OctagonAlert, word: STATE_WORDS.failed, look: 'failed' };
    case 'uncertain':
      return { icon: CircleHelp, word: STATE_WORDS.uncertain, look: 'uncertain' };
    case 'cancelled':
      return { icon: Ban, word: STATE_WORDS.cancelled, look: 'cancelled' };
  }
}

export function StateBadge({ item }: { item: BadgeFacts }) {
  const badge = badgeOf(item);
  const Icon = badge.icon;
  return (
    <span className={`state state-${badge.look}`}>
      <Icon aria-hidden="true" className="state-icon" size={14} strokeWidth={2.25} />
      {badge.word}
    </span>
  );
}
