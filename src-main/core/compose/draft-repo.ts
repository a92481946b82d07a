import { draftContentSchema, type Draft, type DraftContent, type DraftSummary } from '../../shared/schemas/compose.ts';
import { durably, sql, type Db } from '../store/database.ts';

type Row = { id: string; content: string; subject: string; recipients: string; updated_at: number };

/** Drafts in the store: written durably, so a crash or power cut keeps the last save. */
export class DraftRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  save(id: string, content: DraftContent, now: number): Draft {
    durably(this.db, () => {
      sql(
        this.db,
        `INSERT INTO drafts (id, content, subject, recipients, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET content = excluded.content, subject = excluded.subject, recipients = excluded.recipients, updated_at = excluded.updated_at`,
      ).run(id, JSON.stringify(content), content.subject, content.to, now);
    });
    return { id, content, updatedAt: now };
  }

  list(): DraftSummary[] {
    return (
      sql(
        this.db,
        'SELECT id, subject, recipients, updated_at FROM drafts ORDER BY updated_at DESC LIMIT 500',
      ).all() as Row[]
    ).map((row) => ({ id: row.id, subject: row.subject, to: row.recipients, updatedAt: row.updated_at }));
  }

  get(id: string): Draft | undefined {
    const row = sql(this.db, 'SELECT * FROM drafts WHERE id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(row.content);
    } catch {
      // A damaged row still shows what the list knows rather than vanishing.
    }
    const content = draftContentSchema.safeParse(parsed);
    return {
      id: row.id,
      content: content.success
        ? content.data
        : draftContentSchema.parse({ accountId: null, to: row.recipients, subject: row.subject, body: '' }),
      updatedAt: row.updated_at,
    };
  }

  /** Inside the caller's transaction when there is one (enqueue removes the draft it sends). */
  remove(id: string): boolean {
    return sql(this.db, 'DELETE FROM drafts WHERE id = ?').run(id).changes > 0;
  }
}
