import { describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../../src-main/core/outbox/connection-pool.ts';
import { ConnectionWarmer, type Opened } from '../../../src-main/core/outbox/connection-warmer.ts';
import type { AttemptReport } from '../../../src-main/core/smtp/attempt-report.ts';

/** What a refused login looks like to the sender (the real shape SmtpSession.open returns). */
function refusedLogin(): AttemptReport {
  return {
    outcome: 'failed',
    phase: 'auth',
    replyCode: 535,
    enhancedCode: '5.7.8',
    response: '535 5.7.8 Authentication credentials invalid',
    finalDotSent: false,
    error: { code: 'SMTP_AUTH', message: 'The server refused the login.', hint: 'Check the password.' },
    accepted: [],
    refusals: [],
    lines: [{ t: 0, dir: 'S', text: '535 5.7.8 Authentication credentials invalid' }],
    facts: null,
  };
}

function setup() {
  let clock = 1_000_000;
  const warmer = new ConnectionWarmer(new ConnectionPool({ idleMs: 1000, maxMessagesPerConnection: 100 }), () => clock);
  return { warmer, advance: (ms: number) => (clock += ms), now: () => clock };
}

/** A connection attempt that ends when the test says so. */
function pendingOpen() {
  let finish: (opened: Opened) => void = () => {};
  const result = new Promise<Opened>((resolve) => (finish = resolve));
  return { open: () => result, finish };
}

describe('connections opened ahead of a message', () => {
  it('an attempt arriving while the connection opens takes it, whatever comes of it', async () => {
    const { warmer, now } = setup();
    const opening = pendingOpen();
    warmer.start('acc', 'key', 0, { id: 'm1', dueAt: now() }, opening.open);
    expect(warmer.inProgress).toBe(1);
    const taken = warmer.take('acc', 'key', 0, 'm2');
    expect(taken).toBeDefined();
    expect(warmer.inProgress).toBe(0); // the attempt's own connection now, not the warmer's
    opening.finish({ report: refusedLogin() });
    expect(await taken).toEqual({ report: refusedLogin() });
    await warmer.settle();
    // Taken: nothing is left behind for anyone else.
    expect(warmer.take('acc', 'key', 0, 'm1')).toBeUndefined();
  });

  it('one still logging in with settings saved over since is not handed over, nor its failure later', async () => {
    const { warmer, now } = setup();
    const opening = pendingOpen();
    warmer.start('acc', 'key', 0, { id: 'm1', dueAt: now() }, opening.open);
    // The account was saved again (generation 1): the attempt opens its own connection.
    expect(warmer.take('acc', 'key', 1, 'm1')).toBeUndefined();
    opening.finish({ report: refusedLogin() });
    await warmer.settle();
    expect(warmer.take('acc', 'key', 1, 'm1')).toBeUndefined();
  });

  it('a failure nobody took is kept for the message it was opened for, and only for it', async () => {
    const { warmer, now } = setup();
    warmer.start('acc', 'key', 0, { id: 'm1', dueAt: now() + 5000 }, () => Promise.resolve({ report: refusedLogin() }));
    await warmer.settle();
    expect(warmer.inProgress).toBe(0);
    expect(warmer.take('acc', 'key', 0, 'other')).toBeUndefined();
    const own = warmer.take('acc', 'key', 0, 'm1');
    expect(await own).toEqual({ report: refusedLogin() });
    // Reported once: a retry of the same message connects afresh.
    expect(warmer.take('acc', 'key', 0, 'm1')).toBeUndefined();
  });

  it("a second message opening its own connection does not drop the first one's unreported failure", async () => {
    const { warmer, now } = setup();
    warmer.start('acc', 'key', 0, { id: 'm1', dueAt: now() + 5000 }, () => Promise.resolve({ report: refusedLogin() }));
    await warmer.settle();
    warmer.start('acc', 'key', 0, { id: 'm2', dueAt: now() + 5000 }, () => Promise.resolve({ report: refusedLogin() }));
    await warmer.settle();
    expect(await warmer.take('acc', 'key', 0, 'm1')).toEqual({ report: refusedLogin() });
    expect(await warmer.take('acc', 'key', 0, 'm2')).toEqual({ report: refusedLogin() });
    expect(warmer.take('acc', 'key', 0, 'm1')).toBeUndefined();
  });

  it('an old failure is not reported: 10 s after the message was due, after the settings changed, or after a save', async () => {
    const late = setup();
    late.warmer.start('acc', 'key', 0, { id: 'm1', dueAt: late.now() + 2000 }, () =>
      Promise.resolve({ report: refusedLogin() }),
    );
    await late.warmer.settle();
    late.advance(2000 + 10_001);
    expect(late.warmer.take('acc', 'key', 0, 'm1')).toBeUndefined();

    const changed = setup();
    changed.warmer.start('acc', 'key', 0, { id: 'm1', dueAt: changed.now() }, () =>
      Promise.resolve({ report: refusedLogin() }),
    );
    await changed.warmer.settle();
    expect(changed.warmer.take('acc', 'other-settings', 0, 'm1')).toBeUndefined();

    // Saved again with the same server and login (a fixed password): the old refusal is not news.
    const saved = setup();
    saved.warmer.start('acc', 'key', 0, { id: 'm1', dueAt: saved.now() }, () =>
      Promise.resolve({ report: refusedLogin() }),
    );
    await saved.warmer.settle();
    expect(saved.warmer.take('acc', 'key', 1, 'm1')).toBeUndefined();
  });

  it('one connection at a time per account; a connection for other settings is not handed over', async () => {
    const { warmer, now } = setup();
    const first = pendingOpen();
    let secondStarted = false;
    warmer.start('acc', 'key', 0, { id: 'm1', dueAt: now() }, first.open);
    warmer.start('acc', 'key', 0, { id: 'm2', dueAt: now() }, () => {
      secondStarted = true;
      return first.open();
    });
    expect(secondStarted).toBe(false);
    expect(warmer.take('acc', 'new-key', 0, 'm1')).toBeUndefined();
    expect(warmer.has('acc')).toBe(true);
    first.finish({ report: refusedLogin() });
    await warmer.settle();
    expect(warmer.has('acc')).toBe(false);
  });
});
