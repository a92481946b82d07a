import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

/** POSTHORN_SCREENSHOTS=docs/screenshots npm run test:e2e refreshes the README's pictures. */
export async function snapshot(page: Page, info: TestInfo, name: string, tall = false): Promise<void> {
  const dir = process.env.POSTHORN_SCREENSHOTS ?? info.outputPath('screens');
  const file = path.join(dir, `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  const viewport = page.viewportSize();
  // The app scrolls inside its own pane, so a tall screen is a taller window, not fullPage.
  if (tall && viewport) await page.setViewportSize({ width: viewport.width, height: 1900 });
  await page.screenshot({ path: file });
  if (tall && viewport) await page.setViewportSize(viewport);
}
