import { hasNonAscii } from '../../shared/address-list.ts';
import { fail } from '../../shared/errors.ts';
import type { ComposeWarning, DraftContent, DryRun, MessageInput } from '../../shared/schemas/compose.ts';
import { choose, formatBytes } from '../../shared/wording.ts';
import type { AccountRecord } from '../accounts/account-repo.ts';
import type { AccountService } from '../accounts/account-service.ts';
import { spfWarning } from '../direct/spf-check.ts';
import type { SmtpTarget } from '../smtp/connection-options.ts';
import { probeRecipients } from '../smtp/probe-recipients.ts';
import { SmtpSession } from '../smtp/smtp-session.ts';
import { requireAddresses, type Mailbox } from './addresses.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { freezeMessage, messageStream, type ComposedMessage, type FileAttachment } from './build-message.ts';
import { recipientDomainWarnings } from './domain-warnings.ts';
import { sanitizeMessageHtml } from './html-body.ts';
import type { MailDomainResolver } from './mail-domain.ts';
import { plainTextOf } from './plain-text.ts';
import { estimatedSize } from './size-estimate.ts';

export type ComposeDeps = {
  accounts: AccountService;
  attachments: AttachmentStore;
  resolver: MailDomainResolver;
  trustedCertificates: readonly string[];
};

/** A message resolved against its account: who speaks, every address parsed, the body ready. */
export type ResolvedMessage = { account: AccountRecord; message: ComposedMessage; draft: DraftContent };

/** How much of a message source the preview shows; the rest is attachment data. */
const PREVIEW_BYTES = 256 * 1024;

const MENTIONS_ATTACHMENT =
  /\b(attach(ed|ment|ments|ing)?|enclosed|anbei|angehängt|anhang|ci-joint|pièce jointe|adjunto|in allegato|bijgevoegd)\b/iu;

/** What the composer asks of the core before and around sending. */
export class ComposeService {
  private readonly deps: ComposeDeps;

  constructor(deps: ComposeDeps) {
    this.deps = deps;
  }

  /** Turns what the composer sent into a message: refuses (BAD_INPUT) what cannot be sent at all. */
  resolve(input: MessageInput, date: Date): ResolvedMessage {
    const account = this.deps.accounts.require(input.accountId);
    const identity =
      (input.identityId ? account.identities.find((i) => i.id === input.identityId) : undefined) ??
      account.identities[0];
    if (input.identityId && identity?.id !== input.identityId)
      fail('BAD_INPUT', 'identityId: That identity is no longer part of the account.', 'Choose another From address.');
    const from: Mailbox = identity
      ? { name: identity.fromName, address: identity.fromAddress }
      : { name: account.name, address: account.email };
    const to = requireAddresses(input.to, 'to', true);
    const cc = requireAddresses(input.cc, 'cc', false);
    const bcc = requireAddresses(input.bcc, 'bcc', false);
    const html = input.html ? sanitizeMessageHtml(input.html) : null;
    const stored = this.deps.attachments.find(input.attachments.map((a) => a.id));
    const attachments: FileAttachment[] = input.attachments.map((ref) => {
      const row = stored.get(ref.id);
      if (!row)
        fail(
          'NOT_FOUND',
          'An attachment of this message is no longer there.',
          'Remove it from the message and add the file again.',
        );
      return { ...row, inline: ref.inline, path: this.deps.attachments.filePath(row.id) };
    });
    return {
      account,
      message: {
        from,
        replyTo: identity?.replyTo || null,
        to,
        cc,
        bcc,
        subject: input.subject,
        // With rich text, the plain-text alternative is made from the sanitised HTML.
        text: html ? plainTextOf(html) : input.body,
        html,
        priority: input.priority,
        attachments,
        date,
      },
      draft: {
        accountId: account.id,
        identityId: identity?.id ?? null,
        to: input.to,
        cc: input.cc,
        bcc: input.bcc,
        subject: input.subject,
        body: input.body,
        html,
        priority: input.priority,
        dsn: input.dsn,
        route: input.route,
        attachments: attachments.map(({ path: _path, ...a }) => a),
      },
    };
  }

