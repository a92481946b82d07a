import { z } from 'zod';
import { appErrorSchema, type AppError } from '../../shared/errors.ts';
import {
  connectionFactsSchema,
  type Attempt,
  type AttemptOutcome,
  type ConnectionFacts,
} from '../../shared/schemas/outbox.ts';
import { transcriptLineSchema, type SmtpPhase, type TranscriptLine } from '../../shared/schemas/smtp.ts';
import type { AttemptReport } from '../smtp/attempt-report.ts';
import { sql, type Db } from '../store/database.ts';

type AttemptRow = {
  id: string;
  outbox_id: string;
  started_at: number;
  ended_at: number | null;
  outcome: AttemptOutcome | null;
  phase: SmtpPhase;
  reply_code: number | null;
  enhanced_code: string | null;
  response: string | null;
  final_dot_sent: number;
  error: string | null;
  facts: string | null;
};

export type AttemptEnd = Omit<AttemptReport, 'accepted' | 'refusals'> & { endedAt: number };

export function parseStoredError(json: string | null): AppError | null {
  if (!json) return null;
  const parsed = appErrorSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

function parseFacts(json: string | null): ConnectionFacts | null {
  if (!json) return null;
  try {
    const parsed = connectionFactsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function fromRow(row: AttemptRow): Attempt {
  return {
    id: row.id,
    outboxId: row.outbox_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome,
    phase: row.phase,
    replyCode: row.reply_code,
    enhancedCode: row.enhanced_code,
    response: row.response,
    finalDotSent: row.final_dot_sent === 1,
    error: parseStoredError(row.error),
    facts: parseFacts(row.facts),
  };
}

/** Attempts and their transcripts: written by the outbox, read by the logs. */
export class AttemptStore {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  start(id: string, outboxId: string, startedAt: number): void {
    sql(this.db, "INSERT INTO attempts (id, outbox_id, started_at, phase) VALUES (?, ?, ?, 'connect')").run(
      id,
      outboxId,
      startedAt,
    );
  }

  /**
   * Recorded the moment before the final `.` leaves, so a crash of Posthorn right after is known
   * to be uncertain. Committed without a flush to the disk (NORMAL): a FULL commit per message
   * halved the outbox's throughput (0.61× raw nodemailer against 0.90×, BENCHMARKS.md), so a
   * power cut in the instant after the "." can lose the mark, and recovery then retries: at
   * worst one duplicate per power cut, never a loss (docs/STORAGE.md).
   */
  markFinalDot(id: string): void {
    sql(this.db, "UPDATE attempts SET final_dot_sent = 1, phase = 'final-reply' WHERE id = ?").run(id);
  }

  /**
   * Not a transaction of its own: the outbox wraps it with the state change. The transcript is
   * stored as one value, and marked as waiting for the search index (`indexed = 0`) until
   * LogSearch has added it.
   */
  finish(id: string, end: AttemptEnd): void {
    sql(
      this.db,
      `UPDATE attempts SET ended_at = ?, outcome = ?, phase = ?, reply_code = ?, enhanced_code = ?, response = ?,
           final_dot_sent = ?, error = ?, facts = ?, lines = ?, indexed = 0 WHERE id = ?`,
    ).run(
      end.endedAt,
      end.outcome,
      end.phase,
      end.replyCode,
      end.enhancedCode,
      end.response,
      end.finalDotSent ? 1 : 0,
      end.error ? JSON.stringify(end.error) : null,
      end.facts ? JSON.stringify(end.facts) : null,
      JSON.stringify(end.lines),
      id,
    );
  }

  /**
   * The transcript again, with the lines its connection wrote after it (the closing QUIT and
   * 221, or the drop). Only once the attempt is stored: until then its lines are written with it.
   */
  keepClosingLines(id: string, lines: readonly TranscriptLine[]): void {
    sql(this.db, 'UPDATE attempts SET lines = ? WHERE id = ? AND ended_at IS NOT NULL').run(JSON.stringify(lines), id);
  }

  listForOutbox(outboxId: string): Attempt[] {
    const rows = sql(this.db, 'SELECT * FROM attempts WHERE outbox_id = ? ORDER BY started_at DESC, rowid DESC').all(
      outboxId,
    ) as AttemptRow[];
    return rows.map(fromRow);
  }

  latestFor(outboxId: string): Attempt | undefined {
    return this.listForOutbox(outboxId)[0];
  }

  exists(id: string): boolean {
    return sql(this.db, 'SELECT 1 FROM attempts WHERE id = ?').get(id) !== undefined;
  }

  transcript(attemptId: string): TranscriptLine[] {
    return storedTranscript(this.db, attemptId);
  }
}

/**
 * An attempt's transcript as stored: one JSON value on the attempt (migration 12 on), or rows
 * in transcript_lines for attempts stored before. Anything unreadable reads as no lines.
 */
export function storedTranscript(db: Db, attemptId: string): TranscriptLine[] {
  const row = sql(db, 'SELECT lines FROM attempts WHERE id = ?').get(attemptId) as { lines: string | null } | undefined;
  if (row?.lines) {
    const parsed = z.array(transcriptLineSchema).safeParse(JSON.parse(row.lines));
    return parsed.success ? parsed.data : [];
  }
  return sql(db, 'SELECT t_ms AS t, dir, text FROM transcript_lines WHERE attempt_id = ? ORDER BY seq').all(
    attemptId,
  ) as TranscriptLine[];
}
