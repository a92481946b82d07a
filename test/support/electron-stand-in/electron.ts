/**
 * A stand-in for the `electron` module, so the real `dist/main/electron/main.js` can run under
 * plain Node where the Electron binary cannot be had. It implements only the surface Posthorn's
 * main process uses and records what is asked of it (`record`); the harness (boot.ts) drives
 * what Electron would drive: readiness, IPC calls from a frame, a second instance, quitting.
 *
 * Every piece is typed with `Pick<>` of Electron's own definitions, so a renamed or removed
 * API fails the type check here as it would in main.ts (event subscription comes from Node's
 * EventEmitter; Electron's per-event overloads return its full classes, which a stand-in is not). It follows Electron
 * where getting it
 * wrong would hide a wiring bug: windows, trays, notifications and screens only after `ready`;
 * a second handler for one IPC channel throws; `quit` runs before-quit → close windows →
 * will-quit → quit and then ends the process at once, without waiting for promises.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type {
  App,
  BrowserWindowConstructorOptions,
  Dialog,
  IpcMain,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  MessageBoxSyncOptions,
  NativeImage,
  NotificationConstructorOptions,
  Protocol,
  Rectangle,
  Screen,
  Shell,
  WebContents,
  BrowserWindow as ElectronBrowserWindow,
  Menu as ElectronMenu,
  Notification as ElectronNotification,
  Session as ElectronSession,
  Tray as ElectronTray,
} from 'electron';

/** A menu as recorded: labels, roles and kinds, without the click functions. */
export type RecordedMenuItem = {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  checked?: boolean;
  enabled?: boolean;
  submenu?: RecordedMenuItem[];
};

export type StandInRecord = {
  ready: boolean;
  singleInstanceLockRequests: number;
  windows: {
    id: number;
    options: BrowserWindowConstructorOptions;
    loadedFile: string | null;
    loadedUrl: string | null;
    shown: boolean;
    /** How often it was shown and focused (a second instance brings it to the front). */
    showCalls: number;
    focusCalls: number;
    destroyed: boolean;
  }[];
  /** Every ipcMain.handle call, in order (a channel registered twice would appear twice, then throw). */
  handled: string[];
  removedHandlers: string[];
  /** Everything sent to a page with webContents.send once it had loaded. */
  sentToPage: { channel: string; payload: unknown }[];
  /** Sent while the page was still loading: a real page has no listener yet, so these are lost. */
  lostWhileLoading: { channel: string; payload: unknown }[];
  applicationMenu: RecordedMenuItem[] | null;
  tray: { image: string; tooltip: string; menu: RecordedMenuItem[] } | null;
  notifications: { title: string; body: string; shown: boolean }[];
  errorBoxes: { title: string; content: string }[];
  messageBoxes: { title?: string; message: string; buttons: string[]; detail?: string; defaultId?: number }[];
  openedPaths: string[];
  openedExternal: string[];
  defaultProtocolClient: string[];
  /** Schemes registered as privileged (before ready), and the schemes given a handler. */
  privilegedSchemes: { scheme: string; privileges?: Record<string, boolean> }[];
  handledSchemes: string[];
  badgeCount: number;
  session: { permissionRequestHandler: boolean; permissionCheckHandler: boolean; headersListener: boolean };
  powerMonitorEvents: string[];
  quit: { beforeQuit: number; willQuit: number; quitEmitted: boolean; exitCode: number | null };
};

export const record: StandInRecord = {
  ready: false,
  singleInstanceLockRequests: 0,
  windows: [],
  handled: [],
  removedHandlers: [],
  sentToPage: [],
  lostWhileLoading: [],
  applicationMenu: null,
  tray: null,
  notifications: [],
  errorBoxes: [],
  messageBoxes: [],
  openedPaths: [],
  openedExternal: [],
  defaultProtocolClient: [],
  privilegedSchemes: [],
  handledSchemes: [],
  badgeCount: 0,
  session: { permissionRequestHandler: false, permissionCheckHandler: false, headersListener: false },
  powerMonitorEvents: [],
  quit: { beforeQuit: 0, willQuit: 0, quitEmitted: false, exitCode: null },
};

