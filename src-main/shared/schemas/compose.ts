import { z } from 'zod';
import { appErrorSchema } from '../errors.ts';
import { singleLine } from '../text-rules.ts';
import { absolutePath, id, refusalSchema, timestamp } from './common.ts';
import { transcriptLineSchema, vrfyAnswerSchema } from './smtp.ts';

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

/**
 * Files the shells hand in by path (the OS dialog, a drop, an upload saved to a temporary file):
 * each is copied into the data folder and known by its id from then on. `name` and `type` are
 * what the person's side knew (an upload's name, a dropped file's type); without them they come
 * from the path.
 */
export const addPathsInputSchema = z.strictObject({
  files: z
    .array(
      z.strictObject({
        path: absolutePath,
        name: z.string().max(1000).optional(),
        type: z.string().max(255).optional(),
      }),
    )
    .min(1, 'Choose at least one file.')
    .max(100, 'At most 100 files at once.'),
});

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
  /** Through the account's server, or directly to each recipient domain's mail server (issue 21). */
  route: z.enum(['account', 'direct']).default('account'),
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
  'LOCAL_ADDRESS',
  'SPF_REFUSES',
] as const;
/** A one-click fix the composer can offer with a warning ("Use gmail.com", "Add a subject"). */
export const warningFixSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('replace-domain'), label: z.string(), from: z.string(), to: z.string() }),
  z.object({ action: z.literal('focus-subject'), label: z.string() }),
  z.object({ action: z.literal('add-files'), label: z.string() }),
]);
export type WarningFix = z.infer<typeof warningFixSchema>;

export const composeWarningSchema = z.object({
  code: z.enum(warningCodes),
  message: z.string(),
  hint: z.string(),
  fix: warningFixSchema.optional(),
});
export type ComposeWarning = z.infer<typeof composeWarningSchema>;

export const dryRunSchema = z.object({
  accepted: z.array(z.string()),
  refused: z.array(refusalSchema),
  /** Asked for: each recipient checked with VRFY too. */
  vrfy: z.array(vrfyAnswerSchema),
  error: appErrorSchema.nullable(),
  lines: z.array(transcriptLineSchema),
});
export type DryRun = z.infer<typeof dryRunSchema>;

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
  /** Ids of added files (attachments.addPaths, through a shell); the core knows their files, names and sizes. */
  attachments: z
    .array(z.strictObject({ id, inline: z.boolean().default(false) }))
    .max(100, 'At most 100 attachments.')
    .default([]),
  /**
   * Through the account's server (the default), or directly to each recipient domain's mail
   * server (port 25), one leg per domain (issue 21).
   */
  route: z.enum(['account', 'direct']).default('account'),
});
export type MessageInput = z.output<typeof messageInputSchema>;
