import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { menuTemplate, type MenuActions } from '../../../src-main/electron/app-menu.ts';
import {
  backgroundNotice,
  keepRunningWhenClosed,
  trayMenuTemplate,
  trayTooltip,
} from '../../../src-main/electron/tray-menu.ts';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  placeWindow,
  readWindowState,
  trackWindowState,
  writeWindowState,
  type Rect,
} from '../../../src-main/electron/window-state.ts';
import type { AppCommand } from '../../../src-main/shared/contract.ts';

/** Every item of a template, depth first, with its menu's label. */
function items(template: MenuItemConstructorOptions[], menu = ''): (MenuItemConstructorOptions & { menu: string })[] {
  return template.flatMap((item) => [
    { ...item, menu },
    ...(Array.isArray(item.submenu) ? items(item.submenu, String(item.label ?? item.role ?? '')) : []),
  ]);
}

function actions() {
  const commands: AppCommand[] = [];
  const calls: string[] = [];
  let handler = false;
  const a: MenuActions = {
    command: (command) => commands.push(command),
    openDataFolder: () => calls.push('data-folder'),
    openLogFolder: () => calls.push('log-folder'),
    isMailtoHandler: () => handler,
    setMailtoHandler: (on) => {
      handler = on;
      calls.push(`mailto:${on}`);
    },
  };
  return { a, commands, calls };
}

const click = (item: MenuItemConstructorOptions | undefined, checked = false) =>
  (item?.click as ((menuItem: { checked: boolean }) => void) | undefined)?.({ checked });

describe('native menus', () => {
  it('Windows and Linux: File, Edit, View, Window, Help with the usual shortcuts; the page keeps the keys it handles', () => {
    const { a, commands } = actions();
    const all = items(menuTemplate('win32', a));
    expect(menuTemplate('linux', a).map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    const byLabel = (label: string) => all.find((item) => item.label === label);
    expect(byLabel('New Message')).toMatchObject({ accelerator: 'CmdOrCtrl+N', registerAccelerator: false });
    expect(byLabel('Save Draft')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(byLabel('Send')).toMatchObject({ accelerator: 'CmdOrCtrl+Enter', registerAccelerator: false });
    expect(['Outbox', 'Sent', 'Drafts', 'Logs', 'Accounts'].map((label) => byLabel(label)?.accelerator)).toEqual([
      'CmdOrCtrl+1',
      'CmdOrCtrl+2',
      'CmdOrCtrl+3',
      'CmdOrCtrl+4',
      'CmdOrCtrl+5',
    ]);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'quit', 'zoomIn', 'togglefullscreen'])
      expect(
        all.some((item) => item.role === role),
        role,
      ).toBe(true);
    for (const label of ['New Message', 'Save Draft', 'Send', 'Outbox', 'Logs']) click(byLabel(label));
    expect(commands).toEqual(['new-message', 'save-draft', 'send', 'show-outbox', 'show-logs']);
  });

  it('macOS: the app menu first with About, Hide and Quit; Close in File', () => {
    const { a } = actions();
    const template = menuTemplate('darwin', a);
    expect(template.map((m) => m.label)).toEqual(['Posthorn', 'File', 'Edit', 'View', 'Window', 'Help']);
    const appMenu = items([template[0] as MenuItemConstructorOptions]).map((item) => item.role);
    expect(appMenu).toEqual(expect.arrayContaining(['about', 'hide', 'hideOthers', 'quit']));
    expect(items(template).find((item) => item.menu === 'File' && item.role === 'close')).toBeTruthy();
  });

  it('mailto: handling is opt-in: unticked until the person ticks it, then asked of the OS', () => {
    const { a, calls } = actions();
    const find = () => items(menuTemplate('linux', a)).find((item) => item.label === 'Open Email Links with Posthorn');
    expect(find()).toMatchObject({ type: 'checkbox', checked: false });
    click(find(), true);
    expect(calls).toEqual(['mailto:true']);
    expect(find()?.checked).toBe(true);
    click(items(menuTemplate('linux', a)).find((item) => item.label === 'Show Data Folder'));
    expect(calls).toContain('data-folder');
  });

  it.each(['linux', 'win32', 'darwin'] as const)('%s: Help shows the log folder (for a bug report)', (platform) => {
    const { a, calls } = actions();
    const item = items(menuTemplate(platform, a)).find((entry) => entry.label === 'Show Log Folder');
    expect(item?.menu.replace('&', '')).toBe('Help');
    click(item);
    expect(calls).toEqual(['log-folder']);
  });
});

