import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import type { Attachment } from '../../../src-main/shared/schemas/compose.ts';
import { htmlFromPlainText, signatureHtml, signatureText, type ComposeState } from './compose-state.ts';

export type ComposeAction =
  | { type: 'set'; patch: Partial<ComposeState> }
  | { type: 'choose-from'; accounts: readonly Account[]; accountId: string; identityId: string | null }
  | { type: 'add-attachments'; attachments: Attachment[] }
  | { type: 'to-rich' }
  /** `text`: the plain text of the formatted message (the core's `compose.plainText`), made by the caller. */
  | { type: 'to-plain'; text: string };

function identityOf(accounts: readonly Account[], accountId: string, identityId: string | null) {
  const account = accounts.find((a) => a.id === accountId);
  return account?.identities.find((i) => i.id === identityId) ?? account?.identities[0];
}

/**
 * Everything the composer does to the message being written, as one pure function (tested
 * without a screen): field edits, choosing another From (its signature swapped in when the old
 * one is still in the text), attachments, and switching between formatted and plain text.
 */
export function composeReducer(state: ComposeState, action: ComposeAction): ComposeState {
  switch (action.type) {
    case 'set':
      return { ...state, ...action.patch };
    case 'choose-from': {
      const before = identityOf(action.accounts, state.accountId, state.identityId);
      const next = identityOf(action.accounts, action.accountId, action.identityId);
      const oldText = signatureText(before);
      const oldHtml = signatureHtml(before);
      return {
        ...state,
        accountId: action.accountId,
        identityId: action.identityId,
        text: oldText && state.text.includes(oldText) ? state.text.replace(oldText, signatureText(next)) : state.text,
        html:
          state.html !== null && oldHtml && state.html.includes(oldHtml)
            ? state.html.replace(oldHtml, signatureHtml(next))
            : state.html,
      };
    }
    case 'add-attachments':
      return { ...state, attachments: [...state.attachments, ...action.attachments] };
    case 'to-rich':
      return state.html === null ? { ...state, html: htmlFromPlainText(state.text) } : state;
    case 'to-plain':
      // Images in the text cannot stay in plain text: they go on as ordinary attachments.
      return {
        ...state,
        html: null,
        text: action.text,
        attachments: state.attachments.map((a) => (a.inline ? { ...a, inline: false } : a)),
      };
  }
}
