import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { contract, type Contract } from '../shared/contract.ts';
import { createDispatcher, type Dispatch, type Handlers } from '../shared/dispatch.ts';
import { appError, fail } from '../shared/errors.ts';
import type { AppInfo } from '../shared/schemas/app.ts';
import type { Attachment, Draft } from '../shared/schemas/compose.ts';
import { AccountRepo } from './accounts/account-repo.ts';
import { AccountService } from './accounts/account-service.ts';
import { createSrvResolver } from './accounts/autoconfig.ts';
import { AttachmentStore } from './compose/attachment-store.ts';
import { ComposeService } from './compose/compose-service.ts';
import { DraftRepo } from './compose/draft-repo.ts';
import { createMailDomainResolver } from './compose/mail-domain.ts';
import { importMessageFile } from './compose/message-import.ts';
import { RecipientHistory } from './compose/recipient-history.ts';
import { EventHub, type EventListener } from './events.ts';
import { AttemptStore } from './logs/attempt-store.ts';
import { LogSearch } from './logs/log-search.ts';
import { DEFAULT_POOL } from './outbox/connection-pool.ts';
import { OutboxRepo } from './outbox/outbox-repo.ts';
import { OutboxSender } from './outbox/outbox-sender.ts';
import { OutboxService } from './outbox/outbox-service.ts';
import { recoverOutbox } from './outbox/recover.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { SettingsRepo } from './settings/settings-repo.ts';
import { startCheckpointer } from './store/checkpointer.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { DATABASE_FILE, openDatabase } from './store/database.ts';
import { Spool } from './store/spool.ts';
import { asStoreFailure } from './store/store-errors.ts';

const HOUR_MS = 60 * 60 * 1000;

export type CoreOptions = {
  dataDir: string;
  secrets: SecretStore;
  mode: AppInfo['mode'];
  /** PEM certificates to trust in addition to the system's (a private CA, a test server). */
  trustedCertificates?: readonly string[];
  now?: () => number;
  version?: string;
  /**
   * SMTP connections at once across all accounts, fixed (tests, benchmarks); without it the
   * person's setting applies (8 by default). Each account also has its own limit.
   */
  maxConnections?: number;
  /** Messages sent over one connection before it is retired (100 by default, as nodemailer's pool does). */
  messagesPerConnection?: number;
  /**
   * How long a message keeps retrying before it fails, fixed (tests); without it the person's setting (3 days by
   * default).
   */
  outboxLifetimeMs?: number;
  /** DNS servers for SRV autoconfig ("127.0.0.1:5353"); the system's when absent. */
  dnsServers?: readonly string[];
  /** Opens the OS file dialog and resolves with the chosen paths (the desktop app); absent elsewhere. */
  pickFiles?: () => Promise<string[]>;
  /** Where unexpected errors go (the console by default); never secrets, only error objects. */
  reportUnexpected?: (channel: string, error: unknown) => void;
};

export type Core = {
  dispatch: Dispatch<Contract>;
  subscribe(listener: EventListener): () => void;
  /** Resolves when the sender has nothing in flight (tests and orderly shutdown). */
  idle(): Promise<void>;
  /** Look for due mail now: after the machine wakes, the network returns, or a clock jump. */
  wake(): void;
  /** A file uploaded by the browser (streamed into the data folder); not a dispatch channel, being binary. */
  addAttachment(name: string, type: string, stream: Readable, size?: number): Promise<Attachment>;
  /** A file dropped on the desktop window: its path comes from the preload, never typed by the page. */
  addAttachmentFile(filePath: string): Promise<Attachment>;
  /** A saved message (.eml) the OS asked the desktop app to open: it becomes a draft. */
  importMessageFile(filePath: string): Promise<Draft>;
  close(): Promise<void>;
};

