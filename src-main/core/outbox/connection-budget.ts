import type { ConnectionPool } from './connection-pool.ts';
import type { ConnectionWarmer } from './connection-warmer.ts';
import { TtlCache } from './ttl-cache.ts';

/**
 * What a due message may do now: take an idle connection (or the one being opened ahead for
 * its account), open one, open one after closing another account's idle connection, or wait.
 */
export type Admission = 'reuse' | 'open' | 'evict' | 'full';

/** A message's hold on a connection place, given back as soon as its SMTP part ends. */
export type Lease = { release(): void; evicted(): void };

type BudgetDeps = {
  pool: ConnectionPool;
  warmer: ConnectionWarmer;
  /** At most this many connections at once across all accounts (read each time: the person may change it). */
  maxConnections: () => number;
  /** An account's own limit (providers limit connections). */
  accountLimit: (accountId: string) => number;
};

/**
 * The connection limits in one place. Open connections are counted everywhere they can be:
 * in use by a message, idle in the pool, being closed to make room, and being opened ahead.
 * The global limit counts them all; each account's limit counts the ones its messages use.
 */
export class ConnectionBudget {
  private readonly deps: BudgetDeps;
  private readonly limits: TtlCache<string, number>;
  /** Connections in use by a message right now, in all and per account. */
  private inUse = 0;
  private readonly inUseBy = new Map<string, number>();
  /** Idle connections being closed to make room under the global limit. */
  private evicting = 0;

  constructor(deps: BudgetDeps) {
    this.deps = deps;
    this.limits = new TtlCache(1000, deps.accountLimit);
  }

  get used(): number {
    return this.inUse;
  }

  /** Whether another message may start at all. */
  hasRoom(): boolean {
    return this.inUse < this.deps.maxConnections();
  }

  /** Connections open or opening: in use, idle, being closed to make room, or opened ahead. */
  openConnections(): number {
    return this.inUse + this.deps.pool.idleTotal() + this.evicting + this.deps.warmer.inProgress;
  }

  /** The one answer for a message of this account (null: its account is gone, it needs no connection). */
  canOpen(accountId: string | null): Admission {
    if (!this.hasRoom()) return 'full';
    if (accountId === null) return 'open';
    if (this.deps.pool.idleCount(accountId) > 0 || this.deps.warmer.has(accountId)) return 'reuse';
    if (this.openConnections() < this.deps.maxConnections()) return 'open';
    // Full of idle connections of other accounts: close one of those to make room.
    return this.deps.pool.idleTotal() - this.deps.pool.idleCount(accountId) > 0 ? 'evict' : 'full';
  }

  /** Whether a connection may be opened ahead for the account: it has none at all, and there is room. */
  canOpenAhead(accountId: string): boolean {
    return (this.inUseBy.get(accountId) ?? 0) === 0 && this.canOpen(accountId) === 'open';
  }

  /** Accounts already using all the connections they may have. */
  fullAccounts(): string[] {
    return [...this.inUseBy].filter(([id, count]) => id !== '' && count >= this.limits.get(id)).map(([id]) => id);
  }

  /** Takes a place for a message of this account (`evicting`: after closing another account's idle connection). */
  take(accountId: string | null, evicting: boolean): Lease {
    const key = accountId ?? '';
    this.inUse++;
    this.inUseBy.set(key, (this.inUseBy.get(key) ?? 0) + 1);
    if (evicting) this.evicting++;
    let released = false;
    let evicted = !evicting;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inUse--;
        this.inUseBy.set(key, (this.inUseBy.get(key) ?? 1) - 1);
      },
      evicted: () => {
        if (evicted) return;
        evicted = true;
        this.evicting--;
      },
    };
  }
}
