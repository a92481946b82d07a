import path from 'node:path';
import { appError } from '../shared/errors.ts';
import { AccountRepo } from './accounts/account-repo.ts';
import { AccountService } from './accounts/account-service.ts';
import { createSrvResolver } from './accounts/autoconfig.ts';
import { AttachmentStore } from './compose/attachment-store.ts';
import { ComposeService } from './compose/compose-service.ts';
import { DraftRepo } from './compose/draft-repo.ts';
import { createMailDomainResolver, type MailDomainResolver } from './compose/mail-domain.ts';
import { RecipientHistory } from './compose/recipient-history.ts';
import type { CoreOptions } from './create-core.ts';
import { EventHub } from './events.ts';
import { AttemptStore } from './logs/attempt-store.ts';
import { LogSearch } from './logs/log-search.ts';
import { LogsService } from './logs/logs-service.ts';
import { OAuthService } from './oauth/oauth-service.ts';
import { DEFAULT_POOL } from './outbox/connection-pool.ts';
import { OutboxRepo } from './outbox/outbox-repo.ts';
import { OutboxSender } from './outbox/outbox-sender.ts';
import { OutboxService } from './outbox/outbox-service.ts';
import { SettingsRepo } from './settings/settings-repo.ts';
import { startCheckpointer } from './store/checkpointer.ts';
import { DATABASE_FILE, openDatabase, type Db } from './store/database.ts';
import { Spool } from './store/spool.ts';

const HOUR_MS = 60 * 60 * 1000;

/** The nth wait from a fixed list, the last one repeating. */
const fixedDelays = (delays: readonly number[]) => (attemptNumber: number) =>
  delays[Math.min(attemptNumber, delays.length) - 1] ?? delays.at(-1) ?? 60_000;

/** The database, its checkpoint thread and the spool: what must be closed, in this order, last. */
export type Store = { db: Db; spool: Spool; close(): Promise<void> };

export function openStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  const stopCheckpointer = startCheckpointer(db, path.join(dataDir, DATABASE_FILE));
  const spool = new Spool(dataDir, db);
  return {
    db,
    spool,
    close: async () => {
      await stopCheckpointer();
      spool.close();
      db.close();
    },
  };
}

/** The page (a banner, the account card) and the desktop (a notification) hear it once. */
function sayWhoMustSignIn(repo: AccountRepo, events: EventHub, accountId: string): void {
  const account = repo.find(accountId);
  if (account?.signInNeeded)
    events.emit({
      name: 'account.signInNeeded',
      payload: { id: account.id, name: account.name, message: account.signInNeeded.message },
    });
}

/** Direct delivery's ports (25 and 443 unless tests say otherwise) and its MTA-STS policy cache. */
function directDelivery(options: CoreOptions, resolver: MailDomainResolver, now: () => number) {
  return {
    resolver,
    port: options.directDeliveryPort ?? 25,
    sts: { port: options.mtaStsPort ?? 443, now, cache: new Map() },
  };
}

/** Every part of the core, wired once. */
export type Services = ReturnType<typeof createServices>;

/** Sign-ins and access tokens: the built-in providers, plus any the options add (tests, a custom one). */
function oauthFor(options: CoreOptions, now: () => number): OAuthService {
  return new OAuthService({
    env: options.env ?? process.env,
    now,
    ...(options.oauthProviders ? { providers: options.oauthProviders } : {}),
  });
}

export function createServices(options: CoreOptions, store: Store, reportStoreTrouble: (error: unknown) => void) {
  const { db, spool } = store;
  const now = options.now ?? Date.now;
  const trustedCertificates = options.trustedCertificates ?? [];
  const events = new EventHub();
  const settings = new SettingsRepo(db);
  const attempts = new AttemptStore(db);
  const search = new LogSearch(db);
  const outboxRepo = new OutboxRepo(db);
  const accountRepo = new AccountRepo(db);
  const oauth = oauthFor(options, now);
  const accounts = new AccountService({
    oauth,
    repo: accountRepo,
    secrets: options.secrets,
    now,
    resolver: createSrvResolver(options.dnsServers),
    trustedCertificates,
    cancelMessages: (accountId, reason) => {
      const why = appError(
        'CONFLICT',
        reason,
        'Write the message again from another account if it should still go out.',
      );
      const ids = outboxRepo.cancelWaiting(accountId, why, now());
      for (const id of ids) events.emit({ name: 'outbox.changed', payload: { id, state: 'cancelled' } });
      return ids.length;
    },
    onChanged: (accountId) => sender.accountChanged(accountId),
    onSignInNeeded: (accountId) => sayWhoMustSignIn(accountRepo, events, accountId),
  });
  const context = { db, repo: outboxRepo, attempts, accounts, spool, events, search, now };
  const resolver = createMailDomainResolver(options.dnsServers);
  const sender = new OutboxSender({
    ...context,
    direct: directDelivery(options, resolver, now),
    trustedCertificates,
    maxConnections: () => options.maxConnections ?? settings.get().maxConnections,
    reportStoreTrouble,
    ...(options.retryDelaysMs?.length ? { retryDelay: fixedDelays(options.retryDelaysMs) } : {}),
    pool: {
      ...DEFAULT_POOL,
      maxMessagesPerConnection: options.messagesPerConnection ?? DEFAULT_POOL.maxMessagesPerConnection,
    },
  });
  const attachments = new AttachmentStore(db, options.dataDir, now);
  const drafts = new DraftRepo(db);
  const compose = new ComposeService({ accounts, attachments, resolver, trustedCertificates });
  const outbox = new OutboxService({
    ...context,
    compose,
    drafts,
    kick: () => sender.kick(),
    warm: (accountId, messageId, dueAt) => sender.warm(accountId, messageId, dueAt),
    lifetimeMs: () => options.outboxLifetimeMs ?? settings.get().retryHours * HOUR_MS,
    undoSeconds: () => settings.get().undoSeconds,
  });
  const logs = new LogsService({ repo: outboxRepo, attempts, accounts, spool, search });
  const recipients = new RecipientHistory(db);
  return {
    now,
    events,
    oauth,
    settings,
    attempts,
    search,
    outboxRepo,
    accountRepo,
    accounts,
    sender,
    attachments,
    drafts,
    compose,
    outbox,
    logs,
    recipients,
  };
}
