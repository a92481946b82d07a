import {
  pinnedCertificateSchema,
  type AuthMethod,
  type Identity,
  type PinnedCertificate,
  type Security,
  type Timeouts,
} from '../../shared/schemas/accounts.ts';
import { capabilitiesSchema, type Capabilities } from '../../shared/schemas/smtp.ts';
import { durably, sql, type Db } from '../store/database.ts';

export type AccountRecord = {
  id: string;
  name: string;
  email: string;
  host: string;
  port: number;
  security: Security;
  auth: AuthMethod;
  username: string;
  ehloName: string;
  timeouts: Timeouts;
  allowPlaintextAuth: boolean;
  pinnedCertificate: PinnedCertificate | null;
  oauthProvider: string | null;
  /** The provider no longer accepts the sign-in (revoked or expired): the person must sign in again. */
  signInNeeded: { at: number; message: string } | null;
  maxConnections: number;
  isDefault: boolean;
  identities: Identity[];
  lastEhlo: { at: number; capabilities: Capabilities } | null;
  lastTest: { at: number; ok: boolean; summary: string } | null;
  hasPassword: boolean;
  createdAt: number;
  updatedAt: number;
};

type AccountRow = {
  id: string;
  name: string;
  email: string;
  host: string;
  port: number;
  security: Security;
  auth: AuthMethod;
  username: string;
  ehlo_name: string;
  connect_timeout_ms: number;
  greeting_timeout_ms: number;
  socket_timeout_ms: number;
  allow_plaintext_auth: number;
  oauth_provider: string | null;
  sign_in_needed: string | null;
  pinned_cert: string | null;
  max_connections: number;
  is_default: number;
  last_ehlo: string | null;
  last_test: string | null;
  has_password: number;
  created_at: number;
  updated_at: number;
};

type IdentityRow = {
  id: string;
  account_id: string;
  from_name: string;
  from_address: string;
  reply_to: string;
  signature: string;
};

/** Stored JSON is parsed defensively: a damaged column loses that detail, never the account. */
function parseJson<T>(json: string | null, parse: (value: unknown) => { success: boolean; data?: T }): T | null {
  if (!json) return null;
  try {
    const result = parse(JSON.parse(json));
    return result.success ? (result.data ?? null) : null;
  } catch {
    return null;
  }
}

function parseLastEhlo(json: string | null): AccountRecord['lastEhlo'] {
  return parseJson(json, (value) => {
    const v = value as { at?: unknown; capabilities?: unknown };
    const caps = capabilitiesSchema.safeParse(v?.capabilities);
    return typeof v?.at === 'number' && caps.success
      ? { success: true, data: { at: v.at, capabilities: caps.data } }
      : { success: false };
  });
}

function parseLastTest(json: string | null): AccountRecord['lastTest'] {
  return parseJson(json, (value) => {
    const v = value as { at?: unknown; ok?: unknown; summary?: unknown };
    return typeof v?.at === 'number' && typeof v.ok === 'boolean' && typeof v.summary === 'string'
      ? { success: true, data: { at: v.at, ok: v.ok, summary: v.summary } }
      : { success: false };
  });
}

function parseSignInNeeded(json: string | null): AccountRecord['signInNeeded'] {
  return parseJson(json, (value) => {
    const v = value as { at?: unknown; message?: unknown };
    return typeof v?.at === 'number' && typeof v.message === 'string'
      ? { success: true, data: { at: v.at, message: v.message } }
      : { success: false };
  });
}

export class AccountRepo {
  private readonly db: Db;
  private readonly cache = new Map<string, AccountRecord>();

  constructor(db: Db) {
    this.db = db;
  }

