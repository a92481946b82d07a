import { appError } from '../../shared/errors.ts';
import type { AttemptStore } from '../logs/attempt-store.ts';
import type { Db } from '../store/database.ts';
import type { OutboxRepo } from './outbox-repo.ts';

/**
 * After a crash, a message left in `sending` goes back to the queue if its last attempt never
 * sent the final `.`, and becomes `uncertain` if it did (it may have been delivered).
 */
export function recoverInterruptedSends(db: Db, repo: OutboxRepo, attempts: AttemptStore, now: number): number {
  const interrupted = repo.inState('sending');
  db.transaction(() => {
    for (const item of interrupted) {
      const last = attempts.latestFor(item.id);
      if (last?.finalDotSent) {
        repo.settle(item.id, {
          state: 'uncertain',
          lastReply: null,
          lastError: appError('SMTP_UNCERTAIN', 'Posthorn stopped after the message was sent but before the server confirmed it.', 'It may have been delivered. Check with a recipient before resending.'),
          nextAttemptAt: null,
          now,
        });
      } else {
        repo.settle(item.id, { state: 'queued', lastReply: item.lastReply, lastError: item.lastError, nextAttemptAt: now, now });
      }
    }
  })();
  return interrupted.length;
}
