import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICO_SIZES, LINUX_SIZES, makeIcons } from '../../../scripts/make-icons.mjs';

/** PNG width and height from the IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('npm run dist', () => {
  it('stops with a clear message, before building anything, where the Electron runtime cannot be downloaded', async () => {
    // A mirror on this machine with nothing listening, and an empty cache: what a machine
    // without internet sees, without the test itself reaching out.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cache = mkdtempSync(path.join(os.tmpdir(), 'posthorn-ecache-'));
    try {
      const run = spawnSync(process.execPath, ['scripts/dist.mjs'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /npm run dist stopped: the Electron [\d.]+ runtime for \w+-\w+ could not be downloaded \(fetch failed: ECONNREFUSED\)/,
      );
      expect(run.stderr).toMatch(/ELECTRON_MIRROR/);
      expect(run.stderr).toMatch(/Nothing was built\. Posthorn itself can be used without Electron: npm run web\./);
      expect(run.stdout).not.toMatch(/vite|electron-builder/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('draws every icon each platform needs from the one SVG', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'posthorn-icons-'));
    try {
      await makeIcons('assets/icon.svg', out);
      for (const size of LINUX_SIZES)
        expect(pngSize(readFileSync(path.join(out, 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
      expect(pngSize(readFileSync(path.join(out, 'icon.png')))).toEqual([1024, 1024]);
      expect(pngSize(readFileSync(path.join(out, 'tray.png')))).toEqual([16, 16]);
      expect(pngSize(readFileSync(path.join(out, 'tray@2x.png')))).toEqual([32, 32]);
      // ICO header: reserved 0, type 1, then the number of images.
      const ico = readFileSync(path.join(out, 'icon.ico'));
      expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
