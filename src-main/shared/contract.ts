import { z } from 'zod';
import {
  channelNames,
  eventNames as eventNameList,
  shellChannelNames,
  type ChannelName,
  type EventNameLiteral,
  type ShellChannelName,
} from './channel-names.ts';
import {
  accountInputSchema,
  accountSchema,
  autoconfigSchema,
  connectionTestSchema,
  serverSettingsSchema,
} from './schemas/accounts.ts';
import { appInfoSchema, sendingSettingsSchema } from './schemas/app.ts';
import { absolutePath, emailAddress, id } from './schemas/common.ts';
import {
  addPathsInputSchema,
  attachmentSchema,
  composeWarningSchema,
  draftContentSchema,
  draftSchema,
  draftSummarySchema,
  dryRunSchema,
  messageInputSchema,
} from './schemas/compose.ts';
import { enqueueInputSchema, outboxDetailSchema, outboxItemSchema, outboxStateSchema } from './schemas/outbox.ts';
import { transcriptLineSchema } from './schemas/smtp.ts';

const noInput = z.strictObject({});
const byId = z.strictObject({ id });

/**
 * THE API between the renderer and the main process. Every call names its channel here with
 * a schema for what goes in and what comes out; nothing else crosses the boundary. Outputs
 * are parsed too, so a field that is not in the schema (a secret, say) is stripped.
 */
