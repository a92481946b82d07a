import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Entry = { folders?: number; files?: number; payloads?: number; hits: number; needles: number };

/**
 * Global set-up for a test run (Vitest and Playwright): every secret check the tests make
 * (secret-watch.ts) appends a line to one log; at the end the totals are printed, so the
 * counts in docs/RELIABILITY.md come from a real run. Any hit already failed its own test.
 */
export default function secretScanSummary(): () => void {
  const log = path.join(os.tmpdir(), `posthorn-secret-scan-${process.pid}.jsonl`);
  writeFileSync(log, '');
  process.env.POSTHORN_SECRET_SCAN_LOG = log;
  return () => {
    if (!existsSync(log)) return;
    const entries = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Entry);
    rmSync(log, { force: true });
    const sum = (key: 'folders' | 'files' | 'payloads' | 'hits') =>
      entries.reduce((total, entry) => total + (entry[key] ?? 0), 0);
    const needles = Math.max(0, ...entries.map((entry) => entry.needles));
    console.log(
      `secret scan: ${sum('folders')} data folders (${sum('files')} files) and ${sum('payloads')} payloads to the renderer searched for up to ${needles} secret forms per test file: ${sum('hits')} hits`,
    );
    if (sum('hits') > 0) throw new Error('A secret leaked; see the failing test above.');
  };
}
