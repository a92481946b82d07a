import { isAbsolute } from 'node:path';
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core/create-core.ts';
import { ADD_DROPPED_CHANNEL, PICK_FILES_CHANNEL } from '../shared/channel-names.ts';
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

/**
 * What only the desktop shell can do for the page: open the OS file dialog, whose choice the page
 * never names, and ask the person whether files the page says were dropped may be attached.
 */
export type ShellActions = { pickFiles(): Promise<string[]>; confirmDrop(paths: string[]): Promise<boolean> };

const MAX_DROPPED = 100;

/** The preload's list of dropped files ({path, type}), or null for anything else. */
function droppedFiles(input: unknown): { path: string; type?: string }[] | null {
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_DROPPED) return null;
  const files: { path: string; type?: string }[] = [];
  for (const item of input as unknown[]) {
    const { path, type } = (item ?? {}) as { path?: unknown; type?: unknown };
    // A drop names absolute paths; anything else is not from one.
    if (typeof path !== 'string' || path.length > 4096 || !isAbsolute(path)) return null;
    files.push({ path, ...(typeof type === 'string' && type !== '' ? { type: type.slice(0, 200) } : {}) });
  }
  return files;
}

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
  // Dropped files: the preload read their paths off the File objects; a compromised page could
  // name any path instead, so nothing is added until the person says yes in a main-process dialog.
  handle(ADD_DROPPED_CHANNEL, async (input) => {
    const files = droppedFiles(input);
    if (!files)
      return {
        ok: false,
        error: appError(
          'BAD_INPUT',
          'Those files cannot be added.',
          'Drag them onto the message again, or use "Add files".',
        ),
      };
    if (!(await shell.confirmDrop(files.map((file) => file.path)))) return { ok: true, value: [] };
    return core.dispatch('attachments.addPaths', { files });
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
    for (const channel of [...channels, ADD_DROPPED_CHANNEL, PICK_FILES_CHANNEL]) ipcMain.removeHandler(channel);
  };
}
