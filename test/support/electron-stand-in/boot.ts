/**
 * The child process that runs the real Electron main bundle on the stand-in (electron.ts):
 *   node boot.ts <app root> [app arguments…]   (forked, with an IPC channel to the test)
 * It registers the hooks that map `electron` to the stand-in, imports `dist/main/electron/main.js`
 * from the app root, says `ready` as Electron would, and then does what the test asks: call an
 * IPC handler from a given frame, start a second instance, ask for a permission, quit.
 * The record is written to POSTHORN_STANDIN_RECORD as the process ends, since Electron ends it
 * at once after `quit`, before any message could be sent.
 */
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as StandIn from './electron.ts';
import type { StandInCommand, StandInReply } from './protocol.ts';

const [appRoot, ...appArgs] = process.argv.slice(2);
if (!appRoot) throw new Error('usage: boot.ts <app root> [arguments]');
const recordFile = process.env.POSTHORN_STANDIN_RECORD ?? '';

const standInUrl = new URL('./electron.ts', import.meta.url).href;
register(new URL('./hooks.ts', import.meta.url).href, { data: { standInUrl } });
const electron = await import(standInUrl);
const {
  app,
  ipcMain,
  menus,
  powerMonitor,
  preventableEvent,
  protocolHandlers,
  record,
  settings,
  standInSession,
  StandInBrowserWindow,
} = electron as typeof StandIn;

settings.userData = process.env.POSTHORN_STANDIN_USER_DATA ?? '';
settings.version = '0.0.0-stand-in';
settings.trayAvailable = process.env.POSTHORN_STANDIN_NO_TRAY !== '1';
settings.exit = (code: number) => {
  if (recordFile) writeFileSync(recordFile, JSON.stringify(record));
  process.exit(code);
};

// As Electron starts it: the binary, the app folder, then the arguments (mailto: links, .eml files).
process.argv = [process.execPath, appRoot, ...appArgs];
await import(pathToFileURL(path.join(appRoot, 'dist', 'main', 'electron', 'main.js')).href);
setImmediate(() => app.becomeReady());

function mainWindow() {
  const window = StandInBrowserWindow.open[0];
  if (!window) throw new Error('There is no window.');
  return window;
}

/** A menu item by its labels (accelerator marks such as "&File" ignored). */
function menuItem(
  template: Electron.MenuItemConstructorOptions[],
  labels: string[],
): Electron.MenuItemConstructorOptions {
  let items = template;
  let found: Electron.MenuItemConstructorOptions | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label?.replace('&', '') === label);
    if (!found) throw new Error(`No menu item "${label}"`);
    items = Array.isArray(found.submenu) ? found.submenu : [];
  }
  if (!found) throw new Error('No menu item');
  return found;
}

async function run(command: StandInCommand): Promise<unknown> {
  switch (command.op) {
    case 'record':
      return record;
    case 'invoke': {
      const handler = ipcMain.handlers.get(command.channel);
      if (!handler) throw new Error(`No handler for ${command.channel}`);
      const sender = command.from === 'other-contents' ? { id: -1 } : mainWindow().webContents;
      const senderFrame =
        command.frameUrl === null
          ? null
          : { url: command.frameUrl, parent: command.subframe ? { url: command.frameUrl } : null };
      return handler({ sender, senderFrame } as unknown as Electron.IpcMainInvokeEvent, command.input);
    }
    case 'app-event':
      app.emit(command.name, preventableEvent(), ...command.args);
      return null;
    case 'power':
      powerMonitor.emit(command.event);
      return null;
    case 'tray-click':
      if (!menus.trayObject()) throw new Error('There is no tray.');
      menus.trayObject()?.emit('click');
      return null;
    case 'second-instance':
      app.emit('second-instance', preventableEvent(), [process.execPath, ...command.argv], process.cwd(), {});
      return null;
    case 'permission':
      return new Promise((resolve) => {
        const handler = standInSession.permissionRequestHandler;
        if (!handler) return resolve('no handler');
        handler(mainWindow().webContents, command.permission as never, (granted) => resolve(granted), {} as never);
      });
    case 'navigate': {
      const event = preventableEvent();
      mainWindow().contents.emit('will-navigate', event, command.url);
      return { prevented: event.defaultPrevented };
    }
    case 'window-open': {
      const handler = mainWindow().contents.windowOpenHandler;
      return handler ? handler({ url: command.url } as never) : 'no handler';
    }
    case 'response-headers':
      return new Promise((resolve) => {
        const listener = standInSession.headersListener;
        if (!listener) return resolve('no listener');
        listener({ responseHeaders: {} } as never, (response) => resolve(response.responseHeaders ?? {}));
      });
    case 'protocol-fetch': {
      const handler = protocolHandlers.get(new URL(command.url).protocol.replace(/:$/, ''));
      if (!handler) return { status: 'no handler' };
      const response = await handler(new Request(command.url));
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    }
    case 'click-menu': {
      const menu = command.menu === 'tray' ? menus.tray() : menus.application();
      if (!menu) throw new Error(`There is no ${command.menu} menu.`);
      const item = menuItem(menu.template, command.labels);
      item.click?.({ checked: !item.checked } as never, undefined, {} as never);
      return null;
    }
    case 'close-window':
      mainWindow().close();
      return null;
    case 'answer-questions':
      settings.messageBoxAnswer = command.button;
      return null;
    case 'quit':
      app.quit();
      return null;
  }
}

process.on('message', (message: { id: number; command: StandInCommand }) => {
  run(message.command).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies StandInReply),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies StandInReply),
  );
});
process.send?.({ id: 0, ok: true, value: 'loaded' } satisfies StandInReply);
