import { sql, type Db } from '../store/database.ts';

/** Addresses written to before, for the composer's autocomplete: nothing leaves the machine. */
export class RecipientHistory {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /**
   * Up to 8 addresses containing `typed` (those starting with it first), most recently used first, from the last
   * 5,000 messages.
   */
  suggest(typed: string): string[] {
    const needle = typed.trim().toLowerCase();
    if (needle.length === 0) return [];
    const escaped = needle.replace(/[!%_]/g, (c) => `!${c}`);
    const rows = sql(
      this.db,
      `SELECT lower(j.value) AS address, max(o.created_at) AS last, lower(j.value) LIKE ? ESCAPE '!' AS starts
         FROM (SELECT recipients, created_at FROM outbox ORDER BY created_at DESC LIMIT 5000) o, json_each(o.recipients) j
         WHERE lower(j.value) LIKE ? ESCAPE '!'
         GROUP BY lower(j.value) ORDER BY starts DESC, last DESC LIMIT 8`,
    ).all(`${escaped}%`, `%${escaped}%`) as { address: string }[];
    return rows.map((r) => r.address);
  }
}
