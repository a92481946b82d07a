import { defineConfig } from '@playwright/test';
import { electronBinary, NO_ELECTRON_REASON } from './test/support/electron-binary.ts';

// Said once, where it is seen: the list reporter does not print skip reasons.
if (!electronBinary() && !process.env.TEST_WORKER_INDEX && process.env.POSTHORN_REQUIRE_ELECTRON !== '1')
  console.log(`Skipping the Electron shell test: ${NO_ELECTRON_REASON}.`);

/** Debian's Chromium, never a downloaded browser (this project cannot download one). */
const executablePath = process.env.POSTHORN_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  // Totals of the secret checks every data folder and API answer went through.
  globalSetup: './test/support/secret-scan-playwright.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // On CI also an HTML report (playwright-report/), which the GitHub workflow keeps when a run fails.
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1240, height: 820 },
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
