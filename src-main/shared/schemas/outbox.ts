import { z } from 'zod';
import { OUTBOX_STATES } from '../defaults.ts';
import { appErrorSchema } from '../errors.ts';
import { id, refusalSchema, timestamp } from './common.ts';
import { draftContentSchema, messageInputSchema } from './compose.ts';
import { capabilitiesSchema, certificateSummarySchema, smtpPhaseSchema, tlsSessionSchema } from './smtp.ts';

export const outboxStates = OUTBOX_STATES;
export const outboxStateSchema = z.enum(outboxStates);
export type OutboxState = z.infer<typeof outboxStateSchema>;

export const outboxItemSchema = z.object({
  id,
  accountId: id.nullable(),
  state: outboxStateSchema,
  messageId: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  size: z.number().int().nonnegative(),
  attemptCount: z.number().int().nonnegative(),
  /** The server's last reply, as it said it ("250 2.0.0 Ok: queued as 4Q9XkT"). */
  lastReply: z.string().nullable(),
  lastError: appErrorSchema.nullable(),
  /** When it goes (again): the end of the undo delay, the send-later time, or the next retry. */
  nextAttemptAt: timestamp.nullable(),
  /** The server accepted these; they are never sent to again. */
  delivered: z.array(z.string()),
  /** Refused for good (5xx), with the server's words. */
  rejected: z.array(refusalSchema),
  /** Still to be delivered: all recipients at first, then only those a 4xx deferred. */
  pending: z.array(z.string()),
  /** After this the message stops retrying and fails. */
  expiresAt: timestamp,
  /** Through the account's server, or straight to the recipients' mail servers (issue 21). */
  route: z.enum(['account', 'direct']),
  /** Direct delivery: the recipients' domain this leg goes to, and the id of the message's first leg. */
  legDomain: z.string().nullable(),
  legOf: id.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

export const attemptOutcomes = ['sent', 'failed', 'deferred', 'uncertain'] as const;
export const attemptOutcomeSchema = z.enum(attemptOutcomes);
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

/** What is known about the connection an attempt used: where, how it was secured, what the server said of itself. */
export const connectionFactsSchema = z.object({
  remoteAddress: z.string().nullable(),
  remotePort: z.number().int().nullable(),
  greeting: z.string().nullable(),
  capabilities: capabilitiesSchema.nullable(),
  tls: tlsSessionSchema.extend(certificateSummarySchema.shape).nullable(),
  /** The id the server gave the message ("queued as 4Q9XkT"), when it said one. */
  queueId: z.string().nullable(),
});
export type ConnectionFacts = z.infer<typeof connectionFactsSchema>;

export const attemptSchema = z.object({
  id,
  outboxId: id,
  startedAt: timestamp,
  endedAt: timestamp.nullable(),
  outcome: attemptOutcomeSchema.nullable(),
  phase: smtpPhaseSchema,
  replyCode: z.number().int().nullable(),
  enhancedCode: z.string().nullable(),
  response: z.string().nullable(),
  finalDotSent: z.boolean(),
  error: appErrorSchema.nullable(),
  facts: connectionFactsSchema.nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const outboxDetailSchema = z.object({
  item: outboxItemSchema,
  attempts: z.array(attemptSchema),
  draft: draftContentSchema.nullable(),
  /** Direct delivery: every leg of the message (this one included), one per recipient domain. */
  legs: z.array(outboxItemSchema),
});
export type OutboxDetail = z.infer<typeof outboxDetailSchema>;

export const MAX_UNDO_SECONDS = 30;

export const enqueueInputSchema = messageInputSchema.extend({
  /** Undo send: how long the message waits before it goes (0–30 s; absent: the person's setting). */
  undoSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_UNDO_SECONDS, `Undo can wait at most ${MAX_UNDO_SECONDS} seconds.`)
    .optional(),
  /** Send later: when to send (ms since 1970); absent means now. */
  sendAt: timestamp.optional(),
  /** The draft this message was written in: removed in the same commit that queues the message. */
  draftId: id.optional(),
});
export type EnqueueInput = z.infer<typeof enqueueInputSchema>;
