import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core/create-core.ts';
import { ADD_FILE_CHANNEL, PICK_FILES_CHANNEL } from '../shared/channel-names.ts';
import { channels, type AppEvent } from '../shared/contract.ts';
import { appError } from '../shared/errors.ts';
import type { Result } from '../shared/result.ts';

/** Only our own window's top frame, showing our own files, may call the core. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow, urlPrefix: string): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === window.webContents && frame !== null && frame.parent === null && frame.url.startsWith(urlPrefix)
  );
}

/** What only the desktop shell can do for the page: open the OS file dialog, whose choice the page never names. */
export type ShellActions = { pickFiles(): Promise<string[]> };

/**
 * One handler per contract channel, each passing the call to the core's dispatch, plus the
 * window's two ways to add files (a drop, the dialog), which resolve paths here and then go
 * through the same dispatch (attachments.addPaths). Every handler first checks the sender.
 */
export function registerIpc(
  core: Pick<Core, 'dispatch' | 'subscribe'>,
  getWindow: () => BrowserWindow | null,
  urlPrefix: string,
  shell: ShellActions,
): () => void {
  const handle = (channel: string, answer: (input: unknown) => Promise<Result<unknown>>) =>
    ipcMain.handle(channel, async (event, input: unknown) => {
      const window = getWindow();
      if (!window || !isTrustedSender(event, window, urlPrefix))
        return { ok: false, error: appError('BAD_INPUT', 'Calls are accepted only from the Posthorn window.') };
      return answer(input);
    });

  for (const channel of channels) handle(channel, (input) => core.dispatch(channel, input));
  // A dropped file: the preload read its path off the File object (the page cannot make one up).
  handle(ADD_FILE_CHANNEL, async (dropped) => {
    const { path, type } = (dropped ?? {}) as { path?: unknown; type?: unknown };
    if (typeof path !== 'string' || path === '')
      return {
        ok: false,
        error: appError(
          'BAD_INPUT',
          'That file cannot be added.',
          'Drag it onto the message again, or use "Add files".',
        ),
      };
    return core.dispatch('attachments.addPaths', {
      files: [{ path, ...(typeof type === 'string' && type !== '' ? { type } : {}) }],
    });
  });
  handle(PICK_FILES_CHANNEL, async () => {
    const paths = await shell.pickFiles();
    if (paths.length === 0) return { ok: true, value: [] };
    return core.dispatch('attachments.addPaths', { files: paths.map((path) => ({ path })) });
  });

  const unsubscribe = core.subscribe((event: AppEvent) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(event.name, event.payload);
  });
  return () => {
    unsubscribe();
    for (const channel of [...channels, ADD_FILE_CHANNEL, PICK_FILES_CHANNEL]) ipcMain.removeHandler(channel);
  };
}
