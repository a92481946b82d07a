import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../../src-main/core/outbox/ttl-cache.ts';

describe('TtlCache', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a key once per period, and again after it', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const load = vi.fn((key: string) => `${key}:${load.mock.calls.length}`);
    const cache = new TtlCache(1000, load);
    expect(cache.get('a')).toBe('a:1');
    expect(cache.get('a')).toBe('a:1');
    expect(cache.get('b')).toBe('b:2');
    vi.advanceTimersByTime(999);
    expect(cache.get('a')).toBe('a:1');
    vi.advanceTimersByTime(1);
    expect(cache.get('a')).toBe('a:3');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('does not keep a failed read', () => {
    let fail = true;
    const cache = new TtlCache(1000, () => {
      if (fail) throw new Error('gone');
      return 1;
    });
    expect(() => cache.get('a')).toThrow('gone');
    fail = false;
    expect(cache.get('a')).toBe(1);
  });
});
