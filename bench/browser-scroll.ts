// Benchmark: the Logs view in Chromium over 10,000 messages: time until the list shows, the
// JavaScript shipped, and frames slower than 50 ms (long tasks) while scrolling through every row.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { startWebApp } from '../test/support/web-app.ts';
import { fill, prepareStore } from './store-scale.ts';

const ROWS = Number(process.env.BENCH_SCROLL_ROWS ?? 10_000);

export type BrowserResult = {
  rows: number;
  jsGzipKb: number;
  /** The JavaScript files the page loaded before its first view (the Outbox) was usable, gzip. */
  firstViewJsGzipKb: number;
  /** `npm run web` (built) started → its link printed (the server ready). */
  serverReadyMs: number;
  /** The link opened → the first view usable (its heading shown, the list answered). */
  firstViewMs: number;
  listVisibleMs: number;
  frames: number;
  slowFrames: number;
  longestFrameMs: number;
  scrolledRows: number;
  scrollSeconds: number;
  controlSeen: boolean;
};

const assetsDir = () => path.resolve(import.meta.dirname, '..', 'dist', 'renderer', 'assets');

/** The gzip size of the named asset files, as a server compressing them would send them. */
function gzipOf(files: Iterable<string>): number {
  let sum = 0;
  for (const file of files) sum += gzipSync(readFileSync(path.join(assetsDir(), file))).length;
  return sum;
}

function shippedJsGzip(): number {
  const dir = path.resolve(import.meta.dirname, '..', 'dist', 'renderer', 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dir, f))).length, 0);
}

/** Debian's Chromium, headless, without the background traffic that would skew a measurement. */
function launchChromium() {
  return chromium.launch({
    executablePath: process.env.POSTHORN_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function runBrowserScroll(): Promise<BrowserResult> {
  const data = tempDataDir('bench-browser');
  await prepareStore(data.dir);
  fill(data.dir, ROWS);
  const spawned = performance.now();
  const app = await startWebApp({ dataDir: data.dir, env: {} });
  const serverReadyMs = performance.now() - spawned;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1240, height: 820 } });
    // Every script the page asks for until its first view is usable: what "first view" costs.
    const scripts = new Set<string>();
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.includes('/assets/') && pathname.endsWith('.js')) scripts.add(path.basename(pathname));
    });
    const started = performance.now();
    await page.goto(await app.link());
    await page.getByRole('heading', { name: 'Outbox', exact: true }).waitFor();
    await page
      .getByRole('list', { name: 'Messages' })
      .or(page.getByText(/Nothing waiting|No messages/))
      .first()
      .waitFor();
    const firstViewMs = performance.now() - started;
    const firstViewJsGzipKb = gzipOf(scripts) / 1024;
    await page.getByRole('button', { name: 'Logs', exact: true }).click();
    const list = page.getByRole('list', { name: 'Search results' });
    await list.getByRole('button').first().waitFor();
    const listVisibleMs = performance.now() - started;
    // Frames are timed during the whole scroll: a task over 50 ms shows as a gap between frames.
    const scrollStarted = performance.now();
    const measured = await page.evaluate(async () => {
      const scroller = document.querySelector('.virtual-scroller') as HTMLElement;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
      const gaps: number[] = [];
      let last = await frame();
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2) {
        scroller.scrollTop += scroller.clientHeight;
        const now = await frame();
        gaps.push(now - last);
        last = now;
      }
      // Let the last pages arrive and render, still timing frames.
      for (let i = 0; i < 20; i++) {
        const now = await frame();
        gaps.push(now - last);
        last = now;
      }
      // Control: an 80 ms task must show up as a gap, or the figures above prove nothing.
      const t = performance.now();
      while (performance.now() - t < 80) {
        // busy on purpose
      }
      const after = await frame();
      const control = after - last;
      return { gaps, control, rows: Math.round(scroller.scrollHeight / 64) };
    });
    const scrollSeconds = (performance.now() - scrollStarted) / 1000;
    await list.getByRole('button').last().waitFor();
    const long = measured.gaps.filter((g) => g > 50);
    return {
      rows: ROWS,
      jsGzipKb: shippedJsGzip() / 1024,
      firstViewJsGzipKb,
      serverReadyMs,
      firstViewMs,
      listVisibleMs,
      frames: measured.gaps.length,
      slowFrames: long.length,
      longestFrameMs: Math.max(0, ...measured.gaps),
      scrolledRows: measured.rows,
      scrollSeconds,
      controlSeen: measured.control >= 80,
    };
  } finally {
    await browser.close();
    await app.stop();
    data.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runBrowserScroll()));
