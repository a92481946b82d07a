import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { channels, type AppEvent } from '../shared/contract.ts';
import { appError } from '../shared/errors.ts';
import type { Core } from '../core/create-core.ts';

/** Only our own window's top frame, showing our own files, may call the core. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow, urlPrefix: string): boolean {
  const frame = event.senderFrame;
  return event.sender === window.webContents && frame !== null && frame.parent === null && frame.url.startsWith(urlPrefix);
}

export function registerIpc(core: Core, getWindow: () => BrowserWindow | null, urlPrefix: string): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      const window = getWindow();
      if (!window || !isTrustedSender(event, window, urlPrefix)) {
        return { ok: false, error: appError('BAD_INPUT', 'Calls are accepted only from the Posthorn window.') };
      }
      return core.dispatch(channel, input);
    });
  }
  const unsubscribe = core.subscribe((event: AppEvent) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(event.name, event.payload);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
