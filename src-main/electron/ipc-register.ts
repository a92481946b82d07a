import path from 'node:path';
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core/create-core.ts';
import { ADD_FILE_CHANNEL } from '../shared/channel-names.ts';
import { channels, type AppEvent } from '../shared/contract.ts';
import { AppFailure, appError } from '../shared/errors.ts';

/** Only our own window's top frame, showing our own files, may call the core. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow, urlPrefix: string): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === window.webContents && frame !== null && frame.parent === null && frame.url.startsWith(urlPrefix)
  );
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
  ipcMain.handle(ADD_FILE_CHANNEL, async (event, filePath: unknown) => {
    const window = getWindow();
    if (!window || !isTrustedSender(event, window, urlPrefix))
      return { ok: false, error: appError('BAD_INPUT', 'Calls are accepted only from the Posthorn window.') };
    if (typeof filePath !== 'string' || !path.isAbsolute(filePath))
      return {
        ok: false,
        error: appError(
          'BAD_INPUT',
          'That file cannot be added.',
          'Drag it onto the message again, or use "Add files".',
        ),
      };
    try {
      return { ok: true, value: await core.addAttachmentFile(filePath) };
    } catch (error) {
      if (error instanceof AppFailure) return { ok: false, error: error.error };
      return {
        ok: false,
        error: appError('INTERNAL', `The file could not be added: ${(error as Error).message}`, 'Try again.'),
      };
    }
  });
  const unsubscribe = core.subscribe((event: AppEvent) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(event.name, event.payload);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
    ipcMain.removeHandler(ADD_FILE_CHANNEL);
  };
}
