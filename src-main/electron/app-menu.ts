import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../shared/contract.ts';

/** What the menu can ask for; main.ts passes functions that reach the window, the shell and the core. */
export type MenuActions = {
  /** Something the page does (it has the composer and the views): sent to it as an `app.command` event. */
  command(command: AppCommand): void;
  openDataFolder(): void;
  /** The app log's folder (unexpected errors, for a bug report). */
  openLogFolder(): void;
  /** Whether Posthorn opens mailto: links now, and turning that on or off (opt-in). */
  isMailtoHandler(): boolean;
  setMailtoHandler(on: boolean): void;
};

/**
 * The native menu bar, the same commands on every OS in the places each OS expects them
 * (macOS: an app menu with About, Settings-like items and Quit; Windows and Linux: File > Exit).
 * Shortcuts the page already handles (Ctrl+N, Ctrl+S, Ctrl+Enter) are shown but not registered
 * twice: the page keeps the key, the menu item works when clicked. Pure: tests pass a platform
 * and stand-in actions and read the template.
 */
export function menuTemplate(platform: NodeJS.Platform, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const mailto: MenuItemConstructorOptions = {
    label: 'Open Email Links with Posthorn',
    type: 'checkbox',
    checked: actions.isMailtoHandler(),
    click: (item) => actions.setMailtoHandler(item.checked),
  };
  return [
    ...(mac ? [macAppMenu(mailto)] : []),
    fileMenu(mac, actions, mailto),
    editMenu(mac),
    viewMenu(mac, actions),
    windowMenu(mac),
    helpMenu(mac, actions),
  ];
}

/** Windows and Linux mark the menu's access key with "&"; macOS shows labels as they are. */
const title = (mac: boolean, label: string) => (mac ? label : `&${label}`);

/** macOS: the app's own menu comes first, with About, the mail-handler choice and Quit. */
function macAppMenu(mailto: MenuItemConstructorOptions): MenuItemConstructorOptions {
  return {
    label: 'Posthorn',
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      mailto,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
}

function fileMenu(mac: boolean, actions: MenuActions, mailto: MenuItemConstructorOptions): MenuItemConstructorOptions {
  // Shown with their shortcuts, which the page handles itself (not registered twice).
  const pageKey = (label: string, accelerator: string, command: AppCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: () => actions.command(command),
  });
  return {
    label: title(mac, 'File'),
    submenu: [
      pageKey('New Message', 'CmdOrCtrl+N', 'new-message'),
      pageKey('Save Draft', 'CmdOrCtrl+S', 'save-draft'),
      pageKey('Send', 'CmdOrCtrl+Enter', 'send'),
      { type: 'separator' },
      { label: 'Show Data Folder', click: () => actions.openDataFolder() },
      ...(mac ? [] : [{ type: 'separator' } as const, mailto]),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
    ],
  };
}

function editMenu(mac: boolean): MenuItemConstructorOptions {
  return {
    label: title(mac, 'Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'pasteAndMatchStyle' },
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  };
}

function viewMenu(mac: boolean, actions: MenuActions): MenuItemConstructorOptions {
  const view = (label: string, key: string, command: AppCommand): MenuItemConstructorOptions => ({
    label,
    accelerator: `CmdOrCtrl+${key}`,
    click: () => actions.command(command),
  });
  return {
    label: title(mac, 'View'),
    submenu: [
      view('Outbox', '1', 'show-outbox'),
      view('Sent', '2', 'show-sent'),
      view('Drafts', '3', 'show-drafts'),
      view('Logs', '4', 'show-logs'),
      view('Accounts', '5', 'show-accounts'),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}

function windowMenu(mac: boolean): MenuItemConstructorOptions {
  return {
    label: title(mac, 'Window'),
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
}

function helpMenu(mac: boolean, actions: MenuActions): MenuItemConstructorOptions {
  return {
    label: title(mac, 'Help'),
    role: 'help',
    submenu: [
      { label: 'Show Log Folder', click: () => actions.openLogFolder() },
      ...(mac
        ? [{ label: 'Show Data Folder', click: () => actions.openDataFolder() }]
        : [{ type: 'separator' } as const, { role: 'about', label: 'About Posthorn' } as const]),
    ],
  };
}
