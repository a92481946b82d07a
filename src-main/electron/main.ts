import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import { createCore, type Core } from '../core/create-core.ts';
import { AppLog } from '../core/logs/app-log.ts';
import { KeytarSecretStore } from '../core/secrets/keytar-store.ts';
import { privateFolder } from '../core/store/private-files.ts';
import type { AppCommand, EventName, EventPayload } from '../shared/contract.ts';
import { AppFailure, describeForPerson } from '../shared/errors.ts';
import type { OutboxItem } from '../shared/schemas/outbox.ts';
import { menuTemplate } from './app-menu.ts';
import { APP_URL_PREFIX, handleAppScheme, registerAppScheme } from './app-protocol.ts';
import { attentionCount, notificationFor, quitQuestion, signInNotification } from './desktop-signals.ts';
import { fileDialogs } from './file-dialogs.ts';
import { registerIpc } from './ipc-register.ts';
import { hardenSession } from './security.ts';
import { backgroundNotice, keepRunningWhenClosed, trayMenuTemplate, trayTooltip } from './tray-menu.ts';
import { placeWindow, readWindowState, trackWindowState, writeWindowState } from './window-state.ts';
import { createMainWindow, rendererDir } from './window.ts';

// dist/main/electron/main.js -> the app root holds dist/ and package.json.
const appRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** How long quitting waits for a message being sent to finish before it ends anyway. */
const QUIT_WAIT_MS = 10_000;

let mainWindow: BrowserWindow | null = null;
/** Unexpected errors, for a bug report: a packaged app has no console (docs: README, "Logs"). */
let appLog: AppLog | null = null;
let core: Core | null = null;

/** A mailto: link among the arguments (Windows and Linux pass it on the command line). */
function mailtoIn(argv: readonly string[]): string | null {
  return argv.find((arg) => /^mailto:/i.test(arg)) ?? null;
}

/** Saved messages among the arguments (double-clicked .eml files, on Windows and Linux). */
function messageFilesIn(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => /\.eml$/i.test(arg) && !arg.startsWith('-'));
}

let tray: Tray | null = null;
const windowStateFile = () => path.join(app.getPath('userData'), 'window-state.json');

