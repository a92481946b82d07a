import { test as base, expect } from '@playwright/test';
import { assertNoSecretsInPayload } from '../support/secret-watch.ts';

/**
 * Playwright's `test` with every API answer the page receives searched for the secrets the
 * spec registered (the event stream carries only ids, states and byte counts, and is
 * searched where the core's events are, in the integration tests).
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const checks: Promise<void>[] = [];
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (!pathname.startsWith('/api/') || pathname === '/api/events') return;
      checks.push(
        response.text().then(
          (body) => assertNoSecretsInPayload(`the answer to ${pathname}`, body),
          () => undefined,
        ),
      );
    });
    await use(page);
    await Promise.all(checks);
  },
});

export { expect };
