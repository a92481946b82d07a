import { needsAttention } from '../shared/attention.ts';
import type { OutboxItem, OutboxState } from '../shared/schemas/outbox.ts';
import { plural } from '../shared/wording.ts';

/**
 * What the desktop app tells the person outside its window: a notification when a message is
 * sent, fails or becomes uncertain; the dock/taskbar badge; the question before quitting.
 * Pure (no electron import), so it is unit-tested; main.ts passes Electron's objects the result.
 */
export type DesktopNotification = { title: string; body: string; outboxId: string };

const subjectOf = (item: Pick<OutboxItem, 'subject'>) =>
  item.subject.trim() ? `“${item.subject.trim()}”` : 'A message without a subject';

function recipients(to: readonly string[]): string {
  if (to.length <= 2) return to.join(' and ');
  return `${to.slice(0, 2).join(', ')} and ${to.length - 2} more`;
}

export function notificationFor(
  state: OutboxState,
  item: Pick<OutboxItem, 'id' | 'subject' | 'to' | 'rejected' | 'lastError'>,
): DesktopNotification | null {
  const subject = subjectOf(item);
  switch (state) {
    case 'sent': {
      const refused =
        item.rejected.length > 0 ? ` ${plural(item.rejected.length, 'recipient was', 'recipients were')} refused.` : '';
      return { title: `Sent: ${subject}`, body: `To ${recipients(item.to)}.${refused}`, outboxId: item.id };
    }
    case 'failed':
      return {
        title: `Not sent: ${subject}`,
        body: item.lastError
          ? `${item.lastError.message}${item.lastError.hint ? ` ${item.lastError.hint}` : ''}`
          : 'Open it in the Outbox to see why.',
        outboxId: item.id,
      };
    case 'uncertain':
      return {
        title: `Maybe sent: ${subject}`,
        body: 'The server did not confirm it. Open it to decide: resend, or mark as sent.',
        outboxId: item.id,
      };
    default:
      return null;
  }
}

/** An account whose sign-in the provider no longer accepts: said once; a click opens Accounts. */
export function signInNotification(account: { name: string; message: string }): { title: string; body: string } {
  return {
    title: `Sign in again: ${account.name}`,
    body: `${account.message} Its messages wait until you sign in again under Accounts.`,
  };
}

/** The badge: messages that need the person (failed or uncertain). */
export function attentionCount(items: readonly Pick<OutboxItem, 'state' | 'rejected'>[]): number {
  return items.filter(needsAttention).length;
}

/** Messages Posthorn would still send if it kept running. */
export function waitingCount(items: readonly Pick<OutboxItem, 'state'>[]): number {
  return items.filter((item) => item.state === 'queued' || item.state === 'sending' || item.state === 'deferred')
    .length;
}

export type QuitQuestion = { message: string; detail: string; buttons: [string, string]; cancelId: 1; defaultId: 1 };

/** Asked before quitting while mail is waiting; null when nothing is. */
export function quitQuestion(items: readonly Pick<OutboxItem, 'state'>[]): QuitQuestion | null {
  const waiting = waitingCount(items);
  if (waiting === 0) return null;
  return {
    message: `${waiting === 1 ? 'One message is' : plural(waiting, 'message is', 'messages are')} still waiting to be sent.`,
    detail:
      'They are safe: Posthorn sends them the next time it starts. Quit now, or keep Posthorn open so they go out sooner?',
    buttons: ['Quit anyway', 'Keep Posthorn open'],
    cancelId: 1,
    defaultId: 1,
  };
}
