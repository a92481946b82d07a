import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src-main/shared/schemas/outbox.ts';

const child = fileURLToPath(new URL('../support/offline-child.ts', import.meta.url));

/** Whether this machine lets a test make a network namespace (root, util-linux, iproute2). */
function whyNot(): string | null {
  const probe = spawnSync('unshare', ['-n', 'ip', 'link', 'show', 'lo'], { encoding: 'utf8' });
  if (probe.error) return `unshare or ip is missing (${probe.error.message})`;
  if (probe.status !== 0) return `a network namespace cannot be made here (${probe.stderr.trim().split('\n')[0]})`;
  return null;
}

type Seen = {
  offline: OutboxItem;
  secondWhilePaused: OutboxItem;
  woke: boolean;
  firstAfter: OutboxItem;
  secondAfter: OutboxItem;
  received: string[];
};

/**
 * Offline for real: the core runs in a network namespace of its own where even loopback is
 * down (nothing can leave the machine), then loopback comes up with a server on it.
 */
describe('offline', () => {
  const reason = whyNot();
  if (reason) console.log(`Skipping the offline test: ${reason}.`);

  it.skipIf(reason !== null)(
    'no network: the queue pauses without spending attempts, and sends everything once the network is back',
    () => {
      const run = spawnSync('unshare', ['-n', process.execPath, '--experimental-strip-types', child], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const seen = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Seen;
      // Offline is said as such, and does not count as an attempt.
      expect(seen.offline.state).toBe('deferred');
      expect(seen.offline.lastError?.code).toBe('OFFLINE');
      expect(seen.offline.lastError?.message).toMatch(/offline/);
      expect(seen.offline.attemptCount).toBe(0);
      // The whole queue waits: the next message is not tried while offline.
      expect(seen.secondWhilePaused.state).toBe('queued');
      expect(seen.secondWhilePaused.attemptCount).toBe(0);
      // Back online: both go, once each.
      expect(seen.woke).toBe(true);
      expect([seen.firstAfter.state, seen.secondAfter.state]).toEqual(['sent', 'sent']);
      expect(seen.firstAfter.attemptCount).toBe(1);
      expect(seen.received.sort()).toEqual(['Also while offline', 'While offline']);
    },
  );
});
