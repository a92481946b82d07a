import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Priority } from '../../shared/schemas/compose.ts';
import { domainOf, type Mailbox } from './addresses.ts';
import { htmlDocument } from './html-body.ts';

/** An attached file, read from the core's attachment folder while the MIME is written. */
export type FileAttachment = { id: string; name: string; type: string; size: number; path: string; inline: boolean };

/** A message ready to be frozen: every address parsed, the HTML already sanitised. */
export type ComposedMessage = {
  from: Mailbox;
  replyTo?: string | null;
  to: Mailbox[];
  cc?: Mailbox[];
  /** Envelope only: never written into the headers. */
  bcc?: Mailbox[];
  subject: string;
  text: string;
  html?: string | null;
  priority?: Priority;
  attachments?: FileAttachment[];
  date: Date;
};

export type Envelope = { from: string; to: string[] };

/** Small messages are built in memory; with attachments the MIME is streamed to the spool. */
export function isLarge(message: ComposedMessage): boolean {
  return (message.attachments?.length ?? 0) > 0;
}

/** The headers mail programs read for priority (MailComposer itself does not write them). */
function priorityHeaders(priority: Priority): Record<string, string> {
  if (priority === 'high') return { 'X-Priority': '1 (Highest)', 'X-MSMail-Priority': 'High', Importance: 'High' };
  if (priority === 'low') return { 'X-Priority': '5 (Lowest)', 'X-MSMail-Priority': 'Low', Importance: 'Low' };
  return {};
}

/** nodemailer's MIME tree for the message, Message-ID and Date fixed. */
function compile(message: ComposedMessage, messageId: string) {
  return new MailComposer({
    from: message.from,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    to: message.to,
    ...(message.cc && message.cc.length > 0 ? { cc: message.cc } : {}),
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: htmlDocument(message.html) } : {}),
    attachments: (message.attachments ?? []).map((file) => ({
      filename: file.name,
      contentType: file.type,
      path: file.path,
      ...(file.inline ? { cid: file.id, contentDisposition: 'inline' as const } : {}),
    })),
    date: message.date,
    messageId,
    headers: { 'X-Mailer': 'Posthorn', ...priorityHeaders(message.priority ?? 'normal') },
  }).compile();
}

export function envelopeOf(message: ComposedMessage): Envelope {
  return {
    from: message.from.address,
    to: [...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])].map((m) => m.address),
  };
}

export function newMessageId(from: Mailbox): string {
  return `<${randomUUID()}@${domainOf(from.address)}>`;
}

export type FrozenMessage = { raw: Buffer; messageId: string; envelope: Envelope };

/**
 * Builds the MIME once, in memory. Message-ID and Date are fixed here, so every retry sends
 * the very same bytes and a resend can be recognised by the receiver as the same message.
 */
export async function freezeMessage(
  message: ComposedMessage,
  messageId = newMessageId(message.from),
): Promise<FrozenMessage> {
  const raw = await compile(message, messageId).build();
  return { raw, messageId, envelope: envelopeOf(message) };
}

/** The same MIME as a stream (attachments read from disk as it is consumed). */
export function messageStream(
  message: ComposedMessage,
  messageId = newMessageId(message.from),
): { stream: Readable; messageId: string; envelope: Envelope } {
  return { stream: compile(message, messageId).createReadStream(), messageId, envelope: envelopeOf(message) };
}
