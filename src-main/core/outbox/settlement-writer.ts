import type { Db } from '../store/database.ts';

/** An attempt's outcome: the rows to write, then what follows once they are written. */
export type Settlement = { write: () => void; after: () => void };

/** After the store refused a write (locked, full), how long before the sender tries again. */
export const STORE_RETRY_MS = 2000;

/**
 * Writes attempts' outcomes. Each waits to share a commit: the next claim takes the waiting ones
 * into its own transaction (one commit per message while a batch goes out, not two), and
 * whatever no claim took is written on the next turn of the event loop. A write the store
 * refuses is kept and tried again after STORE_RETRY_MS: an outcome is never dropped, and until
 * it is written its message stays "sending", which recovery settles correctly after a crash.
 */
export class SettlementWriter {
  private readonly db: Db;
  private readonly onStoreTrouble: (error: unknown) => void;
  private waiting: Settlement[] = [];
  private written: Promise<void> | null = null;

  constructor(db: Db, onStoreTrouble: (error: unknown) => void) {
    this.db = db;
    this.onStoreTrouble = onStoreTrouble;
  }

  /** Resolves once this outcome (with any others waiting) is in the store. */
  queue(settlement: Settlement): Promise<void> {
    this.waiting.push(settlement);
    this.written ??= new Promise<void>((resolve) => {
      const attempt = () => {
        try {
          this.writeWaiting();
          resolve();
        } catch (error) {
          this.onStoreTrouble(error);
          setTimeout(attempt, STORE_RETRY_MS).unref();
        }
      };
      setImmediate(attempt);
    });
    return this.written;
  }

  /**
   * Runs `write` in one transaction together with every waiting outcome, then their `after`s.
   * If the store refuses, nothing is lost: the outcomes wait again and the error is thrown.
   */
  writeWith(write: () => void): void {
    for (const settlement of this.commit(write)) settlement.after();
  }

  private writeWaiting(): void {
    const written = this.waiting.length > 0 ? this.commit(() => undefined) : [];
    // Cleared before the afters run: an outcome queued by one of them needs a write of its own.
    this.written = null;
    for (const settlement of written) settlement.after();
  }

  private commit(write: () => void): Settlement[] {
    const taken = this.waiting;
    this.waiting = [];
    try {
      this.db.transaction(() => {
        for (const settlement of taken) settlement.write();
        write();
      })();
    } catch (error) {
      this.waiting.unshift(...taken);
      throw error;
    }
    return taken;
  }
}
