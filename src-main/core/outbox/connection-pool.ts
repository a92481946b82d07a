import type { SmtpSession } from '../smtp/smtp-session.ts';

export type PoolOptions = {
  /** An idle connection is closed (QUIT) after this long. */
  idleMs: number;
  /** A connection is retired after this many messages, to be polite to providers. */
  maxMessagesPerConnection: number;
};

export const DEFAULT_POOL: PoolOptions = { idleMs: 15_000, maxMessagesPerConnection: 100 };

type Idle = { session: SmtpSession; timer: NodeJS.Timeout };

/**
 * Open, logged-in SMTP connections kept between messages, per account. A connection is reused
 * only for the same server settings (`key`); one that broke or was refused is never reused.
 * Counting (how many are open per account) is the sender's job; this only keeps idle ones.
 */
export class ConnectionPool {
  private readonly idle = new Map<string, Idle[]>();
  /** Connections saying goodbye (QUIT, at most 2 s): closing the app waits for them. */
  private readonly quitting = new Set<Promise<void>>();
  private readonly options: PoolOptions;

  constructor(options: PoolOptions = DEFAULT_POOL) {
    this.options = options;
  }

  /** An idle, healthy connection for this account and these settings, if there is one. */
  take(accountId: string, key: string): SmtpSession | undefined {
    const list = this.idle.get(accountId) ?? [];
    while (list.length > 0) {
      const entry = list.pop() as Idle;
      clearTimeout(entry.timer);
      if (entry.session.alive && entry.session.key === key) return entry.session;
      void this.retire(entry.session);
    }
    return undefined;
  }

  /** Back after a message: kept for the next one, or closed if it is broken, old or tired. */
  give(accountId: string, session: SmtpSession): void {
    if (!session.alive || session.messages >= this.options.maxMessagesPerConnection) {
      void this.retire(session);
      return;
    }
    const list = this.idle.get(accountId) ?? [];
    const timer = setTimeout(() => {
      const index = list.findIndex((entry) => entry.session === session);
      if (index >= 0) list.splice(index, 1);
      void this.retire(session);
    }, this.options.idleMs);
    timer.unref();
    list.push({ session, timer });
    this.idle.set(accountId, list);
  }

  /** Closes every idle connection of the account (its settings changed). */
  closeIdle(accountId: string): void {
    const list = this.idle.get(accountId) ?? [];
    this.idle.delete(accountId);
    for (const entry of list) {
      clearTimeout(entry.timer);
      void this.retire(entry.session);
    }
  }

  idleCount(accountId: string): number {
    return this.idle.get(accountId)?.length ?? 0;
  }

  idleTotal(): number {
    let total = 0;
    for (const list of this.idle.values()) total += list.length;
    return total;
  }

  /**
   * Closes one idle connection of another account (the longest idle), to make room under the
   * global limit; resolves when it is closed. False if there was none.
   */
  async evictOther(accountId: string): Promise<boolean> {
    for (const [owner, list] of this.idle) {
      if (owner === accountId || list.length === 0) continue;
      const entry = list.shift() as Idle;
      clearTimeout(entry.timer);
      await this.retire(entry.session);
      return true;
    }
    return false;
  }

  /**
   * Closes every idle connection, and waits for those already saying goodbye: their last lines
   * (QUIT, 221) belong in the transcript of the message they carried, written before the store
   * closes.
   */
  async closeAll(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    for (const entry of all) clearTimeout(entry.timer);
    await Promise.all([...all.map((entry) => this.retire(entry.session)), ...this.quitting]);
  }

  /** Says goodbye on a connection that is not kept (QUIT); `closeAll` waits for it. */
  retire(session: SmtpSession): Promise<void> {
    const done = session.quit().finally(() => this.quitting.delete(done));
    this.quitting.add(done);
    return done;
  }
}
