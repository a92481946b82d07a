import { AppFailure, appError } from '../../shared/errors.ts';
import type { Db } from '../store/database.ts';
import { durably } from '../store/database.ts';
import { Spool, type SpoolEntry } from '../store/spool.ts';
import { storeFailure } from '../store/store-errors.ts';

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
 * one, so a batch (a mail merge, a script through the bridge) costs one durable SQLite commit
 * instead of one per message; a single message still goes at once. A small message's bytes go
 * in that commit with its row, so one flush makes it safe; a larger one is a file, flushed
 * (with its folder, once per batch) before the commit. Each caller is answered only after its
 * message and row are both on disk.
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
        try {
          const refused = await this.write(batch);
          // Locked, full or damaged: the messages behind would meet the same refusal, each batch
          // after its own busy wait with the main thread blocked. They are answered with it now.
          if (refused) for (const entry of this.waiting.splice(0)) this.refuse(entry, refused);
        } catch (error) {
          // Whatever went wrong, nobody is left waiting for an answer (a settled promise ignores it).
          for (const entry of batch) this.refuse(entry, error as Error);
        }
        // Small messages need no file, so a write has nothing to wait for: let the rest of the
        // app (the sender, the page's calls) run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.writing = null;
    }
  }

  /** Writes one batch; returns the error if the store refused it as a whole, else null. */
  private async write(batch: Waiting[]): Promise<Error | null> {
    const ready: { entry: Waiting; spoolFile: string | null }[] = batch
      .filter((entry) => Spool.keptInline(entry))
      .map((entry) => ({ entry, spoolFile: null }));
    const asFiles = batch.filter((entry) => !Spool.keptInline(entry));
    if (asFiles.length > 0) ready.push(...(await this.writeFiles(asFiles)));
    try {
      // Names kept apart from `ready`: if the commit rolls back, the inline copies go with it.
      const names = durably(this.db, () => ready.map((item) => this.store(item.entry, item.spoolFile)));
      ready.forEach((item, i) => this.answer(item.entry, names[i] as string));
      return null;
    } catch (error) {
      if (storeFailure(error)) {
        // Locked, full, damaged or unwritable (store-errors.ts), not one row's constraint: every
        // message would be refused alike, so each is answered at
        // once (instead of each waiting out the busy timeout in turn).
        for (const item of ready) {
          if (item.spoolFile) this.spool.removeFile(item.spoolFile);
          item.entry.reject(error as Error);
        }
        return error as Error;
      }
      // One bad row must not sink the others: record them one by one, each on its own.
      for (const item of ready) {
        try {
          this.answer(
            item.entry,
            durably(this.db, () => this.store(item.entry, item.spoolFile)),
          );
        } catch (error) {
          // A small message's bytes were rolled back with its row; a large one's file goes too.
          if (item.spoolFile) this.spool.removeFile(item.spoolFile);
          item.entry.reject(error as Error);
        }
      }
      return null;
    }
  }

  /** Refused before its row was written: a large message's staged file goes with it. */
  private refuse(entry: Waiting, error: Error): void {
    if ('staged' in entry) this.spool.removeFile(entry.staged);
    entry.reject(error);
  }

  /** In the commit: a small message's bytes (unless its file is written already) and its rows. */
  private store(entry: Waiting, spoolFile: string | null): string {
    const name = spoolFile ?? this.spool.keepInline(entry.id, (entry as { bytes: Buffer }).bytes);
    entry.record(name);
    return name;
  }

  private answer(entry: Waiting, spoolFile: string): void {
    if ('bytes' in entry) this.spool.keepInMemory(spoolFile, entry.bytes);
    entry.resolve(spoolFile);
  }

  /** Larger messages as files, flushed (with their folder) before their rows are committed. */
  private async writeFiles(batch: Waiting[]): Promise<{ entry: Waiting; spoolFile: string }[]> {
    const spooled = await this.spool.writeMany(
      batch.map((entry): SpoolEntry =>
        'staged' in entry ? { id: entry.id, staged: entry.staged } : { id: entry.id, bytes: entry.bytes },
      ),
    );
    const written: { entry: Waiting; spoolFile: string }[] = [];
    spooled.forEach((result, i) => {
      const entry = batch[i] as Waiting;
      if (result.status === 'fulfilled') written.push({ entry, spoolFile: result.value });
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
    return written;
  }
}