/** What the harness decides for the app: where its data goes, how dialogs are answered, how the process ends. */
export const settings = {
  userData: '',
  version: '0.0.0',
  hasSingleInstanceLock: true,
  /**
   * Whether this desktop has a tray. Real Electron does not say (an icon may simply not show);
   * false makes `new Tray` throw, to exercise main.ts's no-tray branch.
   */
  trayAvailable: true,
  /** The button a question (showMessageBoxSync) is answered with; null = its cancelId. */
  messageBoxAnswer: null as number | null,
  /** Ends the process like Electron does after `quit`: now, without waiting for anything. */
  exit: (code: number): void => process.exit(code),
};

/** The event object Electron passes to preventable events. */
export function preventableEvent(): { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

function requireReady(what: string): void {
  if (!record.ready) throw new Error(`Cannot use ${what} before the app is ready`);
}

function recordMenu(template: readonly MenuItemConstructorOptions[]): RecordedMenuItem[] {
  return template.map((item) => ({
    ...(item.label !== undefined ? { label: item.label } : {}),
    ...(item.role !== undefined ? { role: item.role } : {}),
    ...(item.type !== undefined ? { type: item.type } : {}),
    ...(typeof item.accelerator === 'string' ? { accelerator: item.accelerator } : {}),
    ...(item.checked !== undefined ? { checked: item.checked } : {}),
    ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
    ...(Array.isArray(item.submenu) ? { submenu: recordMenu(item.submenu) } : {}),
  }));
}

// ---------------------------------------------------------------------------------------------
// app

type AppSurface = Pick<
  App,
  | 'whenReady'
  | 'quit'
  | 'exit'
  | 'getPath'
  | 'getVersion'
  | 'isPackaged'
  | 'requestSingleInstanceLock'
  | 'setBadgeCount'
  | 'isDefaultProtocolClient'
  | 'setAsDefaultProtocolClient'
  | 'removeAsDefaultProtocolClient'
>;

class StandInApp extends EventEmitter implements AppSurface {
  readonly isPackaged = false;
  private readyPromise: Promise<void>;
  private markReady!: () => void;
  private quitting = false;

  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => (this.markReady = resolve));
  }

  /** Electron emits `ready` once its own start-up is done; the harness says when. */
  becomeReady(): void {
    record.ready = true;
    this.emit('ready', preventableEvent(), {});
    this.markReady();
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  getPath(name: Parameters<App['getPath']>[0]): string {
    if (name === 'userData') return settings.userData;
    throw new Error(`The stand-in knows only getPath('userData'), not '${name}'`);
  }

  getVersion(): string {
    return settings.version;
  }

  requestSingleInstanceLock(): boolean {
    record.singleInstanceLockRequests += 1;
    return settings.hasSingleInstanceLock;
  }

  setBadgeCount(count?: number): boolean {
    record.badgeCount = count ?? 0;
    return true;
  }

  isDefaultProtocolClient(protocol: string): boolean {
    return record.defaultProtocolClient.includes(protocol);
  }

  setAsDefaultProtocolClient(protocol: string): boolean {
    if (!record.defaultProtocolClient.includes(protocol)) record.defaultProtocolClient.push(protocol);
    return true;
  }

  removeAsDefaultProtocolClient(protocol: string): boolean {
    record.defaultProtocolClient = record.defaultProtocolClient.filter((p) => p !== protocol);
    return true;
  }

  /** Electron's order: before-quit (preventable), every window closed, will-quit (preventable), quit, exit. */
  quit(): void {
    setImmediate(() => this.runQuit());
  }

  exit(exitCode = 0): void {
    record.quit.exitCode = exitCode;
    settings.exit(exitCode);
  }

  private runQuit(): void {
    if (this.quitting) return;
    const beforeQuit = preventableEvent();
    record.quit.beforeQuit += 1;
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    for (const window of [...StandInBrowserWindow.open]) window.destroyForQuit();
    const willQuit = preventableEvent();
    record.quit.willQuit += 1;
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    record.quit.quitEmitted = true;
    this.emit('quit', preventableEvent(), 0);
    this.exit(0);
  }

  /** The last window closed outside quitting: Electron quits unless the app listens. */
  lastWindowClosed(): void {
    if (this.quitting) return;
    if (this.listenerCount('window-all-closed') === 0) this.quit();
    else this.emit('window-all-closed');
  }
}

