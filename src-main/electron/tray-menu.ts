import type { MenuItemConstructorOptions } from 'electron';
import type { OutboxItem } from '../shared/schemas/outbox.ts';
import { choose, plural } from '../shared/wording.ts';
import { attentionCount, waitingCount } from './desktop-signals.ts';

export type TrayActions = { open(): void; newMessage(): void; showOutbox(): void; quit(): void };

/** The tray icon's tooltip: what Posthorn is doing while its window may be closed. */
export function trayTooltip(items: readonly Pick<OutboxItem, 'state' | 'rejected'>[]): string {
  const waiting = waitingCount(items);
  const attention = attentionCount(items);
  const parts = [
    waiting > 0 ? `${waiting} waiting to be sent` : 'Nothing waiting to be sent',
    ...(attention > 0 ? [`${attention} ${choose(attention, 'needs', 'need')} attention`] : []),
  ];
  return `Posthorn — ${parts.join(', ')}`;
}

/** The tray icon's menu; its first line says the state, so the person knows why it is still running. */
export function trayMenuTemplate(
  items: readonly Pick<OutboxItem, 'state' | 'rejected'>[],
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const attention = attentionCount(items);
  return [
    { label: trayTooltip(items).replace('Posthorn — ', ''), enabled: false },
    { type: 'separator' },
    { label: 'Open Posthorn', click: () => actions.open() },
    { label: 'New Message', click: () => actions.newMessage() },
    ...(attention > 0 ? [{ label: `Show ${attention} in the Outbox`, click: () => actions.showOutbox() }] : []),
    { type: 'separator' },
    { label: 'Quit Posthorn', click: () => actions.quit() },
  ];
}

/**
 * Whether closing the last window leaves Posthorn running: on macOS always (the usual Mac way,
 * it stays in the Dock); elsewhere when it has a tray icon to come back from, so queued mail
 * keeps going until the person quits. Without a tray (some Linux desktops) it quits, asking
 * first if mail is waiting.
 */
export function keepRunningWhenClosed(platform: NodeJS.Platform, hasTray: boolean): boolean {
  return platform === 'darwin' || hasTray;
}

/** Said once, the first time the window closes while Posthorn keeps running. */
export function backgroundNotice(items: readonly Pick<OutboxItem, 'state' | 'rejected'>[]): {
  title: string;
  body: string;
} {
  const waiting = waitingCount(items);
  return {
    title: 'Posthorn is still running',
    body: `${waiting > 0 ? `It keeps sending the ${waiting === 1 ? 'message' : plural(waiting, 'message')} in the Outbox. ` : ''}Quit it from its icon in the tray or menu bar.`,
  };
}
