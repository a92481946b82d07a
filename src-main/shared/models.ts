import { z } from 'zod';
import { DEFAULT_TIMEOUTS as DEFAULTS_WITHOUT_ZOD, OUTBOX_STATES } from './defaults.ts';
import { appErrorSchema } from './errors.ts';
import { singleLine } from './text-rules.ts';

/**
 * The id of something Posthorn made (UUIDs): letters, digits, "-" and "_" only, so an id can
 * never be a path ("..", "/"), hold a NUL, or carry anything else into a query or a file name.
 */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'That is not an id Posthorn made.');
const timestamp = z.number().int().nonnegative();

export const securityModes = ['starttls', 'tls', 'none'] as const;
export const securitySchema = z.enum(securityModes);
export type Security = z.infer<typeof securitySchema>;

/** How to log in: `auto` lets the server's AUTH list decide; XOAUTH2 uses a pasted access token. */
export const authMethods = ['auto', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'none'] as const;
export const authMethodSchema = z.enum(authMethods);
export type AuthMethod = z.infer<typeof authMethodSchema>;

const emailAddress = (what: string) =>
  z.email(`${what} must be an email address, for example you@example.org.`).max(320);

export const identitySchema = z.object({
  id,
  fromName: z.string(),
  fromAddress: z.string(),
  replyTo: z.string(),
  signature: z.string(),
});
export type Identity = z.infer<typeof identitySchema>;

export const identityInputSchema = z.strictObject({
  id: id.optional(),
  fromName: singleLine('The from name', 200),
  fromAddress: emailAddress('The from address'),
  replyTo: z.union([z.literal(''), emailAddress('Reply-To')]).default(''),
  signature: z.string().max(10_000, 'The signature is longer than 10,000 characters.').default(''),
});
export type IdentityInput = z.input<typeof identityInputSchema>;

export const timeoutsSchema = z.strictObject({
  connectMs: z
    .number()
    .int()
    .min(1000, 'Timeouts are at least 1 second.')
    .max(600_000, 'Timeouts are at most 10 minutes.'),
  greetingMs: z
    .number()
    .int()
    .min(1000, 'Timeouts are at least 1 second.')
    .max(600_000, 'Timeouts are at most 10 minutes.'),
  socketMs: z
    .number()
    .int()
    .min(1000, 'Timeouts are at least 1 second.')
    .max(3_600_000, 'The idle timeout is at most an hour.'),
});
export type Timeouts = z.infer<typeof timeoutsSchema>;
export const DEFAULT_TIMEOUTS: Timeouts = { ...DEFAULTS_WITHOUT_ZOD };

/** A certificate the person chose to trust for one account only, pinned by its SHA-256 fingerprint. */
export const pinnedCertificateSchema = z.strictObject({
  fingerprint256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'Not a SHA-256 fingerprint.'),
  pem: z
    .string()
    .max(20_000)
    .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, 'Not a PEM certificate.'),
  subject: z.string().max(1000),
});
export type PinnedCertificate = z.infer<typeof pinnedCertificateSchema>;

