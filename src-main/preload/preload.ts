import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  ADD_DROPPED_CHANNEL,
  channelNames as channels,
  eventNames,
  PICK_FILES_CHANNEL,
} from '../shared/channel-names.ts';

/**
 * window.posthorn: one named method per channel of the contract (each bound to its own
 * channel, so the renderer cannot reach any other) and one subscription per event.
 * Bundled into a single CommonJS file because sandboxed preloads cannot load modules.
 */
const calls = Object.fromEntries(
  channels.map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(channel, input)]),
);

const on = Object.fromEntries(
  eventNames.map((name) => [
    name,
    (listener: (payload: unknown) => void) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(name, handler);
      return () => {
        ipcRenderer.removeListener(name, handler);
      };
    },
  ]),
);

/**
 * Files dropped on the window: their paths are looked up here, from the File objects themselves,
 * and the main process asks the person before adding them (one question for the whole drop).
 */
const addDroppedFiles = (files: File[]) =>
  ipcRenderer.invoke(
    ADD_DROPPED_CHANNEL,
    files.map((file) => ({ path: webUtils.getPathForFile(file), type: file.type })),
  );

/** The OS file dialog, opened by the main process; the page gets the added files' ids. */
const pickFiles = () => ipcRenderer.invoke(PICK_FILES_CHANNEL);

contextBridge.exposeInMainWorld('posthorn', { ...calls, addDroppedFiles, pickFiles, on });
