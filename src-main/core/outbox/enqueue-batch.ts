import { AppFailure, appError } from '../../shared/errors.ts';
import type { Db } from '../store/database.ts';
import { durably } from '../store/database.ts';
import type { Spool, SpoolEntry } from '../store/spool.ts';

/** One frozen message on its way into the outbox: its bytes, and the rows that record it. */
export type EnqueueEntry = SpoolEntry & { record: (spoolFile: string) => void };

/**
 * Bounded so that a thousand messages handed in together start going out after the first few
 * dozen are safe, instead of after the last one is.
 */
const MAX_BATCH = 64;

type Waiting = EnqueueEntry & { resolve: (spoolFile: string) => void; reject: (error: Error) => void };

/**
 * Group commit for enqueue. Messages handed in while a write is under way wait for the next
 * one, so a batch (a mail merge, a script through the bridge) costs one flush of the folder
 * and one durable SQLite commit instead of one each per message; a single message still goes
 * at once. Each caller is answered only after its message and row are both on disk.
 */
export class EnqueueBatch {
  private readonly db: Db;
  private readonly spool: Spool;
  private waiting: Waiting[] = [];
  private writing: Promise<void> | null = null;

  constructor(db: Db, spool: Spool) {
    this.db = db;
    this.spool = spool;
  }

  /** Resolves with the spool file's name once the message is durable; rejects if it could not be made so. */
  submit(entry: EnqueueEntry): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.waiting.push({ ...entry, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Writes batches until nobody is waiting; new arrivals during a write form the next batch. */
  private async drain(): Promise<void> {
    // Let the calls made in the same turn join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    const spooled = await this.spool.writeMany(
      batch.map((entry): SpoolEntry =>
        'staged' in entry ? { id: entry.id, staged: entry.staged } : { id: entry.id, bytes: entry.bytes },
      ),
    );
    const ready: { entry: Waiting; spoolFile: string }[] = [];
    spooled.forEach((result, i) => {
      const entry = batch[i] as Waiting;
      if (result.status === 'fulfilled') ready.push({ entry, spoolFile: result.value });
      else
        entry.reject(
          new AppFailure(
            appError(
              'STORE',
              `Posthorn could not save the message to its spool folder: ${(result.reason as Error).message}`,
              'Check that the disk has free space and the data folder can be written to; your message was not queued.',
            ),
          ),
        );
    });
    try {
      durably(this.db, () => {
        for (const { entry, spoolFile } of ready) entry.record(spoolFile);
      });
      for (const { entry, spoolFile } of ready) entry.resolve(spoolFile);
    } catch {
      // One bad row must not sink the others: record them one by one, each on its own.
      for (const { entry, spoolFile } of ready) {
        try {
          durably(this.db, () => entry.record(spoolFile));
          entry.resolve(spoolFile);
        } catch (error) {
          this.spool.remove(spoolFile);
          entry.reject(error as Error);
        }
      }
    }
  }
}
