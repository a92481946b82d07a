import { readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { appError } from '../../shared/errors.ts';
import type { AttemptStore } from '../logs/attempt-store.ts';
import type { Db } from '../store/database.ts';
import { privateFolder } from '../store/private-files.ts';
import type { Spool } from '../store/spool.ts';
import type { OutboxRepo } from './outbox-repo.ts';

export type RecoveryReport = { requeued: number; uncertain: number; missingSpool: number; orphanFiles: number };

const ACTIVE = new Set(['queued', 'sending', 'deferred', 'uncertain']);

/**
 * Run on every start, before sending. A message left in `sending` goes back to the queue if its
 * last attempt never sent the final `.`, and becomes `uncertain` if it did. A waiting message
 * whose spooled copy is gone (its file, for a large one) fails with an explanation. A spool file without a row (a crash
 * between the two writes) is moved aside to spool/orphaned/, never deleted.
 */
export function recoverOutbox(
  db: Db,
  repo: OutboxRepo,
  attempts: AttemptStore,
  spool: Spool,
  now: number,
): RecoveryReport {
  const report: RecoveryReport = { requeued: 0, uncertain: 0, missingSpool: 0, orphanFiles: 0 };
  db.transaction(() => {
    for (const item of repo.inState('sending')) {
      const last = attempts.latestFor(item.id);
      if (last?.finalDotSent) {
        report.uncertain++;
        repo.settle(item.id, {
          state: 'uncertain',
          lastReply: null,
          lastError: appError(
            'SMTP_UNCERTAIN',
            'Posthorn stopped after the message was sent but before the server confirmed it.',
            'It may have been delivered. Check with a recipient, then choose "Resend" or "Mark as sent".',
          ),
          nextAttemptAt: null,
          now,
        });
      } else {
        report.requeued++;
        repo.settle(item.id, {
          state: 'queued',
          lastReply: item.lastReply,
          lastError: item.lastError,
          nextAttemptAt: now,
          now,
        });
      }
    }
    for (const row of repo.activeSpoolFiles()) {
      if (ACTIVE.has(row.state) && !spool.has(row.spoolFile)) {
        report.missingSpool++;
        repo.transition(row.id, ['queued', 'deferred', 'uncertain'], 'failed', now, {
          lastError: appError(
            'SPOOL_MISSING',
            'The saved copy of this message is missing (neither in the database nor in the spool folder), so it cannot be sent.',
            'Use "Edit as new" to write it again.',
          ),
          nextAttemptAt: null,
        });
      }
    }
  })();
  for (const name of readdirSync(spool.dir)) {
    if (!name.endsWith('.eml') || repo.hasSpoolFile(name)) continue;
    const aside = path.join(spool.dir, 'orphaned');
    privateFolder(aside);
    renameSync(path.join(spool.dir, name), path.join(aside, name));
    report.orphanFiles++;
  }
  return report;
}