  /** The exact source that Send would queue, except its Message-ID and Date, which are fixed when it is sent. */
  async preview(input: MessageInput): Promise<{ source: string; size: number; shownBytes: number }> {
    const { message } = this.resolve(input, new Date());
    if (!message.attachments?.length) {
      const { raw } = await freezeMessage(message);
      return { source: raw.toString('utf8'), size: raw.length, shownBytes: raw.length };
    }
    // With attachments, stream it and keep only the beginning: the rest is base64 data.
    const { stream } = messageStream(message);
    const kept: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (size < PREVIEW_BYTES) kept.push(chunk.subarray(0, PREVIEW_BYTES - size));
      size += chunk.length;
    }
    const shown = Buffer.concat(kept);
    return { source: shown.toString('utf8'), size, shownBytes: shown.length };
  }

  /** Warnings worth a second look before sending; each can be overridden ("Send anyway"). */
  async check(input: MessageInput): Promise<ComposeWarning[]> {
    const { account, message } = this.resolve(input, new Date());
    const warnings: ComposeWarning[] = [];
    // Direct delivery does not go through the account's server: what it offers does not apply.
    const direct = input.route === 'direct';
    const capabilities = direct ? null : (account.lastEhlo?.capabilities ?? null);
    const recipients = [...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])];
    const size = estimatedSize(message);
    if (direct) {
      warnings.push(...(await this.directWarnings(message.from.address)));
    } else if (!capabilities) {
      warnings.push({
        code: 'NO_EHLO_YET',
        message: `Posthorn has not talked to ${account.host} yet, so it cannot check the message against what the server accepts.`,
        hint: 'Use "Test connection" on the account, or send anyway.',
      });
    } else if (capabilities.size !== null && capabilities.size > 0 && size > capabilities.size) {
      warnings.push({
        code: 'TOO_LARGE',
        message: `The message is about ${formatBytes(size)} once encoded, more than the ${formatBytes(capabilities.size)} ${account.host} accepts.`,
        hint: 'Remove or shrink attachments, or share large files by link.',
      });
    }
    const utf8 = recipients.filter((r) => hasNonAscii(r.address.slice(0, r.address.lastIndexOf('@'))));
    if (utf8.length > 0 && capabilities && !capabilities.smtpUtf8) {
      warnings.push({
        code: 'NEEDS_SMTPUTF8',
        message: `${utf8.map((r) => r.address).join(', ')} ${choose(utf8.length, 'has', 'have')} non-ASCII characters before the @, and ${account.host} does not offer SMTPUTF8, so it will refuse ${choose(utf8.length, 'it', 'them')}.`,
        hint: 'Ask the recipient for an ASCII address, or send through an account whose server offers SMTPUTF8.',
      });
    }
    if (input.subject.trim() === '')
      warnings.push({
        code: 'EMPTY_SUBJECT',
        message: 'The message has no subject.',
        hint: 'Add a subject so the recipient knows what it is about, or send anyway.',
        fix: { action: 'focus-subject', label: 'Add a subject' },
      });
    if (!message.attachments?.some((a) => !a.inline) && MENTIONS_ATTACHMENT.test(`${input.subject}\n${message.text}`)) {
      warnings.push({
        code: 'MISSING_ATTACHMENT',
        message: 'The message mentions an attachment, but nothing is attached.',
        hint: 'Add the file, or send anyway if none was meant.',
        fix: { action: 'add-files', label: 'Add files…' },
      });
    }
    const login = account.username.includes('@') ? account.username.toLowerCase() : account.email.toLowerCase();
    if (!direct && account.auth !== 'none' && message.from.address.toLowerCase() !== login) {
      warnings.push({
        code: 'FROM_DIFFERS',
        message: `The From address ${message.from.address} is not the one you log in with (${login}); many servers refuse or flag that.`,
        hint: 'Make sure the server lets you send as this address (an alias), or choose another From.',
      });
    }
    if ((input.dsn.success || input.dsn.failure) && capabilities && !capabilities.dsn) {
      warnings.push({
        code: 'NO_DSN',
        message: `${account.host} does not offer delivery status notifications (DSN), so the request will not be passed on.`,
        hint: 'Send anyway without notifications, or turn the request off.',
      });
    }
    warnings.push(...(await recipientDomainWarnings(recipients, this.deps.resolver)));
    return warnings;
  }

  /** Checks that belong to direct delivery: whether the sender domain's SPF lets this computer send. */
  private async directWarnings(from: string): Promise<ComposeWarning[]> {
    const warning = await spfWarning(from.slice(from.lastIndexOf('@') + 1), this.deps.resolver);
    return warning ? [warning] : [];
  }

  /**
   * Connects, logs in, and asks the server about each recipient (MAIL FROM, RCPT TO), then RSET:
   * nothing is sent. With `vrfy`, each recipient is also asked about with VRFY.
   */
  async dryRun(input: MessageInput, vrfy = false): Promise<DryRun> {
    // A dry run asks the account's server; it would say nothing about the recipients' own servers.
    if (input.route === 'direct')
      fail(
        'UNSUPPORTED',
        "A dry run asks the account's server, but this message goes directly to each recipient's mail server.",
        "Switch Send through to the account's server to try the recipients there, or send it: each leg's transcript shows what each server said.",
      );
    const { account, message } = this.resolve(input, new Date());
    const target: SmtpTarget = {
      ...account,
      password: await this.deps.accounts.logins.loginSecret(account),
      ...this.deps.accounts.logins.loginExtras(account),
      trustedCertificates: this.deps.trustedCertificates,
    };
    const opened = await SmtpSession.open(target, 'dry-run');
    if ('report' in opened)
      return { accepted: [], refused: [], vrfy: [], error: opened.report.error, lines: opened.report.lines };
    const { session, recorder } = opened;
    try {
      const envelope = {
        from: message.from.address,
        to: [...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])].map((m) => m.address),
      };
      const result = await probeRecipients(session, recorder, envelope, vrfy);
      await session.quit();
      // The refusals and the error quote the server: scrubbed like the transcript.
      return recorder.scrub({
        accepted: result.accepted,
        refused: result.refused,
        vrfy: result.vrfy,
        error: result.failure,
        lines: recorder.lines,
      });
    } finally {
      session.close();
    }
  }
}