  private fromRow(row: AccountRow): AccountRecord {
    const identities = (
      sql(this.db, 'SELECT * FROM identities WHERE account_id = ? ORDER BY position').all(row.id) as IdentityRow[]
    ).map((i) => ({
      id: i.id,
      fromName: i.from_name,
      fromAddress: i.from_address,
      replyTo: i.reply_to,
      signature: i.signature,
    }));
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      host: row.host,
      port: row.port,
      security: row.security,
      auth: row.auth,
      username: row.username,
      ehloName: row.ehlo_name,
      timeouts: {
        connectMs: row.connect_timeout_ms,
        greetingMs: row.greeting_timeout_ms,
        socketMs: row.socket_timeout_ms,
      },
      allowPlaintextAuth: row.allow_plaintext_auth === 1,
      pinnedCertificate: parseJson(row.pinned_cert, (v) => pinnedCertificateSchema.safeParse(v)),
      oauthProvider: row.oauth_provider,
      signInNeeded: parseSignInNeeded(row.sign_in_needed),
      maxConnections: row.max_connections,
      isDefault: row.is_default === 1,
      identities,
      lastEhlo: parseLastEhlo(row.last_ehlo),
      lastTest: parseLastTest(row.last_test),
      hasPassword: row.has_password === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  list(): AccountRecord[] {
    const rows = sql(this.db, 'SELECT * FROM accounts ORDER BY created_at, id').all() as AccountRow[];
    return rows.map((row) => this.fromRow(row));
  }

  /**
   * One account, read once and kept until it changes (every write goes through this class):
   * each queued message asks for its account, and reading one is a query for its identities
   * and a parse of its JSON fields. Frozen, since the same record is handed to every caller.
   */
  find(id: string): AccountRecord | undefined {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = sql(this.db, 'SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    if (!row) return undefined;
    const record = this.fromRow(row);
    for (const identity of record.identities) Object.freeze(identity);
    Object.freeze(record.identities);
    this.cache.set(id, Object.freeze(record));
    return record;
  }

  count(): number {
    return (sql(this.db, 'SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  /** The account row and its identities, replaced together; the default moves if this one claims it. */
  save(account: AccountRecord): void {
    this.cache.clear();
    durably(this.db, () => {
      if (account.isDefault) sql(this.db, 'UPDATE accounts SET is_default = 0 WHERE id <> ?').run(account.id);
      sql(
        this.db,
        `INSERT INTO accounts (id, name, email, host, port, security, auth, username, ehlo_name, connect_timeout_ms, greeting_timeout_ms,
             socket_timeout_ms, allow_plaintext_auth, pinned_cert, oauth_provider, sign_in_needed, max_connections, is_default, last_ehlo, last_test, has_password,
             created_at, updated_at)
           VALUES (@id, @name, @email, @host, @port, @security, @auth, @username, @ehloName, @connectMs, @greetingMs,
             @socketMs, @allowPlaintextAuth, @pinnedCert, @oauthProvider, @signInNeeded, @maxConnections, @isDefault, @lastEhlo, @lastTest, @hasPassword,
             @createdAt, @updatedAt)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, host = excluded.host, port = excluded.port,
             security = excluded.security, auth = excluded.auth, username = excluded.username, ehlo_name = excluded.ehlo_name,
             connect_timeout_ms = excluded.connect_timeout_ms, greeting_timeout_ms = excluded.greeting_timeout_ms,
             socket_timeout_ms = excluded.socket_timeout_ms, allow_plaintext_auth = excluded.allow_plaintext_auth,
             pinned_cert = excluded.pinned_cert, oauth_provider = excluded.oauth_provider, sign_in_needed = excluded.sign_in_needed, max_connections = excluded.max_connections, is_default = excluded.is_default, last_ehlo = excluded.last_ehlo,
             last_test = excluded.last_test, has_password = excluded.has_password, updated_at = excluded.updated_at`,
      ).run({
        id: account.id,
        name: account.name,
        email: account.email,
        host: account.host,
        port: account.port,
        security: account.security,
        auth: account.auth,
        username: account.username,
        ehloName: account.ehloName,
        ...account.timeouts,
        allowPlaintextAuth: account.allowPlaintextAuth ? 1 : 0,
        pinnedCert: account.pinnedCertificate ? JSON.stringify(account.pinnedCertificate) : null,
        oauthProvider: account.oauthProvider,
        signInNeeded: account.signInNeeded ? JSON.stringify(account.signInNeeded) : null,
        maxConnections: account.maxConnections,
        isDefault: account.isDefault ? 1 : 0,
        lastEhlo: account.lastEhlo ? JSON.stringify(account.lastEhlo) : null,
        lastTest: account.lastTest ? JSON.stringify(account.lastTest) : null,
        hasPassword: account.hasPassword ? 1 : 0,
        createdAt: account.createdAt,
        updatedAt: account.updatedAt,
      });
      sql(this.db, 'DELETE FROM identities WHERE account_id = ?').run(account.id);
      const insert = sql(
        this.db,
        'INSERT INTO identities (id, account_id, position, from_name, from_address, reply_to, signature) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      account.identities.forEach((identity, position) =>
        insert.run(
          identity.id,
          account.id,
          position,
          identity.fromName,
          identity.fromAddress,
          identity.replyTo,
          identity.signature,
        ),
      );
    });
  }

  /** The provider refused the account's sign-in (a value), or the person signed in again (null). */
  markSignInNeeded(id: string, needed: AccountRecord['signInNeeded']): void {
    this.cache.clear();
    sql(this.db, 'UPDATE accounts SET sign_in_needed = ? WHERE id = ?').run(needed ? JSON.stringify(needed) : null, id);
  }

  recordEhlo(
    id: string,
    lastEhlo: NonNullable<AccountRecord['lastEhlo']>,
    lastTest: NonNullable<AccountRecord['lastTest']>,
  ): void {
    this.cache.clear();
    sql(this.db, 'UPDATE accounts SET last_ehlo = ?, last_test = ? WHERE id = ?').run(
      JSON.stringify(lastEhlo),
      JSON.stringify(lastTest),
      id,
    );
  }

  /** What the server offered on a connection the outbox opened: kept for the composer's checks. */
  recordCapabilities(id: string, lastEhlo: NonNullable<AccountRecord['lastEhlo']>): void {
    this.cache.clear();
    sql(this.db, 'UPDATE accounts SET last_ehlo = ? WHERE id = ?').run(JSON.stringify(lastEhlo), id);
  }

  /** Deleting the default hands the role to the oldest remaining account. */
  delete(id: string): boolean {
    this.cache.clear();
    return durably(this.db, () => {
      const deleted = sql(this.db, 'DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
      if (deleted && !(sql(this.db, 'SELECT 1 FROM accounts WHERE is_default = 1').get() as unknown)) {
        sql(
          this.db,
          'UPDATE accounts SET is_default = 1 WHERE id = (SELECT id FROM accounts ORDER BY created_at, id LIMIT 1)',
        ).run();
      }
      return deleted;
    });
  }

  activeMessageIds(id: string): string[] {
    return (
      sql(this.db, "SELECT id FROM outbox WHERE account_id = ? AND state IN ('queued', 'sending', 'deferred')").all(
        id,
      ) as { id: string }[]
    ).map((r) => r.id);
  }
}
