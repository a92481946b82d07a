import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The main window's size and position, remembered between runs. Pure except for the file:
 * main.ts passes Electron's window and displays in, and tests pass stand-ins.
 */
export type Rect = { x: number; y: number; width: number; height: number };
export type WindowState = { bounds: Rect; maximized: boolean };
export type Placement = { width: number; height: number; x?: number; y?: number; maximized: boolean };

export const DEFAULT_SIZE = { width: 1180, height: 780 };
export const MIN_SIZE = { width: 760, height: 520 };
/** At least this much of the title bar must be on a screen, or the window is centred instead. */
const VISIBLE = { width: 120, height: 40 };

function isRect(value: unknown): value is Rect {
  const r = value as Partial<Rect> | null;
  return !!r && [r.x, r.y, r.width, r.height].every((n) => typeof n === 'number' && Number.isFinite(n));
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window: the saved place if its title bar is still on one of the screens
 * (a monitor may have been unplugged since), never larger than that screen's work area and
 * never smaller than the minimum; otherwise the default size, centred by the OS.
 */
export function placeWindow(saved: unknown, workAreas: readonly Rect[]): Placement {
  const state = saved as Partial<WindowState> | null;
  if (!state || !isRect(state.bounds)) return { ...DEFAULT_SIZE, maximized: false };
  const bounds = state.bounds;
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: VISIBLE.height };
  const screen = workAreas.find((area) => {
    const seen = overlap(titleBar, area);
    return seen.width >= Math.min(VISIBLE.width, bounds.width) && seen.height >= VISIBLE.height / 2;
  });
  const maximized = state.maximized === true;
  if (!screen) return { ...DEFAULT_SIZE, maximized };
  const width = Math.max(MIN_SIZE.width, Math.min(Math.round(bounds.width), screen.width));
  const height = Math.max(MIN_SIZE.height, Math.min(Math.round(bounds.height), screen.height));
  // Pulled fully inside the screen it is mostly on.
  const x = Math.min(Math.max(Math.round(bounds.x), screen.x), screen.x + screen.width - width);
  const y = Math.min(Math.max(Math.round(bounds.y), screen.y), screen.y + screen.height - height);
  return { width, height, x, y, maximized };
}

/** What main.ts's window offers for this (BrowserWindow has all of it). */
export type TrackedWindow = {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
};

/**
 * Saves the window's place as it changes (at most every half second) and when it closes. The
 * normal bounds are kept while maximised, so un-maximising next time returns to them.
 */
export function trackWindowState(window: TrackedWindow, save: (state: WindowState) => void, delayMs = 500): void {
  let timer: NodeJS.Timeout | null = null;
  const now = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    save({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(now, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, soon);
  window.on('close', now);
}

/** The saved state, or null if there is none or it cannot be read (then the defaults apply). */
export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Written whole or not at all (temporary file, then rename). Losing it only costs the default size. */
export function writeWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    // A read-only or full disk: the window simply opens at the default size next time.
  }
}
