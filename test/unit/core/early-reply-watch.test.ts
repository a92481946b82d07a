import { describe, expect, it } from 'vitest';
import { EarlyReplyWatch } from '../../../src-main/core/smtp/early-reply-watch.ts';

function watch(queued = false) {
  const state = { queued, early: null as string[] | null };
  const w = new EarlyReplyWatch(
    (lines) => (state.early = lines),
    () => state.queued,
  );
  w.begin();
  return { w, state };
}

describe('the watch for replies while the message is still going', () => {
  it('lets the conversation up to the 354 through, and stops at any reply after it', () => {
    const { w, state } = watch();
    expect(w.received('250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n')).toBe(true);
    expect(w.received('354 go ahead\r\n')).toBe(true);
    expect(w.received('451 4.3.0 Hold on\r\n')).toBe(false);
    expect(state.early).toEqual(['451 4.3.0 Hold on']);
  });

  it('counts bytes without a line end, and a reply split across chunks', () => {
    const glued = watch();
    expect(glued.w.received('354 go\r\n451 4.3.0 Hold on')).toBe(false);
    expect(glued.state.early).toEqual(['354 go', '451 4.3.0 Hold on']);
    const split = watch();
    expect(split.w.received('35')).toBe(true);
    expect(split.w.received('4 go\r\n')).toBe(true);
    expect(split.w.received('4')).toBe(false);
  });

  it('a "354-" continuation is not yet the go-ahead', () => {
    const { w } = watch();
    expect(w.received('354-one more line\r\n')).toBe(true);
    expect(w.received('354 go\r\n')).toBe(true);
  });

  it('after the "." is marked, a reply counts as early only while the message is still queued in Posthorn', () => {
    const queued = watch(true);
    queued.w.received('354 go\r\n');
    queued.w.finalDotMarked();
    expect(queued.w.received('250 2.0.0 Ok: queued early\r\n')).toBe(false);

    const gone = watch(false);
    gone.w.received('354 go\r\n');
    gone.w.finalDotMarked();
    expect(gone.w.received('250 2.0.0 Ok: queued\r\n')).toBe(true);
    expect(gone.state.early).toBeNull();
  });

  it('watches only while a transaction runs', () => {
    const { w, state } = watch();
    w.end();
    expect(w.received('354 go\r\n451 later\r\n')).toBe(true);
    expect(state.early).toBeNull();
  });
});
