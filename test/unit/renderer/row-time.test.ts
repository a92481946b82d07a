import { describe, expect, it } from 'vitest';
import { formatRowTime } from '../../../src-renderer/features/logs/row-time.ts';

describe('the time on a Logs row', () => {
  const now = new Date(2026, 10, 29, 15, 30).getTime();
  it('is the time of day for today, weekday and time this week, the date before', () => {
    expect(formatRowTime(new Date(2026, 10, 29, 9, 5).getTime(), now, 'en-GB')).toBe('09:05');
    expect(formatRowTime(new Date(2026, 10, 27, 9, 5).getTime(), now, 'en-GB')).toBe('Fri 09:05');
    expect(formatRowTime(new Date(2026, 9, 2, 9, 5).getTime(), now, 'en-GB')).toBe('2 Oct 2026');
  });
});