export const app = new StandInApp();

// ---------------------------------------------------------------------------------------------
// webContents and windows

type WebContentsSurface = Pick<WebContents, 'send' | 'isLoading' | 'setWindowOpenHandler' | 'id'>;
type WindowOpenHandler = Parameters<WebContents['setWindowOpenHandler']>[0];

class StandInWebContents extends EventEmitter implements WebContentsSurface {
  static nextId = 1;
  readonly id = StandInWebContents.nextId++;
  loading = false;
  windowOpenHandler: WindowOpenHandler | null = null;

  send(channel: string, ...args: unknown[]): void {
    (this.loading ? record.lostWhileLoading : record.sentToPage).push({ channel, payload: args[0] });
  }

  isLoading(): boolean {
    return this.loading;
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
}

type WindowSurface = Pick<
  ElectronBrowserWindow,
  | 'webContents'
  | 'loadFile'
  | 'loadURL'
  | 'show'
  | 'focus'
  | 'isMinimized'
  | 'restore'
  | 'maximize'
  | 'isMaximized'
  | 'getNormalBounds'
  | 'isDestroyed'
  | 'close'
  | 'id'
>;

export class StandInBrowserWindow extends EventEmitter implements WindowSurface {
  static open: StandInBrowserWindow[] = [];
  readonly id: number;
  readonly webContents: WebContents;
  readonly contents = new StandInWebContents();
  private readonly entry: StandInRecord['windows'][number];
  private destroyed = false;
  private maximized = false;

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    requireReady('BrowserWindow');
    this.webContents = this.contents as unknown as WebContents;
    this.id = this.contents.id;
    this.entry = {
      id: this.id,
      options,
      loadedFile: null,
      loadedUrl: null,
      shown: false,
      showCalls: 0,
      focusCalls: 0,
      destroyed: false,
    };
    record.windows.push(this.entry);
    StandInBrowserWindow.open.push(this);
  }

  static getAllWindows(): StandInBrowserWindow[] {
    return [...StandInBrowserWindow.open];
  }

  loadFile(filePath: string): Promise<void> {
    this.entry.loadedFile = filePath;
    return this.load();
  }

  loadURL(url: string): Promise<void> {
    this.entry.loadedUrl = url;
    return this.load();
  }

  /** The page "loads": did-finish-load, then ready-to-show, on later turns as in Electron. */
  private load(): Promise<void> {
    this.contents.loading = true;
    return new Promise((resolve) => {
      setImmediate(() => {
        this.contents.loading = false;
        this.contents.emit('did-finish-load');
        this.emit('ready-to-show');
        resolve();
      });
    });
  }

  show(): void {
    this.entry.shown = true;
    this.entry.showCalls++;
  }