describe('tray and running with the window closed', () => {
  const queued = [
    { state: 'queued' as const, rejected: [] },
    { state: 'deferred' as const, rejected: [] },
    { state: 'failed' as const, rejected: [] },
    { state: 'sent' as const, rejected: [] },
  ];

  it('the tooltip and menu say what is waiting and what needs attention', () => {
    expect(trayTooltip(queued)).toBe('Posthorn — 2 waiting to be sent, 1 needs attention');
    expect(trayTooltip([])).toBe('Posthorn — Nothing waiting to be sent');
    const calls: string[] = [];
    const template = trayMenuTemplate(queued, {
      open: () => calls.push('open'),
      newMessage: () => calls.push('new'),
      showOutbox: () => calls.push('outbox'),
      quit: () => calls.push('quit'),
    });
    expect(template[0]).toMatchObject({ label: '2 waiting to be sent, 1 needs attention', enabled: false });
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(calls).toEqual(['open', 'new', 'outbox', 'quit']);
    expect(
      trayMenuTemplate([], { open() {}, newMessage() {}, showOutbox() {}, quit() {} }).some((item) =>
        String(item.label).startsWith('Show'),
      ),
    ).toBe(false);
  });

  it('keeps running when the window closes where there is a tray (always on macOS), and says so', () => {
    expect(keepRunningWhenClosed('win32', true)).toBe(true);
    expect(keepRunningWhenClosed('linux', false)).toBe(false);
    expect(keepRunningWhenClosed('darwin', false)).toBe(true);
    expect(backgroundNotice(queued).body).toBe(
      'It keeps sending the 2 messages in the Outbox. Quit it from its icon in the tray or menu bar.',
    );
    expect(backgroundNotice([]).body).toBe('Quit it from its icon in the tray or menu bar.');
  });
});

describe('window size and position', () => {
  const screens: Rect[] = [
    { x: 0, y: 0, width: 1920, height: 1040 },
    { x: 1920, y: 0, width: 1280, height: 1000 },
  ];
  const dirs: string[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reopens where it was, on the screen it was on, and maximised if it was', () => {
    expect(placeWindow({ bounds: { x: 2000, y: 100, width: 900, height: 700 }, maximized: true }, screens)).toEqual({
      x: 2000,
      y: 100,
      width: 900,
      height: 700,
      maximized: true,
    });
  });

  it('a window on a screen that is gone, or saved nonsense, opens at the default size', () => {
    expect(placeWindow({ bounds: { x: 4000, y: 100, width: 900, height: 700 }, maximized: false }, screens)).toEqual({
      ...DEFAULT_SIZE,
      maximized: false,
    });
    for (const junk of [null, 'x', { bounds: { x: 'a' } }, { bounds: { x: 0, y: 0, width: Number.NaN, height: 1 } }])
      expect(placeWindow(junk, screens)).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('is never bigger than its screen nor smaller than the minimum, and is pulled fully onto it', () => {
    expect(
      placeWindow({ bounds: { x: 1800, y: 900, width: 3000, height: 200 }, maximized: false }, [screens[0] as Rect]),
    ).toEqual({ x: 0, y: 520, width: 1920, height: MIN_SIZE.height, maximized: false });
  });

  it('saves as it moves (at most twice a second) and when it closes; the file survives a restart', () => {
    vi.useFakeTimers();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-window-'));
    dirs.push(dir);
    const file = path.join(dir, 'window-state.json');
    const window = Object.assign(new EventEmitter(), {
      bounds: { x: 10, y: 20, width: 800, height: 600 },
      maximized: false,
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.maximized;
      },
    });
    const saved: unknown[] = [];
    trackWindowState(window, (state) => {
      saved.push(state);
      writeWindowState(file, state);
    });
    window.emit('move');
    window.bounds = { x: 30, y: 40, width: 900, height: 650 };
    window.emit('resize');
    expect(saved).toHaveLength(0);
    vi.advanceTimersByTime(600);
    expect(saved).toEqual([{ bounds: { x: 30, y: 40, width: 900, height: 650 }, maximized: false }]);
    window.maximized = true;
    window.emit('maximize');
    window.emit('close');
    expect(saved.at(-1)).toEqual({ bounds: { x: 30, y: 40, width: 900, height: 650 }, maximized: true });
    expect(placeWindow(readWindowState(file), screens)).toEqual({
      x: 30,
      y: 40,
      width: 900,
      height: 650,
      maximized: true,
    });
    expect(readWindowState(path.join(dir, 'missing.json'))).toBeNull();
  });
});