/** The nearest package.json above this file (src-main/ in development, dist/main/ when built). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'posthorn' && pkg.version) return pkg.version;
    } catch {
      // try the next level up
    }
  }
  return '0.0.0';
}

/**
 * The composition root: everything Posthorn does, with no knowledge of Electron or HTTP. The
 * data folder is taken for this process first (another Posthorn on it is refused), and given
 * back if opening fails.
 */
export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const releaseFolder = lockDataDir(options.dataDir);
  try {
    return assembleCore(options, releaseFolder);
  } catch (error) {
    releaseFolder();
    throw asStoreFailure(error);
  }
}

/** Every store failure inside a call (disk full, database locked or damaged) answered as STORE with what to do. */
function withStoreErrors(handlers: Handlers<Contract>): Handlers<Contract> {
  const wrapped: Record<string, (input: never) => unknown> = {};
  for (const [channel, handler] of Object.entries(handlers) as [string, (input: never) => unknown][]) {
    wrapped[channel] = async (input: never) => {
      try {
        return await handler(input);
      } catch (error) {
        throw asStoreFailure(error);
      }
    };
  }
  return wrapped as Handlers<Contract>;
}

function assembleCore(options: CoreOptions, releaseFolder: () => void): Core {
  const now = options.now ?? Date.now;
  const reportUnexpected =
    options.reportUnexpected ??
    ((channel: string, error: unknown) => console.error(`[posthorn] ${channel} failed unexpectedly:`, error));
  const db = openDatabase(options.dataDir);
  const stopCheckpointer = startCheckpointer(db, path.join(options.dataDir, DATABASE_FILE));
  const spool = new Spool(options.dataDir);
  const events = new EventHub();
  const accountRepo = new AccountRepo(db);
  const settings = new SettingsRepo(db);
  const attempts = new AttemptStore(db);
  const search = new LogSearch(db);
  const outboxRepo = new OutboxRepo(db);
  const accounts = new AccountService({
    repo: accountRepo,
    secrets: options.secrets,
    now,
    resolver: createSrvResolver(options.dnsServers),
    trustedCertificates: options.trustedCertificates ?? [],
    cancelMessages: (accountId, reason) => {
      const ids = outboxRepo.cancelWaiting(
        accountId,
        appError('CONFLICT', reason, 'Write the message again from another account if it should still go out.'),
        now(),
      );
      for (const id of ids) events.emit({ name: 'outbox.changed', payload: { id, state: 'cancelled' } });
      return ids.length;
    },
  });
  const sender = new OutboxSender({
    db,
    repo: outboxRepo,
    attempts,
    accounts,
    spool,
    events,
    search,
    now,
    trustedCertificates: options.trustedCertificates ?? [],
    maxConnections: () => options.maxConnections ?? settings.get().maxConnections,
    reportStoreTrouble: (error) => reportUnexpected('outbox (the store refused a write; retrying)', error),
    pool: {
      ...DEFAULT_POOL,
      maxMessagesPerConnection: options.messagesPerConnection ?? DEFAULT_POOL.maxMessagesPerConnection,
    },
  });
  const attachments = new AttachmentStore(db, options.dataDir, now);
  const drafts = new DraftRepo(db);
  const recipients = new RecipientHistory(db);
  const compose = new ComposeService({
    accounts,
    attachments,
    resolver: createMailDomainResolver(options.dnsServers),
    trustedCertificates: options.trustedCertificates ?? [],
  });
  const outbox = new OutboxService({
    db,
    repo: outboxRepo,
    attempts,
    accounts,
    spool,
    events,
    search,
    now,
    compose,
    drafts,
    kick: () => sender.kick(),
    warm: (accountId, messageId, dueAt) => sender.warm(accountId, messageId, dueAt),
    lifetimeMs: () => options.outboxLifetimeMs ?? settings.get().retryHours * HOUR_MS,
  });
  const version = options.version ?? packageVersion();

  const handlers: Handlers<Contract> = {
    'app.info': () => ({
      version,
      mode: options.mode,
      dataDir: options.dataDir,
      secretBackend: options.secrets.backend,
    }),
    'app.wake': () => {
      sender.wake();
      return { woke: true };
    },
    'accounts.list': () => accounts.list(),
    'accounts.save': (input) => accounts.save(input),
    'accounts.delete': (input) => accounts.delete(input.id, input.queuedMail),
    'accounts.duplicate': (input) => accounts.duplicate(input.id),
    'accounts.autoconfig': (input) => accounts.autoconfig(input.email),
    'accounts.test': (input) => accounts.test(input),
    'outbox.enqueue': (input) => outbox.enqueue(input),
    'outbox.list': () => outbox.list(),
    'logs.search': (input) => outbox.search(input),
    'logs.export': (input) => outbox.export(input),
    'outbox.get': (input) => outbox.get(input.id),
    'outbox.undo': (input) => outbox.undo(input.id),
    'outbox.retryNow': (input) => outbox.retryNow(input.id),
    'outbox.cancel': (input) => outbox.cancel(input.id),
    'outbox.resend': (input) => outbox.resend(input.id),
    'outbox.markSent': (input) => outbox.markSent(input.id),
    'attempts.transcript': (input) => outbox.transcript(input.attemptId),
    'drafts.save': (input) => drafts.save(input.id ?? randomUUID(), input.content, now()),
    'drafts.list': () => drafts.list(),
    'drafts.get': (input) =>
      drafts.get(input.id) ??
      fail('NOT_FOUND', 'That draft is no longer there.', 'It was sent or discarded; refresh the drafts list.'),
    'drafts.delete': (input) => ({ deleted: drafts.remove(input.id) }),
    'attachments.pick': async () => {
      if (!options.pickFiles)
        fail(
          'UNSUPPORTED',
          'This window cannot open the file dialog.',
          'Drag the files onto the message, or use "Add files".',
        );
      const paths = await options.pickFiles();
      const added = [];
      for (const filePath of paths) added.push(await attachments.addPath(filePath));
      return added;
    },
    'attachments.remove': (input) => ({ removed: attachments.remove(input.id) }),
    'attachments.preview': (input) => attachments.preview(input.id),
    'compose.check': (input) => compose.check(input),
    'compose.preview': (input) => compose.preview(input),
    'compose.dryRun': (input) => compose.dryRun(input),
    'compose.recipients': (input) => recipients.suggest(input.prefix),
    'settings.get': () => settings.get(),
    'settings.save': (input) => {
      const saved = settings.save(input);
      sender.kick(); // a higher connection limit is used at once
      return saved;
    },
  };
  const dispatch = createDispatcher(contract, withStoreErrors(handlers), reportUnexpected);

  try {
    recoverOutbox(db, outboxRepo, attempts, spool, now());
    search.recoverPending();
    attachments.sweep(now());
  } catch (error) {
    void stopCheckpointer();
    spool.close();
    db.close();
    throw error;
  }
  sender.kick();

  // Closing twice (a window and a signal, say) closes once.
  let closing: Promise<void> | null = null;
  const close = async () => {
    await sender.close();
    try {
      search.flush();
    } catch {
      // Still marked in the store: indexed at the next start.
    }
    await stopCheckpointer();
    spool.close();
    db.close();
    releaseFolder();
  };

  return {
    dispatch,
    subscribe: (listener) => events.subscribe(listener),
    idle: () => sender.idle(),
    wake: () => sender.wake(),
    addAttachment: (name, type, stream, size) => attachments.addStream(name, type, stream, size),
    addAttachmentFile: (filePath) => attachments.addPath(filePath),
    importMessageFile: async (filePath) => {
      try {
        return await importMessageFile(filePath, { attachments, drafts, accounts: () => accountRepo.list(), now });
      } catch (error) {
        throw asStoreFailure(error);
      }
    },
    close: () => (closing ??= close()),
  };
}