/** The window, opened (at its remembered place) if it was closed while Posthorn kept running. */
function showWindow(): BrowserWindow {
  if (!mainWindow) {
    const placement = placeWindow(
      readWindowState(windowStateFile()),
      screen.getAllDisplays().map((display) => display.workArea),
    );
    const window = createMainWindow(appRoot, placement);
    trackWindowState(window, (state) => writeWindowState(windowStateFile(), state));
    window.on('closed', () => {
      mainWindow = null;
    });
    mainWindow = window;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

/** An event for the page, once it can listen. */
function sendToPage<E extends EventName>(name: E, payload: EventPayload<E>): void {
  const window = showWindow();
  const send = () => window.webContents.send(name, payload);
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
  else send();
}

/** Opens a new message from a link; the page parses it (shared/mailto.ts). */
function openMailto(url: string): void {
  sendToPage('compose.open', { url });
}

/** A saved message becomes a draft (in the core), which the page then opens. */
function openMessageFile(filePath: string): void {
  if (!core) return;
  void core.dispatch('drafts.importFile', { path: filePath }).then((draft) => {
    if (draft.ok) sendToPage('draft.open', { id: draft.value.id });
    else dialog.showErrorBox('Posthorn could not open the message', describeForPerson(new AppFailure(draft.error)));
  });
}

function command(name: AppCommand): void {
  sendToPage('app.command', { command: name });
}

/** The menu bar; rebuilt when the mailto choice changes so its tick is right. */
function installMenu(dataDir: string, logDir: string): void {
  const template = menuTemplate(process.platform, {
    command,
    openDataFolder: () => void shell.openPath(dataDir),
    openLogFolder: () => {
      privateFolder(logDir);
      void shell.openPath(logDir);
    },
    isMailtoHandler: () => app.isDefaultProtocolClient('mailto'),
    setMailtoHandler: (on) => {
      // Opt-in: Posthorn asks the OS only when the person ticks this.
      if (on) app.setAsDefaultProtocolClient('mailto');
      else app.removeAsDefaultProtocolClient('mailto');
      installMenu(dataDir, logDir);
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The tray (menu bar on macOS) icon: Posthorn's way back while it sends with its window closed. */
function installTray(): void {
  const icon = app.isPackaged ? path.join(process.resourcesPath, 'tray.png') : path.join(appRoot, 'build', 'tray.png');
  try {
    tray = new Tray(nativeImage.createFromPath(icon));
    tray.on('click', () => showWindow());
    updateTray();
  } catch {
    tray = null; // no tray on this desktop: closing the window then quits (asking first if mail waits)
  }
}

function updateTray(): void {
  if (!tray) return;
  tray.setToolTip(trayTooltip(outboxNow));
  tray.setContextMenu(
    Menu.buildFromTemplate(
      trayMenuTemplate(outboxNow, {
        open: () => showWindow(),
        newMessage: () => command('new-message'),
        showOutbox: () => command('show-outbox'),
        quit: () => app.quit(),
      }),
    ),
  );
}

/** The outbox as last read, for the badge and the question before quitting (which must answer at once). */
let outboxNow: OutboxItem[] = [];
let quitting = false;

/** Notifications, badge and the list kept for quitting, from the core's events. */
function watchOutbox(running: Core): void {
  const refresh = async () => {
    const list = await running.dispatch('outbox.list', {});
    if (!list.ok) return;
    outboxNow = list.value;
    app.setBadgeCount(attentionCount(outboxNow));
    updateTray();
  };
  void refresh();
  running.subscribe((event) => {
    if (event.name === 'account.signInNeeded' && Notification.isSupported()) {
      const notification = new Notification(signInNotification(event.payload));
      notification.on('click', () => sendToPage('app.command', { command: 'show-accounts' }));
      notification.show();
    }
    if (event.name !== 'outbox.changed') return;
    void refresh();
    if (!Notification.isSupported()) return;
    const state = event.payload.state;
    if (state !== 'sent' && state !== 'failed' && state !== 'uncertain') return;
    void running.dispatch('outbox.get', { id: event.payload.id }).then((detail) => {
      const shown = detail.ok ? notificationFor(state, detail.value.item) : null;
      if (!shown) return;
      const notification = new Notification({ title: shown.title, body: shown.body });
      // A click opens that message in the Outbox.
      notification.on('click', () => sendToPage('outbox.show', { id: shown.outboxId }));
      notification.show();
    });
  });
}

/** Everything that needs Electron ready: the session, the core, IPC, menus, tray and the window. */
function start(): void {
  hardenSession(session.defaultSession);
  handleAppScheme(rendererDir(appRoot));
  const dataDir = process.env.POSTHORN_DATA_DIR ?? app.getPath('userData');
  const log = new AppLog(dataDir);
  appLog = log;
  try {
    core = createCore({ dataDir, secrets: new KeytarSecretStore(), mode: 'electron', version: app.getVersion(), log });
  } catch (error) {
    log.error('start', error);
    dialog.showErrorBox('Posthorn could not start', describeForPerson(error));
    app.quit();
    return;
  }
  registerIpc(
    core,
    () => mainWindow,
    APP_URL_PREFIX,
    fileDialogs(() => mainWindow),
  );
  watchOutbox(core);
  // After sleep the queue may have mail that came due, or an offline pause to end.
  powerMonitor.on('resume', () => core?.wake());
  powerMonitor.on('unlock-screen', () => core?.wake());
  installMenu(dataDir, log.dir);
  installTray();
  showWindow();
  if (startupMailto) openMailto(startupMailto);
  for (const file of startupFiles) openMessageFile(file);
}

// Quitting with mail waiting asks first (it is safe either way: it goes at the next start).
app.on('before-quit', (event) => {
  if (quitting) return;
  const question = quitQuestion(outboxNow);
  if (!question) return;
  const answer = mainWindow
    ? dialog.showMessageBoxSync(mainWindow, { type: 'question', ...question })
    : dialog.showMessageBoxSync({ type: 'question', ...question });
  if (answer === question.cancelId) event.preventDefault();
  else quitting = true;
});

// macOS hands links and files to the running app as events, possibly before it is ready.
let startupMailto = mailtoIn(process.argv);
const startupFiles = messageFilesIn(process.argv);
app.on('open-url', (event, url) => {
  event.preventDefault();
  if (core) openMailto(url);
  else startupMailto = url;
});
app.on('open-file', (event, filePath) => {
  event.preventDefault();
  if (core) openMessageFile(filePath);
  else startupFiles.push(filePath);
});

// Before ready, as Electron requires: app://posthorn/ is where the interface is served from.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const link = mailtoIn(argv);
    if (link) openMailto(link);
    for (const file of messageFilesIn(argv)) openMessageFile(file);
    showWindow();
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      appLog?.error('start', error);
      console.error('Posthorn failed to start:', error);
      app.quit();
    });

  // Closing the window does not stop the outbox: Posthorn keeps sending until the person quits
  // (from the tray, the Dock or the menu), and says so the first time.
  let toldAboutBackground = false;
  app.on('window-all-closed', () => {
    if (!keepRunningWhenClosed(process.platform, tray !== null)) {
      app.quit();
      return;
    }
    if (!toldAboutBackground && process.platform !== 'darwin' && Notification.isSupported()) {
      toldAboutBackground = true;
      new Notification(backgroundNotice(outboxNow)).show();
    }
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) showWindow();
  });

  // Electron ends the process as soon as will-quit returns, so the core (the sender, the
  // store, the data folder's lock) is closed first and the quit resumed after. A send still
  // running after QUIT_WAIT_MS is left to the next start, which settles it as it would after a crash.
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = null;
    const waited = new Promise<void>((resolve) => setTimeout(resolve, QUIT_WAIT_MS).unref());
    void Promise.race([closing.close(), waited])
      .catch((error: unknown) => {
        appLog?.error('quit', error);
        console.error('Posthorn could not close its data cleanly:', error);
      })
      .finally(() => app.quit());
  });
}
