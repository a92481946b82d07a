import type { AppError } from '../../shared/errors.ts';
import { dsnRequestSchema, type DraftContent, type DsnRequest } from '../../shared/schemas/compose.ts';
import type { OutboxItem, OutboxState } from '../../shared/schemas/outbox.ts';
import { parseStoredError } from '../logs/attempt-store.ts';

/* A message in the outbox as the core knows it (the row, read), and what the page may see of it. */

export type OutboxRecord = OutboxItem & { envelopeFrom: string; spoolFile: string; dsn: DsnRequest | null };

export type OutboxRow = {
  id: string;
  account_id: string | null;
  state: OutboxState;
  message_id: string;
  from_addr: string;
  envelope_from: string;
  recipients: string;
  subject: string;
  spool_file: string;
  size: number;
  attempt_count: number;
  last_reply: string | null;
  last_error: string | null;
  next_attempt_at: number | null;
  delivered: string;
  rejected: string;
  pending: string | null;
  expires_at: number | null;
  draft: string | null;
  dsn: string | null;
  route: string | null;
  leg_domain: string | null;
  leg_of: string | null;
  created_at: number;
  updated_at: number;
};

export function json<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function fromRow(row: OutboxRow): OutboxRecord {
  const to = json<string[]>(row.recipients, []);
  return {
    id: row.id,
    accountId: row.account_id,
    state: row.state,
    messageId: row.message_id,
    from: row.from_addr,
    envelopeFrom: row.envelope_from,
    to,
    subject: row.subject,
    spoolFile: row.spool_file,
    size: row.size,
    attemptCount: row.attempt_count,
    lastReply: row.last_reply,
    lastError: parseStoredError(row.last_error),
    nextAttemptAt: row.next_attempt_at,
    delivered: json<string[]>(row.delivered, []),
    rejected: json<{ address: string; reply: string }[]>(row.rejected, []),
    pending: row.pending === null ? to : json<string[]>(row.pending, to),
    expiresAt: row.expires_at ?? row.created_at,
    route: row.route === 'direct' ? 'direct' : 'account',
    legDomain: row.leg_domain,
    legOf: row.leg_of,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    dsn: row.dsn ? (dsnRequestSchema.safeParse(json<unknown>(row.dsn, null)).data ?? null) : null,
  };
}

export type NewOutboxRecord = Pick<
  OutboxRecord,
  | 'id'
  | 'accountId'
  | 'messageId'
  | 'from'
  | 'envelopeFrom'
  | 'to'
  | 'subject'
  | 'spoolFile'
  | 'size'
  | 'createdAt'
  | 'expiresAt'
  | 'dsn'
  | 'route'
  | 'legDomain'
  | 'legOf'
> & {
  draft: DraftContent | null;
  /** When it may go: the end of the undo delay, or the send-later time. */
  notBefore: number;
};

export type Settlement = {
  state: OutboxState;
  lastReply: string | null;
  lastError: AppError | null;
  nextAttemptAt: number | null;
  now: number;
  delivered?: readonly string[];
  rejected?: readonly { address: string; reply: string }[];
  pending?: readonly string[];
};

export function toItem(record: OutboxRecord): OutboxItem {
  const { envelopeFrom: _e, spoolFile: _s, dsn: _d, ...item } = record;
  return item;
}
