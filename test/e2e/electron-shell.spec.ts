import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary, NO_ELECTRON_REASON } from '../support/electron-binary.ts';
import { channels } from '../../src-main/shared/contract.ts';
import { tempDataDir } from '../support/temp-dir.ts';

const binary = electronBinary();

test.describe('Electron shell', () => {
  test.skip(!binary, NO_ELECTRON_REASON);

  test('opens a hardened window whose preload exposes one method per channel', async () => {
    const data = tempDataDir('electron');
    const app = await electron.launch({ executablePath: binary ?? undefined, args: ['.'], env: { ...process.env, POSTHORN_DATA_DIR: data.dir } });
    try {
      const page = await app.firstWindow();
      await expect(page.getByText('Posthorn').first()).toBeVisible();
      const exposed = await page.evaluate(() => Object.keys(window.posthorn ?? {}).sort());
      expect(exposed).toEqual([...channels, 'on'].sort());
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
      data.remove();
    }
  });
});
