import path from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { ShellActions } from './ipc-register.ts';

/**
 * A file not usually attached: a name or folder starting with a dot (keys, settings), the
 * system's and applications' own folders on each platform (macOS Library, Windows AppData,
 * Linux /proc, /sys, /dev, /etc), and Windows short names (SSH~1) that hide what they stand for.
 */
const SYSTEM_PLACES = /(^|[\\/])(Library|AppData|Application Data)[\\/]|^\/(proc|sys|dev|etc|run|var\/lib)\/|~\d/i;
const isHidden = (file: string) =>
  SYSTEM_PLACES.test(file) || file.split(/[\\/]/).some((part) => part.startsWith('.') && part !== '.' && part !== '..');

/**
 * Every path (a drop holds at most 100), hidden ones first and called so: a compromised page
 * could name ~/.ssh/id_rsa among harmless files, and a list cut short would hide it.
 */
function listForQuestion(paths: string[]): string {
  const hidden = paths.filter(isHidden);
  const others = paths.filter((file) => !isHidden(file));
  return [...(hidden.length > 0 ? ['Hidden files, not usually attached:', ...hidden] : []), ...others].join('\n');
}

/**
 * The main process's two questions about files: the OS file dialog (the page only learns the ids
 * of the copies) and "attach these dropped files?" (the page alone cannot add a file it names).
 */
export function fileDialogs(getWindow: () => BrowserWindow | null): ShellActions {
  return {
    async pickFiles() {
      const options: Electron.OpenDialogOptions = {
        title: 'Attach files',
        properties: ['openFile', 'multiSelections'],
      };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async confirmDrop(paths) {
      const first = path.basename(paths[0] ?? '');
      const listed = listForQuestion(paths);
      const options: Electron.MessageBoxOptions = {
        type: 'question',
        title: 'Attach files',
        message:
          paths.length === 1 ? `Attach "${first}" to the message?` : `Attach ${paths.length} files to the message?`,
        // The full paths: a file the person never dropped shows where it comes from.
        detail: listed,
        buttons: ['Attach', 'Cancel'],
        // With a hidden or system file among them, Enter says no.
        defaultId: paths.some(isHidden) ? 1 : 0,
        cancelId: 1,
      };
      const window = getWindow();
      const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
      return result.response === 0;
    },
  };
}
