import type { Security } from '../../shared/models.ts';
import type { Db } from '../store/database.ts';

export type AccountRecord = {
  id: string;
  name: string;
  email: string;
  host: string;
  port: number;
  security: Security;
  username: string;
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
  username: string;
  has_password: number;
  created_at: number;
  updated_at: number;
};

function fromRow(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    host: row.host,
    port: row.port,
    security: row.security,
    username: row.username,
    hasPassword: row.has_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class AccountRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  list(): AccountRecord[] {
    const rows = this.db.prepare('SELECT * FROM accounts ORDER BY created_at, id').all() as AccountRow[];
    return rows.map(fromRow);
  }

  find(id: string): AccountRecord | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  upsert(account: AccountRecord): void {
    this.db
      .prepare(
        `INSERT INTO accounts (id, name, email, host, port, security, username, has_password, created_at, updated_at)
         VALUES (@id, @name, @email, @host, @port, @security, @username, @hasPassword, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, host = excluded.host,
           port = excluded.port, security = excluded.security, username = excluded.username,
           has_password = excluded.has_password, updated_at = excluded.updated_at`,
      )
      .run({ ...account, hasPassword: account.hasPassword ? 1 : 0 });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  }

  countActiveMessages(id: string): number {
    const row = this.db
      .prepare("SELECT count(*) AS n FROM outbox WHERE account_id = ? AND state IN ('queued', 'sending', 'deferred')")
      .get(id) as { n: number };
    return row.n;
  }
}
