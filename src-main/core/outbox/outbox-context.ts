import type { AccountService } from '../accounts/account-service.ts';
import type { EventHub } from '../events.ts';
import type { AttemptStore } from '../logs/attempt-store.ts';
import type { LogSearch } from '../logs/log-search.ts';
import type { Db } from '../store/database.ts';
import type { Spool } from '../store/spool.ts';
import type { OutboxRepo } from './outbox-repo.ts';

/** What the outbox's parts share: the store, the spool, accounts, events and the clock. */
export type OutboxContext = {
  db: Db;
  repo: OutboxRepo;
  attempts: AttemptStore;
  accounts: AccountService;
  spool: Spool;
  events: EventHub;
  search: LogSearch;
  now: () => number;
};
