import { app, BrowserWindow, dialog, Notification, powerMonitor, session } from 'electron';
import type { OutboxItem } from '../shared/models.ts';
import { attentionCount, notificationFor, quitQuestion } from './desktop-signals.ts';
import path from 'node:path';
import { createCore, type Core } from '../core/create-core.ts';
import { describeForPerson } from '../shared/errors.ts';
import { KeytarSecretStore } from '../core/secrets/keytar-store.ts';
import { registerIpc } from './ipc-register.ts';
import { hardenSession } from './security.ts';
import { createMainWindow, rendererEntry } from './window.ts';

// dist/main/electron/main.js -> the app root holds dist/ and package.json.
const appRoot = path.resolve(import.meta.dirname, '..', '..', '..');

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

/** A mailto: link among the arguments (Windows and Linux pass it on the command line). */
function mailtoIn(argv: readonly string[]): string | null {
  return argv.find((arg) => /^mailto:/i.test(arg)) ?? null;
}

/** Opens a new message from a link once the page can listen; the page parses it (shared/mailto.ts). */
function openMailto(url: string): void {
  const window = mainWindow;
  if (!window) return;
  const send = () => window.webContents.send('compose.open', { url });
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
  else send();
  if (window.isMinimized()) window.restore();
  window.focus();
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
  };
  void refresh();
  running.subscribe((event) => {
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
      notification.on('click', () => {
        if (!mainWindow) return;
        mainWindow.show();
        mainWindow.webContents.send('outbox.show', { id: shown.outboxId });
      });
      notification.show();
    });
  });
}

// Quitting with mail waiting asks first (it is safe either way: it goes at the next start).
app.on('before-quit', (event) => {
  if (quitting) return;
  const question = quitQuestion(outboxNow);
  if (!question) return;
  const answer = mainWindow ? dialog.showMessageBoxSync(mainWindow, { type: 'question', ...question }) : dialog.showMessageBoxSync({ type: 'question', ...question });
  if (answer === question.cancelId) event.preventDefault();
  else quitting = true;
});

// macOS hands links to the running app as an event, possibly before it is ready.
let startupMailto = mailtoIn(process.argv);
app.on('open-url', (event, url) => {
  event.preventDefault();
  if (mainWindow) openMailto(url);
  else startupMailto = url;
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const link = mailtoIn(argv);
    if (link) openMailto(link);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    const dataDir = process.env.POSTHORN_DATA_DIR ?? app.getPath('userData');
    try {
      core = createCore({
        dataDir,
        secrets: new KeytarSecretStore(),
        mode: 'electron',
        version: app.getVersion(),
        // The dialog belongs to the main process; the page only learns the ids of the copies.
        pickFiles: async () => {
          const options: Electron.OpenDialogOptions = { title: 'Attach files', properties: ['openFile', 'multiSelections'] };
          const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
          return result.canceled ? [] : result.filePaths;
        },
      });
    } catch (error) {
      dialog.showErrorBox('Posthorn could not start', describeForPerson(error));
      app.quit();
      return;
    }
    registerIpc(core, () => mainWindow, rendererEntry(appRoot).urlPrefix);
    watchOutbox(core);
    // After sleep the queue may have mail that came due, or an offline pause to end.
    powerMonitor.on('resume', () => core?.wake());
    powerMonitor.on('unlock-screen', () => core?.wake());
    mainWindow = createMainWindow(appRoot);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    if (startupMailto) openMailto(startupMailto);
  }, (error: unknown) => {
    console.error('Posthorn failed to start:', error);
    app.quit();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) mainWindow = createMainWindow(appRoot);
  });

  app.on('will-quit', () => {
    void core?.close();
  });
}
