import secretScanSummary from './secret-scan-summary.ts';

/** Playwright's global set-up: the same secret-check totals as the Vitest run's. */
export default function globalSetup(): () => void {
  return secretScanSummary();
}