  focus(): void {
    this.entry.focusCalls++;
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  maximize(): void {
    this.maximized = true;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getNormalBounds(): Rectangle {
    return { x: 0, y: 0, width: 1100, height: 760 };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** A person closes the window: close (preventable), closed, and maybe window-all-closed. */
  close(): void {
    const event = preventableEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
    if (StandInBrowserWindow.open.length === 0) app.lastWindowClosed();
  }

  destroyForQuit(): void {
    this.emit('close', preventableEvent());
    this.destroy();
  }

  private destroy(): void {
    this.destroyed = true;
    this.entry.destroyed = true;
    StandInBrowserWindow.open = StandInBrowserWindow.open.filter((w) => w !== this);
    this.emit('closed');
  }
}

export const BrowserWindow = StandInBrowserWindow;

// ---------------------------------------------------------------------------------------------
// ipcMain

type IpcHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class StandInIpcMain extends EventEmitter implements Pick<IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, IpcHandler>();

  handle(channel: string, listener: IpcHandler): void {
    record.handled.push(channel);
    // Electron's own words for it.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    record.removedHandlers.push(channel);
    this.handlers.delete(channel);
  }
}

export const ipcMain = new StandInIpcMain();

// ---------------------------------------------------------------------------------------------
// Menu, Tray, Notification, nativeImage

class StandInMenu implements Pick<ElectronMenu, 'items'> {
  readonly items: ElectronMenu['items'];
  readonly template: MenuItemConstructorOptions[];

  constructor(template: MenuItemConstructorOptions[]) {
    this.template = template;
    this.items = template as unknown as ElectronMenu['items'];
  }

  static current: StandInMenu | null = null;

  static buildFromTemplate(template: MenuItemConstructorOptions[]): ElectronMenu {
    return new StandInMenu(template) as unknown as ElectronMenu;
  }

  static setApplicationMenu(menu: ElectronMenu | null): void {
    StandInMenu.current = menu as unknown as StandInMenu | null;
    record.applicationMenu = StandInMenu.current ? recordMenu(StandInMenu.current.template) : null;
  }

  static getApplicationMenu(): ElectronMenu | null {
    return StandInMenu.current as unknown as ElectronMenu | null;
  }
}

export const Menu = StandInMenu satisfies Pick<
  typeof ElectronMenu,
  'buildFromTemplate' | 'setApplicationMenu' | 'getApplicationMenu'
>;

class StandInTray extends EventEmitter implements Pick<ElectronTray, 'setToolTip' | 'setContextMenu'> {
  static current: StandInTray | null = null;
  menu: StandInMenu | null = null;

  constructor(image: NativeImage | string) {
    super();
    requireReady('Tray');
    if (!settings.trayAvailable) throw new Error('Tray is not available on this desktop (stand-in setting)');
    record.tray = {
      image: typeof image === 'string' ? image : String((image as unknown as StandInImage).path),
      tooltip: '',
      menu: [],
    };
    StandInTray.current = this;
  }

  setToolTip(toolTip: string): void {
    if (record.tray) record.tray.tooltip = toolTip;
  }

  setContextMenu(menu: ElectronMenu | null): void {
    this.menu = menu as unknown as StandInMenu | null;
    if (record.tray) record.tray.menu = this.menu ? recordMenu(this.menu.template) : [];
  }
}

export const Tray = StandInTray;

class StandInNotification extends EventEmitter implements Pick<ElectronNotification, 'show'> {
  private readonly entry: StandInRecord['notifications'][number];

  constructor(options: NotificationConstructorOptions = {}) {
    super();
    requireReady('Notification');
    this.entry = { title: options.title ?? '', body: options.body ?? '', shown: false };
    record.notifications.push(this.entry);
  }

  static isSupported(): boolean {
    return true;
  }

  show(): void {
    this.entry.shown = true;
  }
}

export const Notification = StandInNotification satisfies Pick<typeof ElectronNotification, 'isSupported'>;

type StandInImage = { path: string; isEmpty(): boolean };

export const nativeImage = {
  createFromPath: (path: string) => ({ path, isEmpty: () => !existsSync(path) }) as unknown as NativeImage,
};

// ---------------------------------------------------------------------------------------------
// dialog, shell, screen, powerMonitor, session, protocol

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record.errorBoxes.push({ title, content });
  },
  showMessageBoxSync(...args: [ElectronBrowserWindow, MessageBoxSyncOptions] | [MessageBoxSyncOptions]): number {
    const options = args.length === 2 ? args[1] : args[0];
    record.messageBoxes.push({
      ...(options.title !== undefined ? { title: options.title } : {}),
      message: options.message,
      buttons: options.buttons ?? [],
    });
    return settings.messageBoxAnswer ?? options.cancelId ?? 0;
  },
  async showMessageBox(
    ...args: [ElectronBrowserWindow, Electron.MessageBoxOptions] | [Electron.MessageBoxOptions]
  ): Promise<Electron.MessageBoxReturnValue> {
    const options = args.length === 2 ? args[1] : args[0];
    record.messageBoxes.push({
      ...(options.title !== undefined ? { title: options.title } : {}),
      message: options.message,
      buttons: options.buttons ?? [],
      ...(options.detail !== undefined ? { detail: options.detail } : {}),
      ...(options.defaultId !== undefined ? { defaultId: options.defaultId } : {}),
    });
    return { response: settings.messageBoxAnswer ?? options.cancelId ?? 0, checkboxChecked: false };
  },
  async showOpenDialog(): Promise<Electron.OpenDialogReturnValue> {
    return { canceled: true, filePaths: [] };
  },
} satisfies Pick<Dialog, 'showErrorBox'> & Record<'showMessageBoxSync' | 'showMessageBox' | 'showOpenDialog', unknown>;

