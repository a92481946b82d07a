const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** About 1 min, 5 min, 15 min, 1 h, 4 h, then every 4 h (the schedule of a patient MTA). */
const BACKOFF = [1 * MINUTE, 5 * MINUTE, 15 * MINUTE, 1 * HOUR, 4 * HOUR];

export function retryDelay(attemptNumber: number): number {
  return BACKOFF[Math.min(Math.max(attemptNumber, 1), BACKOFF.length) - 1] ?? 4 * HOUR;
}
