import { describe, expect, it } from 'vitest';
import { choose, formatBytes, plural } from '../../../src-main/shared/wording.ts';

describe('wording', () => {
  it('counts in words', () => {
    expect(plural(1, 'message')).toBe('1 message');
    expect(plural(0, 'message')).toBe('0 messages');
    expect(plural(1204, 'recipient')).toBe('1,204 recipients');
    expect(plural(2, 'message is', 'messages are')).toBe('2 messages are');
    expect(choose(1, 'it', 'them')).toBe('it');
    expect(choose(3, 'it', 'them')).toBe('them');
  });

  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1,023 bytes'],
    [1024, '1 KB'],
    [50_000, '49 KB'],
    [1024 * 1024, '1.0 MB'],
    [3.45 * 1024 * 1024, '3.5 MB'],
    [25 * 1024 * 1024, '25 MB'],
    [200 * 1024 * 1024, '200 MB'],
  ])('%i bytes read as %s', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });
});
