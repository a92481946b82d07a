import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';

export type OutboxAction = 'undo' | 'retry' | 'resend' | 'mark-sent' | 'cancel' | 'edit';
export type OfferedAction = { action: OutboxAction; label: string; primary: boolean };

/** Refused for good by the server (a 5xx): sending the same thing again would meet the same answer. */
const refusedForGood = (item: Pick<OutboxItem, 'lastError'>) =>
  item.lastError?.code === 'SMTP_REJECTED' || item.lastError?.code === 'SMTP_AUTH';

/**
 * What the person is offered for a message in its state (issue 17: "Retry now" only where
 * someone is left to send to; a message refused for good offers editing first).
 */
export function offeredActions(
  item: Pick<OutboxItem, 'state' | 'attemptCount' | 'pending' | 'lastError'>,
  hasDraft: boolean,
): { actions: OfferedAction[]; note: string | null } {
  const actions: OfferedAction[] = [];
  let note: string | null = null;
  const edit = (primary: boolean) => hasDraft && actions.push({ action: 'edit', label: 'Edit as new', primary });
  switch (item.state) {
    case 'queued':
      if (item.attemptCount === 0) actions.push({ action: 'undo', label: 'Undo and edit', primary: true });
      actions.push({ action: 'cancel', label: 'Cancel sending', primary: false });
      break;
    case 'deferred':
      actions.push({ action: 'retry', label: 'Retry now', primary: true });
      actions.push({ action: 'cancel', label: 'Cancel sending', primary: false });
      break;
    case 'failed':
      if (item.pending.length === 0) {
        note =
          'Every recipient was refused for good, so there is nobody left to send it to. Edit it as a new message to correct the addresses.';
        edit(true);
      } else if (refusedForGood(item)) {
        note =
          'The server refused it for good: sending it unchanged would meet the same answer. Edit it first, or retry if you have fixed the cause (the account, the server).';
        edit(true);
        actions.push({ action: 'retry', label: 'Retry anyway', primary: !hasDraft });
      } else {
        actions.push({ action: 'retry', label: 'Retry now', primary: true });
        edit(false);
      }
      break;
    case 'uncertain':
      note =
        'The server may or may not have it. Ask a recipient, then resend it (it keeps its Message-ID, so duplicates can be recognised) or mark it as sent.';
      actions.push({ action: 'resend', label: 'Resend (same Message-ID)', primary: true });
      actions.push({ action: 'mark-sent', label: 'Mark as sent', primary: false });
      break;
    case 'cancelled':
    case 'sent':
      edit(false);
      break;
    case 'sending':
      break;
  }
  return { actions, note };
}
