// Benchmark: Electron's cold start, from launching the desktop app (the built entry, `.`) to its
// first usable window (the navigation and the first view's heading shown). Only where the
// Electron binary exists: the GitHub workflow runs it on each system after `npm test` (which
// builds the app) and puts the figures in the run's summary; on a machine without the binary
// it prints the reason and measures nothing. Each launch gets a fresh data folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from '@playwright/test';
import { electronBinary, NO_ELECTRON_REASON } from '../test/support/electron-binary.ts';
import { startKeychainSession } from '../test/support/keychain-session.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';

const LAUNCHES = Number(process.env.BENCH_ELECTRON_LAUNCHES ?? 5);

export type ColdStart = { windowMs: number; usableMs: number };
export type ColdStartResult = { launches: ColdStart[]; first: ColdStart; median: ColdStart } | { skipped: string };

async function launchOnce(binary: string, keychainEnv: Record<string, string>): Promise<ColdStart> {
  const data = tempDataDir('bench-electron');
  const started = performance.now();
  const app = await electron.launch({
    executablePath: binary,
    args: ['.'],
    env: { ...(process.env as Record<string, string>), ...keychainEnv, POSTHORN_DATA_DIR: data.dir },
  });
  try {
    const page = await app.firstWindow();
    const windowMs = performance.now() - started;
    await page.getByRole('button', { name: 'Outbox', exact: true }).waitFor();
    await page.getByRole('heading').first().waitFor();
    return { windowMs, usableMs: performance.now() - started };
  } finally {
    await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
    await app.close().catch(() => undefined);
    data.remove();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function runElectronColdStart(): Promise<ColdStartResult> {
  const binary = electronBinary();
  if (!binary) return { skipped: NO_ELECTRON_REASON };
  // A keychain, as a person's desktop has (on Linux a private Secret Service), started before the clock.
  const keychain = await startKeychainSession();
  const launches: ColdStart[] = [];
  try {
    for (let i = 0; i < LAUNCHES; i++) launches.push(await launchOnce(binary, keychain.env));
  } finally {
    await keychain.stop();
  }
  const rest = launches.slice(1);
  return {
    launches,
    // The first launch reads Electron and the app from disk; the later ones find them cached.
    first: launches[0] as ColdStart,
    median: { windowMs: median(rest.map((l) => l.windowMs)), usableMs: median(rest.map((l) => l.usableMs)) },
  };
}

/** The lines the workflow appends to its summary ($GITHUB_STEP_SUMMARY). */
export function coldStartSummary(result: ColdStartResult, system: string): string {
  if ('skipped' in result) return `Electron cold start on ${system}: not measured (${result.skipped}).\n`;
  const row = (name: string, c: ColdStart) => `| ${name} | ${c.windowMs.toFixed(0)} ms | ${c.usableMs.toFixed(0)} ms |`;
  return [
    `### Electron cold start on ${system}`,
    '',
    'From `electron .` launched (through Playwright) to the first window, and to its first view usable',
    '(the navigation and the heading shown), a fresh data folder each time (bench/electron-cold-start.ts).',
    '',
    '| launch | window shown | first view usable |',
    '| --- | --- | --- |',
    row('first (nothing cached)', result.first),
    row(`median of the next ${result.launches.length - 1}`, result.median),
    '',
  ].join('\n');
}

if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const result = await runElectronColdStart();
  process.stdout.write(coldStartSummary(result, `${process.platform} ${process.arch}`));
  // Where the binary can be downloaded (the workflow), a figure that was not measured is a failure.
  if ('skipped' in result && process.env.POSTHORN_REQUIRE_ELECTRON === '1') process.exitCode = 1;
}
