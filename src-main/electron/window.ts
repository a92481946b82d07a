import { BrowserWindow } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hardenContents } from './security.ts';

export function rendererEntry(appRoot: string): { file: string; urlPrefix: string } {
  const file = path.join(appRoot, 'dist', 'renderer', 'index.html');
  return { file, urlPrefix: pathToFileURL(path.dirname(file)).href };
}

export function createMainWindow(appRoot: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 760,
    minHeight: 520,
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
  window.once('ready-to-show', () => window.show());
  void window.loadFile(entry.file);
  return window;
}
