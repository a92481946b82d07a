import { readFileSync } from 'node:fs';
import { contract, type Contract } from '../shared/contract.ts';
import { createDispatcher, type Dispatch, type Handlers } from '../shared/dispatch.ts';
import type { AppInfo } from '../shared/schemas/app.ts';
import type { EventListener } from './events.ts';
import { contractHandlers } from './handlers.ts';
import { AppLog } from './logs/app-log.ts';
import type { ConfiguredProvider } from './oauth/oauth-service.ts';
import { recoverOutbox } from './outbox/recover.ts';
import { KnownSecrets, rememberingSecrets, rememberingTypedSecrets } from './secrets/known-secrets.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { createServices, openStore } from './services.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { privateDataFolder } from './store/private-files.ts';
import { asStoreFailure } from './store/store-errors.ts';

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
  /** The waits before each retry, fixed (tests); the last repeats. Without it: 1 min, 5 min, 15 min, 1 h, 4 h. */
  retryDelaysMs?: readonly number[];
  /** DNS servers for SRV autoconfig ("127.0.0.1:5353"); the system's when absent. */
  dnsServers?: readonly string[];
  /** The port recipients' mail servers listen on for direct delivery: 25 (tests use their own). */
  directDeliveryPort?: number;
  /** The HTTPS port MTA-STS policies are fetched from: 443 (tests serve their own). */
  mtaStsPort?: number;
  /** Sign-in providers besides the built-in ones, or with their client IDs (tests, a custom provider). */
  oauthProviders?: readonly ConfiguredProvider[];
  /** Where client IDs and a custom provider are configured (POSTHORN_OAUTH_*): the process's environment by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where unexpected errors go: the app log and the console by default; never secrets, only error objects. */
  reportUnexpected?: (channel: string, error: unknown) => void;
  /** The app log (the shells make it first, to log a failed start too); one in the data folder by default. */
  log?: AppLog;
};

/**
 * The core as every shell sees it: calls go through `dispatch` (the contract: validated,
 * store errors mapped, outputs stripped), events come out of `subscribe`. Nothing else.
 */
export type Core = {
  dispatch: Dispatch<Contract>;
  subscribe(listener: EventListener): () => void;
  /** Look for due mail now: after the machine wakes, the network returns, or a clock jump. */
  wake(): void;
  /** Resolves when the sender has nothing in flight (tests and orderly shutdown). */
  idle(): Promise<void>;
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
  privateDataFolder(options.dataDir);
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
  // Every secret that passes through the keychain is scrubbed from the log, however it is encoded.
  const known = new KnownSecrets();
  const log = options.log ?? new AppLog(options.dataDir);
  log.scrubWith(() => known.list());
  const reportUnexpected =
    options.reportUnexpected ??
    ((channel: string, error: unknown) => {
      log.error(channel, error);
      console.error(`[posthorn] ${channel} failed unexpectedly:`, error);
    });
  // Expected trouble (another program holds the database, the disk is full): the outbox pauses
  // and tries again, so it is a warning, not an error.
  const reportStoreTrouble = (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    log.write('warn', 'outbox', `The store refused a write (${reason}); the outbox tries again in 2 s.`);
    console.warn(`[posthorn] the store refused a write (${reason}); the outbox tries again in 2 s.`);
  };
  const store = openStore(options.dataDir);
  const services = createServices(
    { ...options, secrets: rememberingSecrets(options.secrets, known) },
    store,
    reportStoreTrouble,
  );
  const { now, sender, search, attachments, attempts, outboxRepo, events } = services;
  const handlers = rememberingTypedSecrets(
    contractHandlers(services, options, options.version ?? packageVersion(), log),
    known,
  );
  const dispatch = createDispatcher(contract, withStoreErrors(handlers), reportUnexpected);

  try {
    recoverOutbox(store.db, outboxRepo, attempts, store.spool, now());
    search.recoverPending();
    attachments.sweep(now());
  } catch (error) {
    void store.close();
    throw error;
  }
  sender.kick();
  // The app log is scrubbed of every stored secret, not only those used since the start.
  void services.accounts.logins.rememberStoredSecrets();

  // Closing twice (a window and a signal, say) closes once.
  let closing: Promise<void> | null = null;
  const close = async () => {
    services.oauth.close();
    await sender.close();
    try {
      search.flush();
    } catch {
      // Still marked in the store: indexed at the next start.
    }
    await store.close();
    releaseFolder();
  };

  return {
    dispatch,
    subscribe: (listener) => events.subscribe(listener),
    wake: () => sender.wake(),
    idle: () => sender.idle(),
    close: () => (closing ??= close()),
  };
}