export const pageContract = {
  'app.info': { input: noInput, output: appInfoSchema },
  /** The network came back or the machine woke: look for due mail now, ending an offline pause. */
  'app.wake': { input: noInput, output: z.object({ woke: z.boolean() }) },
  /** A view of the page failed (its error boundary caught it): kept in the app log, scrubbed and capped. */
  'app.reportError': {
    input: z.strictObject({
      view: z.string().max(40),
      message: z.string().max(2000),
      stack: z.string().max(8000).default(''),
    }),
    output: z.object({ logged: z.boolean() }),
  },
  'accounts.list': { input: noInput, output: z.array(accountSchema) },
  /** The account form checked as Save would check it, without saving (before a test runs). */
  'accounts.check': { input: accountInputSchema, output: z.object({ valid: z.literal(true) }) },
  'accounts.save': { input: accountInputSchema, output: accountSchema },
  'accounts.delete': {
    input: z.strictObject({ id, queuedMail: z.literal('cancel').optional() }),
    output: z.object({ deleted: z.boolean(), cancelled: z.number().int() }),
  },
  'accounts.duplicate': { input: byId, output: accountSchema },
  'accounts.autoconfig': { input: z.strictObject({ email: z.string().max(320) }), output: autoconfigSchema },
  'accounts.test': {
    input: serverSettingsSchema.extend({
      id: id.optional(),
      /** Asked for: after logging in, "VRFY" this address and explain the answer (issue 21). */
      vrfyAddress: emailAddress('The address to check with VRFY').optional(),
      /** Asked for: "EXPN" this mailing list (a name or an address, one word). */
      expnList: z
        .string()
        .trim()
        .min(1)
        .max(254)
        .regex(/^[^\s\p{Cc}]+$/u, 'A list is one word or address, with no spaces or line breaks.')
        .optional(),
    }),
    output: connectionTestSchema,
  },
  /**
   * Signing in with a provider (issue 20): start answers with the URL for the page to open (a new
   * tab, or the system browser from the desktop window); finish waits for the person and keeps
   * the tokens for accounts.save ({ auth: 'OAUTH2', oauthProvider, signInId }); none is handed out.
   */
  'accounts.signInStart': {
    input: z.strictObject({ provider: z.string().min(1).max(40), loginHint: z.string().max(320).optional() }),
    output: z.object({ signInId: z.string(), url: z.string() }),
  },
  'accounts.signInFinish': {
    input: z.strictObject({ signInId: z.string().min(1).max(64) }),
    output: z.object({ provider: z.string(), expiresAt: z.number() }),
  },
  /** The person gave up (Cancel, or left the form): its listener closes and nothing of it is kept. */
  'accounts.signInCancel': {
    input: z.strictObject({ signInId: z.string().min(1).max(64) }),
    output: z.object({ cancelled: z.boolean() }),
  },
  'outbox.enqueue': { input: enqueueInputSchema, output: outboxItemSchema },
  'outbox.list': { input: noInput, output: z.array(outboxItemSchema) },
  'outbox.get': { input: byId, output: outboxDetailSchema },
  'outbox.undo': { input: byId, output: draftContentSchema },
  'outbox.retryNow': { input: byId, output: outboxItemSchema },
  'outbox.cancel': { input: byId, output: outboxItemSchema },
  'outbox.resend': { input: byId, output: outboxItemSchema },
  'outbox.markSent': { input: byId, output: outboxItemSchema },
  'logs.search': {
    input: z.strictObject({
      text: z.string().max(500).optional(),
      accountId: id.optional(),
      state: outboxStateSchema.optional(),
      since: z.number().int().nonnegative().optional(),
      until: z.number().int().nonnegative().optional(),
      recipient: z.string().max(320).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ items: z.array(outboxItemSchema), total: z.number().int() }),
  },
  'logs.export': {
    input: z.strictObject({
      outboxId: id,
      attemptId: id.optional(),
      format: z.enum(['txt', 'json', 'eml']),
      safe: z.boolean().default(false),
      hideHosts: z.boolean().default(false),
    }),
    output: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
  'attempts.transcript': { input: z.strictObject({ attemptId: id }), output: z.array(transcriptLineSchema) },
  /** Autosave: creates the draft when no id is given, else replaces it. */
  'drafts.save': { input: z.strictObject({ id: id.optional(), content: draftContentSchema }), output: draftSchema },
  'drafts.list': { input: noInput, output: z.array(draftSummarySchema) },
  'drafts.get': { input: byId, output: draftSchema },
  'drafts.delete': { input: byId, output: z.object({ deleted: z.boolean() }) },
  'attachments.remove': { input: byId, output: z.object({ removed: z.boolean() }) },
  /** An added image's bytes (at most 5 MB), so the composer can show an inline image again after a restart. */
  'attachments.preview': { input: byId, output: z.object({ type: z.string(), base64: z.string() }) },
  'compose.check': { input: messageInputSchema, output: z.array(composeWarningSchema) },
  'compose.preview': {
    input: messageInputSchema,
    output: z.object({ source: z.string(), size: z.number().int(), shownBytes: z.number().int() }),
  },
  'compose.dryRun': {
    /** `vrfy`: each recipient is also checked with VRFY (the person asked). */
    input: messageInputSchema.extend({ vrfy: z.boolean().default(false) }),
    output: dryRunSchema,
  },
  /** The formatted text as plain text, made as the message's own text/plain part is (switching to plain text). */
  'compose.plainText': {
    input: z.strictObject({ html: z.string().max(5_000_000, 'The formatted message is larger than 5 MB.') }),
    output: z.object({ text: z.string() }),
  },
  /** How long mail keeps retrying and how many connections all accounts may open at once. */
  'settings.get': { input: noInput, output: sendingSettingsSchema },
  /** Changes apply at once: the connection limit to what starts next, the retry time to mail queued from now on. */
  'settings.save': { input: sendingSettingsSchema.partial().strict(), output: sendingSettingsSchema },
  /** Addresses written to before that start with (or contain) what is being typed, most recent first. */
  'compose.recipients': { input: z.strictObject({ prefix: z.string().max(320) }), output: z.array(z.string()) },
} as const;

/**
 * Calls only the shells make: files named by a path, which the page must never be able to name
 * itself (it could otherwise attach any file on the computer). The desktop shell resolves the
 * paths from its own dialog, a drop (the preload reads the dropped File's path) or the OS
 * opening a file; browser mode from an upload it saved to a temporary file. No transport
 * exposes these to the page; they go through the same dispatch, validation and error mapping.
 */
export const shellContract = {
  /** Copies files into the data folder; the answer is what the page may know of them (ids, names, sizes). */
  'attachments.addPaths': { input: addPathsInputSchema, output: z.array(attachmentSchema) },
  /** A saved message (.eml) the OS asked Posthorn to open becomes a draft. */
  'drafts.importFile': { input: z.strictObject({ path: absolutePath }), output: draftSchema },
} as const;

export const contract = { ...pageContract, ...shellContract } as const;

export type Contract = typeof contract;
/** A call the page may make. */
export type Channel = keyof typeof pageContract;
export type ShellChannel = keyof typeof shellContract;
export const channels: readonly Channel[] = channelNames;
export const shellChannels: readonly ShellChannel[] = shellChannelNames;

export function isPageChannel(name: string): name is Channel {
  return Object.hasOwn(pageContract, name);
}

export type ChannelInput<C extends keyof Contract> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends keyof Contract> = z.output<Contract[C]['output']>;

/** What the desktop app's menus and tray ask the page to do (it holds the composer and the views). */
export const appCommands = [
  'new-message',
  'save-draft',
  'send',
  'show-outbox',
  'show-sent',
  'show-drafts',
  'show-logs',
  'show-accounts',
] as const;
export type AppCommand = (typeof appCommands)[number];

/** Events the main process pushes to the renderer. */
export const events = {
  'outbox.changed': z.object({ id: z.string(), state: outboxStateSchema }),
  /** While DATA uploads: bytes handed to the connection so far, of the message's size. */
  'attempt.progress': z.object({
    id: z.string(),
    attemptId: z.string(),
    sent: z.number().int(),
    total: z.number().int(),
  }),
  /** Desktop: the OS handed Posthorn a mailto: link (it is the mail handler); open a new message from it. */
  'compose.open': z.object({ url: z.string().max(100_000) }),
  /** Desktop: a notification was clicked; show that message in the Outbox. */
  'outbox.show': z.object({ id: z.string() }),
  /** Desktop: a menu item or the tray asked for something the page does. */
  'app.command': z.object({ command: z.enum(appCommands) }),
  /** Desktop: a saved message (.eml) was opened with Posthorn; it is now this draft, to edit and send. */
  'draft.open': z.object({ id: z.string() }),
  /** The provider no longer accepts an account's sign-in: its mail waits until the person signs in again. */
  'account.signInNeeded': z.object({ id: z.string(), name: z.string(), message: z.string() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames: readonly EventName[] = eventNameList;

// channel-names.ts must list exactly the contract's channels and events (checked at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListMatches: Same<Channel, ChannelName> = true;
const shellListMatches: Same<ShellChannel, ShellChannelName> = true;
void shellListMatches;
const eventListMatches: Same<EventName, EventNameLiteral> = true;
void channelListMatches;
void eventListMatches;

export type AppEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
