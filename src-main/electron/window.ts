import path from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL, APP_URL_PREFIX } from './app-protocol.ts';
import { hardenContents } from './security.ts';
import { MIN_SIZE, type Placement } from './window-state.ts';

/** The built renderer's folder, served as app://posthorn/ (app-protocol.ts). */
export function rendererDir(appRoot: string): string {
  return path.join(appRoot, 'dist', 'renderer');
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
  hardenContents(window.webContents, APP_URL_PREFIX);
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