/** What the server said in its last EHLO, kept for the composer's pre-send checks. */
export const capabilitiesSchema = z.object({
  size: z.number().int().nullable(),
  eightBitMime: z.boolean(),
  smtpUtf8: z.boolean(),
  pipelining: z.boolean(),
  dsn: z.boolean(),
  enhancedStatusCodes: z.boolean(),
  startTls: z.boolean(),
  auth: z.array(z.string()),
  /** Every EHLO keyword as the server wrote it. */
  raw: z.array(z.string()),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

/** An account as the renderer sees it: never the secret, only whether one is stored and where. */
export const accountSchema = z.object({
  id,
  name: z.string(),
  email: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: securitySchema,
  auth: authMethodSchema,
  username: z.string(),
  ehloName: z.string(),
  timeouts: timeoutsSchema,
  allowPlaintextAuth: z.boolean(),
  pinnedCertificate: pinnedCertificateSchema.nullable(),
  /** SMTP connections this account may use at once (providers limit them). */
  maxConnections: z.number().int(),
  isDefault: z.boolean(),
  identities: z.array(identitySchema),
  lastEhlo: z.object({ at: timestamp, capabilities: capabilitiesSchema }).nullable(),
  lastTest: z.object({ at: timestamp, ok: z.boolean(), summary: z.string() }).nullable(),
  hasPassword: z.boolean(),
  secretBackend: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Account = z.infer<typeof accountSchema>;

const hostSchema = z
  .string()
  .trim()
  .min(1, 'Enter the SMTP server, for example smtp.example.org.')
  .max(253, 'A host name is at most 253 characters.')
  .pipe(
    z.union([z.hostname(), z.ipv4(), z.ipv6()], { error: 'The SMTP server must be a host name or an IP address.' }),
  );

/** The server settings alone: what a connection test needs. */
export const serverSettingsSchema = z.strictObject({
  host: hostSchema,
  port: z
    .number()
    .int()
    .min(1, 'The port is a number from 1 to 65535.')
    .max(65535, 'The port is a number from 1 to 65535.'),
  security: securitySchema,
  auth: authMethodSchema.default('auto'),
  username: singleLine('The username', 320),
  ehloName: z
    .union([z.literal(''), z.hostname('The EHLO name must be a host name, like laptop.example.org.')])
    .default(''),
  timeouts: timeoutsSchema.default(DEFAULT_TIMEOUTS),
  allowPlaintextAuth: z.boolean().default(false),
  pinnedCertificate: pinnedCertificateSchema.nullable().default(null),
  /**
   * Write-only: goes straight to the OS keychain (a password, or an XOAUTH2 access token). Omitted keeps the stored
   * one.
   */
  password: z.string().max(8192, 'The password or token is longer than 8192 characters.').optional(),
});

export const accountInputSchema = serverSettingsSchema.extend({
  id: id.optional(),
  name: singleLine('The account name', 100).trim().min(1, 'Give the account a name, for example "Work".'),
  email: emailAddress('The email address'),
  isDefault: z.boolean().optional(),
  maxConnections: z
    .number()
    .int()
    .min(1, 'At least one connection.')
    .max(10, 'At most 10 connections at once.')
    .default(2),
  /** A connection test of these settings: its EHLO result is stored with the account. */
  testId: z.string().max(64).optional(),
  identities: z.array(identityInputSchema).max(50, 'At most 50 identities per account.').optional(),
});
export type AccountInput = z.input<typeof accountInputSchema>;
export type AccountInputParsed = z.output<typeof accountInputSchema>;

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
  rejected: z.array(z.object({ address: z.string(), reply: z.string() })),
  /** Still to be delivered: all recipients at first, then only those a 4xx deferred. */
  pending: z.array(z.string()),
  /** After this the message stops retrying and fails. */
  expiresAt: timestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

/** The SMTP phase an attempt reached; a failure is reported against the phase it happened in. */
export const smtpPhases = [
  'connect',
  'greeting',
  'ehlo',
  'starttls',
  'auth',
  'mail',
  'rcpt',
  'data',
  'final-reply',
  'quit',
  'done',
] as const;
export const smtpPhaseSchema = z.enum(smtpPhases);
export type SmtpPhase = z.infer<typeof smtpPhaseSchema>;

export const attemptOutcomes = ['sent', 'failed', 'deferred', 'uncertain'] as const;
export const attemptOutcomeSchema = z.enum(attemptOutcomes);
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

/** What is known about the connection an attempt used: where, how it was secured, what the server said of itself. */
export const connectionFactsSchema = z.object({
  remoteAddress: z.string().nullable(),
  remotePort: z.number().int().nullable(),
  greeting: z.string().nullable(),
  capabilities: capabilitiesSchema.nullable(),
  tls: z
    .object({
      protocol: z.string().nullable(),
      cipher: z.string().nullable(),
      subject: z.string(),
      issuer: z.string(),
      validFrom: z.string(),
      validTo: z.string(),
      fingerprint256: z.string(),
    })
    .nullable(),
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

export const transcriptDirections = ['C', 'S', 'info', 'tls', 'error'] as const;
export const transcriptLineSchema = z.object({
  /** Milliseconds since the attempt started (monotonic clock); negative for the set-up of a reused connection. */
  t: z.number(),
  dir: z.enum(transcriptDirections),
  text: z.string(),
});
export type TranscriptLine = z.infer<typeof transcriptLineSchema>;

export const priorities = ['low', 'normal', 'high'] as const;
export const prioritySchema = z.enum(priorities);
export type Priority = z.infer<typeof prioritySchema>;

/** Delivery status notifications (RFC 3461) asked of the server, when it offers DSN. */
export const dsnRequestSchema = z.strictObject({ success: z.boolean(), failure: z.boolean() });
export type DsnRequest = z.infer<typeof dsnRequestSchema>;
export const NO_DSN: DsnRequest = { success: false, failure: false };

/** A file added to a message: kept by Posthorn under this id; the renderer never sees its path. */
export const attachmentSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  size: z.number().int().nonnegative(),
  /** Shown in the body (an image referenced as cid:<id>) rather than listed as a file. */
  inline: z.boolean(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** The fields a draft and a message to send write the same way. */
const messageText = z.string().max(5_000_000, 'The message text is larger than 5 MB.');
const messageHtml = z.string().max(5_000_000, 'The formatted message is larger than 5 MB.').nullable().default(null);

const addressList = (what: string) => z.string().max(20_000, `${what}: the list is longer than 20,000 characters.`);

/**
 * What the person wrote, as the composer holds it: a draft, the content that Undo and "Edit as
 * new" return, and (with the send options) what is enqueued. Fields added later have
 * defaults, so what older versions stored still reads.
 */
export const draftContentSchema = z.object({
  accountId: z.string().nullable(),
  /** Which of the account's identities speaks; null: the first. */
  identityId: z.string().nullable().default(null),
  to: addressList('To'),
  cc: addressList('Cc').default(''),
  bcc: addressList('Bcc').default(''),
  subject: z.string().max(998, 'The subject is longer than 998 characters.'),
  /** The plain text: typed in plain-text mode, or derived from the rich text. */
  body: messageText,
  /** Rich text as HTML from the editor (sanitised again in the core); null in plain-text mode. */
  html: messageHtml,
  priority: prioritySchema.default('normal'),
  dsn: dsnRequestSchema.default(NO_DSN),
  attachments: z.array(attachmentSchema).max(100, 'At most 100 attachments.').default([]),
});
export type DraftContent = z.output<typeof draftContentSchema>;
export type DraftContentInput = z.input<typeof draftContentSchema>;

export const draftSummarySchema = z.object({ id, subject: z.string(), to: z.string(), updatedAt: timestamp });
export type DraftSummary = z.infer<typeof draftSummarySchema>;
export const draftSchema = z.object({ id, content: draftContentSchema, updatedAt: timestamp });
export type Draft = z.infer<typeof draftSchema>;

/** A pre-send check that found something worth a second look; the person may send anyway. */
export const warningCodes = [
  'TOO_LARGE',
  'NEEDS_SMTPUTF8',
  'EMPTY_SUBJECT',
  'MISSING_ATTACHMENT',
  'FROM_DIFFERS',
  'NO_MAIL_DOMAIN',
  'NO_DSN',
  'NO_EHLO_YET',
] as const;
export const composeWarningSchema = z.object({ code: z.enum(warningCodes), message: z.string(), hint: z.string() });
export type ComposeWarning = z.infer<typeof composeWarningSchema>;

export const dryRunSchema = z.object({
  accepted: z.array(z.string()),
  refused: z.array(z.object({ address: z.string(), reply: z.string() })),
  error: appErrorSchema.nullable(),
  lines: z.array(z.object({ t: z.number(), dir: z.enum(['C', 'S', 'info', 'tls', 'error']), text: z.string() })),
});
export type DryRun = z.infer<typeof dryRunSchema>;

export const outboxDetailSchema = z.object({
  item: outboxItemSchema,
  attempts: z.array(attemptSchema),
  draft: draftContentSchema.nullable(),
});
export type OutboxDetail = z.infer<typeof outboxDetailSchema>;

export const MAX_UNDO_SECONDS = 30;

/** The message to send, as the composer hands it in: the draft's fields with attachments by id. */
export const messageInputSchema = z.strictObject({
  accountId: id,
  identityId: id.nullable().optional(),
  to: addressList('To').refine((v) => v.trim().length > 0, 'Add at least one recipient.'),
  cc: addressList('Cc').default(''),
  bcc: addressList('Bcc').default(''),
  subject: singleLine('The subject', 998),
  body: messageText,
  html: messageHtml,
  priority: prioritySchema.default('normal'),
  dsn: dsnRequestSchema.default(NO_DSN),
  /** Ids from attachments.pick or an upload; the core knows their files, names and sizes. */
  attachments: z
    .array(z.strictObject({ id, inline: z.boolean().default(false) }))
    .max(100, 'At most 100 attachments.')
    .default([]),
});
export type MessageInput = z.output<typeof messageInputSchema>;

export const enqueueInputSchema = messageInputSchema.extend({
  /** Undo send: how long the message waits before it goes (0–30 s, default 5). */
  undoSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_UNDO_SECONDS, `Undo can wait at most ${MAX_UNDO_SECONDS} seconds.`)
    .default(5),
  /** Send later: when to send (ms since 1970); absent means now. */
  sendAt: timestamp.optional(),
  /** The draft this message was written in: removed in the same commit that queues the message. */
  draftId: id.optional(),
});
export type EnqueueInput = z.infer<typeof enqueueInputSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser', 'test']),
  dataDir: z.string(),
  secretBackend: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Where detected server settings came from, so the person knows how much to trust them. */
export const settingsSourceSchema = z.enum(['preset', 'srv', 'guess']);

export const autoconfigSchema = z.object({
  source: settingsSourceSchema,
  /** The provider's name for a preset, the SRV record for DNS, the guessed host otherwise. */
  sourceDetail: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: securitySchema,
  auth: authMethodSchema,
  username: z.string(),
  notes: z.array(z.string()),
});
export type Autoconfig = z.infer<typeof autoconfigSchema>;

export const certificateInfoSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
  altNames: z.string(),
  pem: z.string(),
});
export type CertificateInfo = z.infer<typeof certificateInfoSchema>;

export const connectionTestSchema = z.object({
  /** Hand it to accounts.save (as testId) to keep what this test learnt with the new account. */
  id: z.string(),
  ok: z.boolean(),
  verdict: z.object({ title: z.string(), explanation: z.string(), fix: z.string().nullable() }),
  error: appErrorSchema.nullable(),
  phase: smtpPhaseSchema,
  capabilities: capabilitiesSchema.nullable(),
  tls: z
    .object({
      protocol: z.string().nullable(),
      cipher: z.string().nullable(),
      trusted: z.boolean(),
      pinned: z.boolean(),
      problem: z.string().nullable(),
      certificate: certificateInfoSchema.nullable(),
    })
    .nullable(),
  authenticated: z.boolean(),
  lines: z.array(transcriptLineSchema),
  durationMs: z.number(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

/** Settings for sending as a whole (each account has its own connection limit besides). */
export const sendingSettingsSchema = z.strictObject({
  /** How long a message keeps being retried before it fails: 1 hour to 30 days. */
  retryHours: z
    .number()
    .int('Whole hours, please.')
    .min(1, 'Retry for at least 1 hour.')
    .max(720, 'Retry for at most 30 days (720 hours).'),
  /** SMTP connections open at once across all accounts. */
  maxConnections: z
    .number()
    .int('A whole number, please.')
    .min(1, 'At least 1 connection.')
    .max(32, 'At most 32 connections at once.'),
});
export type SendingSettings = z.infer<typeof sendingSettingsSchema>;
export const DEFAULT_SENDING_SETTINGS: SendingSettings = { retryHours: 72, maxConnections: 8 };
