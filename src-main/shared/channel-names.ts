/**
 * The names alone, without their schemas: the preload and the renderer's transports need only
 * these, and importing them keeps zod out of those bundles. contract.ts checks it matches.
 */
export const channelNames = [
  'app.info',
  'app.wake',
  'app.reportError',
  'accounts.list',
  'accounts.check',
  'accounts.save',
  'accounts.delete',
  'accounts.duplicate',
  'accounts.autoconfig',
  'accounts.test',
  'accounts.signInStart',
  'accounts.signInFinish',
  'accounts.signInCancel',
  'outbox.enqueue',
  'outbox.list',
  'outbox.get',
  'outbox.undo',
  'outbox.retryNow',
  'outbox.cancel',
  'outbox.resend',
  'outbox.markSent',
  'logs.search',
  'logs.export',
  'attempts.transcript',
  'drafts.save',
  'drafts.list',
  'drafts.get',
  'drafts.delete',
  'attachments.remove',
  'attachments.preview',
  'compose.check',
  'compose.preview',
  'compose.dryRun',
  'compose.plainText',
  'compose.recipients',
  'settings.get',
  'settings.save',
] as const;

/** Calls only the shells make (contract.ts says why); never exposed to the page. */
export const shellChannelNames = ['attachments.addPaths', 'drafts.importFile'] as const;

/**
 * The desktop window's own two ways to add files, outside the contract because the page cannot
 * say which file: files dropped on it, whose paths the preload reads off the File objects and
 * which the main process adds only after asking the person (a compromised page could name any
 * path), and the OS file dialog, which the main process opens. Both end in attachments.addPaths.
 */
export const ADD_DROPPED_CHANNEL = 'attachments.addDropped';
export const PICK_FILES_CHANNEL = 'attachments.pickFiles';

export const eventNames = [
  'outbox.changed',
  'attempt.progress',
  'compose.open',
  'outbox.show',
  'app.command',
  'draft.open',
  'account.signInNeeded',
] as const;

export type ChannelName = (typeof channelNames)[number];
export type ShellChannelName = (typeof shellChannelNames)[number];
export type EventNameLiteral = (typeof eventNames)[number];

export function isEventNameLiteral(value: string): value is EventNameLiteral {
  return (eventNames as readonly string[]).includes(value);
}
