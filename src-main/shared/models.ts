import { z } from 'zod';
import { appErrorSchema } from './errors.ts';
import { singleLine } from './text-rules.ts';

const id = z.string().min(1).max(64);
const timestamp = z.number().int().nonnegative();

export const securityModes = ['starttls', 'tls', 'none'] as const;
export const securitySchema = z.enum(securityModes);
export type Security = z.infer<typeof securitySchema>;

/** An account as the renderer sees it: never the secret, only whether one is stored and where. */
export const accountSchema = z.object({
  id,
  name: z.string(),
  email: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: securitySchema,
  username: z.string(),
  hasPassword: z.boolean(),
  secretBackend: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Account = z.infer<typeof accountSchema>;

export const accountInputSchema = z.strictObject({
  id: id.optional(),
  name: singleLine('The account name', 100).trim().min(1, 'Give the account a name, for example "Work".'),
  email: z.email('Enter the address you send from, for example you@example.org.').max(320),
  host: z
    .string()
    .trim()
    .min(1, 'Enter the SMTP server, for example smtp.example.org.')
    .max(253)
    .pipe(z.union([z.hostname(), z.ipv4(), z.ipv6()], { error: 'The SMTP server must be a host name or an IP address.' })),
  port: z.number().int().min(1, 'The port is a number from 1 to 65535.').max(65535, 'The port is a number from 1 to 65535.'),
  security: securitySchema,
  username: singleLine('The username', 320),
  /** Write-only: goes straight to the OS keychain. Omitted means "keep the stored one". */
  password: z.string().max(4096, 'The password is longer than 4096 characters.').optional(),
});
export type AccountInput = z.infer<typeof accountInputSchema>;

export const outboxStates = ['queued', 'sending', 'sent', 'deferred', 'failed', 'uncertain', 'cancelled'] as const;
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
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

/** The SMTP phase an attempt reached; a failure is reported against the phase it happened in. */
export const smtpPhases = ['connect', 'greeting', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'data', 'final-reply', 'quit', 'done'] as const;
export const smtpPhaseSchema = z.enum(smtpPhases);
export type SmtpPhase = z.infer<typeof smtpPhaseSchema>;

export const attemptOutcomes = ['sent', 'failed', 'deferred', 'uncertain'] as const;
export const attemptOutcomeSchema = z.enum(attemptOutcomes);
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

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
});
export type Attempt = z.infer<typeof attemptSchema>;

export const transcriptDirections = ['C', 'S', 'info', 'tls', 'error'] as const;
export const transcriptLineSchema = z.object({
  /** Milliseconds since the attempt started (monotonic clock). */
  t: z.number().nonnegative(),
  dir: z.enum(transcriptDirections),
  text: z.string(),
});
export type TranscriptLine = z.infer<typeof transcriptLineSchema>;

export const outboxDetailSchema = z.object({
  item: outboxItemSchema,
  attempts: z.array(attemptSchema),
});
export type OutboxDetail = z.infer<typeof outboxDetailSchema>;

export const enqueueInputSchema = z.strictObject({
  accountId: id,
  to: z.string().max(20_000).refine((v) => v.trim().length > 0, 'Add at least one recipient.'),
  subject: singleLine('The subject', 998),
  body: z.string().max(5_000_000, 'The message text is larger than 5 MB.'),
});
export type EnqueueInput = z.infer<typeof enqueueInputSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser', 'test']),
  dataDir: z.string(),
  secretBackend: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