export const shell = {
  async openPath(path: string): Promise<string> {
    record.openedPaths.push(path);
    return '';
  },
  async openExternal(url: string): Promise<void> {
    record.openedExternal.push(url);
  },
} satisfies Pick<Shell, 'openPath' | 'openExternal'>;

export const screen = {
  getAllDisplays(): Electron.Display[] {
    requireReady('screen');
    const bounds = { x: 0, y: 0, width: 1920, height: 1080 };
    return [{ id: 1, bounds, workArea: { ...bounds, height: 1040 } } as Electron.Display];
  },
} satisfies Pick<Screen, 'getAllDisplays'>;

class StandInPowerMonitor extends EventEmitter {
  override on(eventName: string | symbol, listener: (...args: unknown[]) => void): this {
    record.powerMonitorEvents.push(String(eventName));
    return super.on(eventName, listener);
  }
}

export const powerMonitor = new StandInPowerMonitor();

type PermissionRequestHandler = Parameters<ElectronSession['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<ElectronSession['setPermissionCheckHandler']>[0];
type HeadersListener = (
  details: Electron.OnHeadersReceivedListenerDetails,
  callback: (response: Electron.HeadersReceivedResponse) => void,
) => void;

class StandInSession implements Pick<ElectronSession, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> {
  permissionRequestHandler: PermissionRequestHandler = null;
  permissionCheckHandler: PermissionCheckHandler = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener | null) => {
      this.headersListener = listener;
      record.session.headersListener = listener !== null;
    },
  };

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
    record.session.permissionRequestHandler = handler !== null;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
    record.session.permissionCheckHandler = handler !== null;
  }
}

const defaultSession = new StandInSession();

export const session = {
  get defaultSession(): ElectronSession {
    requireReady('session.defaultSession');
    return defaultSession as unknown as ElectronSession;
  },
};

/** The session as the harness sees it (its handlers, to call as Chromium would). */
export const standInSession = defaultSession;

/** Handlers given to protocol.handle, by scheme: the harness calls them as Chromium would for a request. */
export const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (record.ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready');
    record.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    requireReady('protocol.handle');
    if (protocolHandlers.has(scheme)) throw new Error(`The scheme ${scheme} already has a handler`);
    protocolHandlers.set(scheme, handler);
    record.handledSchemes.push(scheme);
  },
} satisfies Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;

export type { StandInMenu, StandInTray, StandInWebContents };
export const menus = {
  application: () => StandInMenu.current,
  tray: () => StandInTray.current?.menu ?? null,
  trayObject: () => StandInTray.current,
};
