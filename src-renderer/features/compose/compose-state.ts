import type { MailtoContent } from '../../../src-main/shared/mailto.ts';
import type { Account, Identity } from '../../../src-main/shared/schemas/accounts.ts';
import type {
  Attachment,
  DraftContent,
  DsnRequest,
  MessageInput,
  Priority,
} from '../../../src-main/shared/schemas/compose.ts';

/** Everything the composer holds while a message is written. */
export type ComposeState = {
  accountId: string;
  identityId: string | null;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  /** Plain text (plain mode), or the editor's text (rich mode). */
  text: string;
  /** The editor's HTML in rich mode; null in plain-text mode. */
  html: string | null;
  priority: Priority;
  dsn: DsnRequest;
  attachments: Attachment[];
  /** Through the account's server, or directly to each recipient's mail server (issue 21). */
  route: 'account' | 'direct';
};

/** The signature block, in the usual "-- " form, for plain text and for the editor. */
export function signatureText(identity: Identity | undefined): string {
  return identity?.signature ? `\n\n-- \n${identity.signature}` : '';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** Plain text as editor HTML: blank lines part paragraphs, single line breaks stay. */
export function htmlFromPlainText(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

export function signatureHtml(identity: Identity | undefined): string {
  return identity?.signature ? `<p></p><p>-- <br>${escapeHtml(identity.signature).replace(/\n/g, '<br>')}</p>` : '';
}

export function initialState(accounts: Account[], initial: DraftContent | null): ComposeState {
  const fallback = accounts.find((a) => a.isDefault) ?? accounts[0];
  const account = accounts.find((a) => a.id === initial?.accountId) ?? fallback;
  const identity = account?.identities.find((i) => i.id === initial?.identityId) ?? account?.identities[0];
  if (initial) {
    return {
      accountId: account?.id ?? '',
      identityId: identity?.id ?? null,
      to: initial.to,
      cc: initial.cc,
      bcc: initial.bcc,
      subject: initial.subject,
      text: initial.body,
      html: initial.html,
      priority: initial.priority,
      dsn: initial.dsn,
      attachments: initial.attachments,
      route: initial.route,
    };
  }
  // A new message starts in rich text with the identity's signature.
  return {
    accountId: account?.id ?? '',
    identityId: identity?.id ?? null,
    to: '',
    cc: '',
    bcc: '',
    subject: '',
    text: signatureText(identity),
    html: signatureHtml(identity),
    priority: 'normal',
    dsn: { success: false, failure: false },
    attachments: [],
    route: 'account',
  };
}

/** What goes to the core: the typed-but-not-chipped text of each list is included. */
export function messageInput(state: ComposeState, typing: { to: string; cc: string; bcc: string }): MessageInput {
  const join = (list: string, extra: string) =>
    [list, extra]
      .map((s) => s.trim())
      .filter(Boolean)
      .join(', ');
  return {
    accountId: state.accountId,
    identityId: state.identityId,
    to: join(state.to, typing.to),
    cc: join(state.cc, typing.cc),
    bcc: join(state.bcc, typing.bcc),
    subject: state.subject,
    body: state.text,
    html: state.html,
    priority: state.priority,
    dsn: state.dsn,
    attachments: state.attachments.map((a) => ({ id: a.id, inline: a.inline })),
    route: state.route,
  };
}

export function draftOf(state: ComposeState, typing: { to: string; cc: string; bcc: string }): DraftContent {
  const input = messageInput(state, typing);
  return {
    ...input,
    accountId: input.accountId || null,
    identityId: input.identityId ?? null,
    attachments: state.attachments,
  };
}

/** Whether anything worth keeping was written (a signature alone is not). */
export function hasContent(state: ComposeState, identity: Identity | undefined): boolean {
  const text = state.text.replace(signatureText(identity), '').trim();
  return Boolean(state.to || state.cc || state.bcc || state.subject.trim() || text || state.attachments.length);
}

/** A new message from a mailto: link: its recipients, subject and (plain-text) body. */
export function draftFromMailto(link: MailtoContent): DraftContent {
  return {
    accountId: null,
    identityId: null,
    to: link.to,
    cc: link.cc,
    bcc: link.bcc,
    subject: link.subject,
    body: link.body,
    html: null,
    priority: 'normal',
    dsn: { success: false, failure: false },
    attachments: [],
    route: 'account',
  };
}
