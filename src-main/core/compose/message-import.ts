import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { simpleParser, type AddressObject } from 'mailparser';
import { fail } from '../../shared/errors.ts';
import { draftContentSchema, type Attachment, type Draft } from '../../shared/schemas/compose.ts';
import { formatBytes } from '../../shared/wording.ts';
import type { AccountRecord } from '../accounts/account-repo.ts';
import type { AttachmentStore } from './attachment-store.ts';
import type { DraftRepo } from './draft-repo.ts';

/** A saved message bigger than this is not opened (the largest attachment Posthorn sends is 200 MB). */
const MAX_EML_BYTES = 250 * 1024 * 1024;

export type ImportDeps = {
  attachments: AttachmentStore;
  drafts: DraftRepo;
  accounts: () => AccountRecord[];
  now: () => number;
};

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((list) => list.text).join(', ');
}

/**
 * A saved message (.eml, double-clicked or dropped on the app) becomes a draft to edit and
 * send: recipients, subject, text and HTML, attachments (copied in like any added file; inline
 * images keep their place through their cid). Sent from the account whose identity wrote it,
 * else the default. The file itself is only read. Parsing is mailparser's (MIME, encodings,
 * RFC 2047 words), the same family as nodemailer.
 */
export async function importMessageFile(filePath: string, deps: ImportDeps): Promise<Draft> {
  const name = path.basename(filePath);
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch {
    fail(
      'NOT_FOUND',
      `"${name}" could not be opened: it no longer exists or cannot be read.`,
      'Check the file and open it again.',
    );
  }
  if (size > MAX_EML_BYTES)
    fail(
      'TOO_LARGE',
      `"${name}" is ${formatBytes(size)}, more than Posthorn opens as a message (250 MB).`,
      'Open a smaller message, or attach this file to a new message instead.',
    );
  // skipImageLinks: inline images stay cid: references (mailparser would inline them as data: URIs).
  const parsed = await simpleParser(await readFile(filePath), { skipImageLinks: true });
  const looksLikeMail = ['from', 'to', 'subject', 'date', 'message-id'].some((header) => parsed.headers.has(header));
  if (!looksLikeMail)
    fail('BAD_INPUT', `"${name}" is not a saved email message.`, 'Open a .eml file saved from a mail program.');

  const from = parsed.from?.value[0]?.address?.toLowerCase();
  const accounts = deps.accounts();
  const owner =
    accounts.find((account) => account.identities.some((identity) => identity.fromAddress.toLowerCase() === from)) ??
    accounts.find((account) => account.isDefault) ??
    accounts[0];
  const identity = owner?.identities.find((candidate) => candidate.fromAddress.toLowerCase() === from);

  const attachments: Attachment[] = [];
  let html = typeof parsed.html === 'string' ? parsed.html : null;
  for (const part of parsed.attachments) {
    const added = await deps.attachments.addStream(
      part.filename ?? 'attachment',
      part.contentType,
      Readable.from([part.content]),
      part.content.length,
    );
    const inline = !!part.cid && part.contentDisposition === 'inline' && !!html?.includes(`cid:${part.cid}`);
    // The composer refers to inline images as cid:<attachment id>.
    if (inline && html && part.cid) html = html.split(`cid:${part.cid}`).join(`cid:${added.id}`);
    attachments.push({ ...added, inline });
  }

  const content = draftContentSchema.parse({
    accountId: owner?.id ?? null,
    identityId: identity?.id ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    subject: (parsed.subject ?? '').replace(/[\r\n\0]+/g, ' ').slice(0, 998),
    body: parsed.text ?? '',
    html,
    attachments,
  });
  return deps.drafts.save(randomUUID(), content, deps.now());
}
