import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import { hardenContents } from './security.ts';
import { MIN_SIZE, type Placement } from './window-state.ts';

/**
 * The page's file and the URL prefix of the app's own pages. The prefix ends with "/", so a
 * folder beside ours whose name merely starts the same (`dist/renderer-x/`) is not ours.
 */
export function rendererEntry(appRoot: string): { file: string; urlPrefix: string } {
  const file = path.join(appRoot, 'dist', 'renderer', 'index.html');
  return { file, urlPrefix: `${pathToFileURL(path.dirname(file)).href}/` };
}

/** Opens the main window at the given place (see window-state.ts), hidden until it has painted. */
export function createMainWindow(appRoot: string, placement: Placement): BrowserWindow {
  const { maximized, ...bounds } = placement;
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Posthorn',
    show: false,
    webPreferences: {
      preload: path.join(appRoot, 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  });
  const entry = rendererEntry(appRoot);
  hardenContents(window.webContents, entry.urlPrefix);
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  void window.loadFile(entry.file);
  return window;
}
