import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { domainOf, type Mailbox } from './addresses.ts';

export type PlainMessage = {
  from: Mailbox;
  replyTo?: string | null;
  to: Mailbox[];
  subject: string;
  text: string;
  date: Date;
};

export type FrozenMessage = {
  raw: Buffer;
  messageId: string;
  envelope: { from: string; to: string[] };
};

/**
 * Builds the MIME once. Message-ID and Date are fixed here, so every retry sends the very
 * same bytes and a resend can be recognised by the receiver as the same message.
 */
export async function freezeMessage(message: PlainMessage): Promise<FrozenMessage> {
  const messageId = `<${randomUUID()}@${domainOf(message.from.address)}>`;
  const node = new MailComposer({
    from: message.from,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    to: message.to,
    subject: message.subject,
    text: message.text,
    date: message.date,
    messageId,
    headers: { 'X-Mailer': 'Posthorn' },
  }).compile();
  const raw = await node.build();
  return {
    raw,
    messageId,
    envelope: { from: message.from.address, to: message.to.map((m) => m.address) },
  };
}
