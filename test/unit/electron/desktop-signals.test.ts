import { describe, expect, it } from 'vitest';
import {
  attentionCount,
  notificationFor,
  quitQuestion,
  signInNotification,
} from '../../../src-main/electron/desktop-signals.ts';

const item = {
  id: 'm1',
  subject: 'Quarterly report',
  to: ['ann@example.test'],
  rejected: [] as { address: string; reply: string }[],
  lastError: null,
};

describe('desktop notifications, badge and quitting', () => {
  it('says what happened to a message, and which one, for sent, failed and uncertain only', () => {
    expect(notificationFor('sent', item)).toEqual({
      title: 'Sent: “Quarterly report”',
      body: 'To ann@example.test.',
      outboxId: 'm1',
    });
    expect(
      notificationFor('sent', {
        ...item,
        to: ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test'],
        rejected: [{ address: 'd@x.test', reply: '550' }],
      })?.body,
    ).toBe('To a@x.test, b@x.test and 2 more. 1 recipient was refused.');
    expect(
      notificationFor('failed', {
        ...item,
        lastError: { code: 'SMTP_AUTH', message: 'The server refused the password.', hint: 'Check it in Accounts.' },
      }),
    ).toEqual({
      title: 'Not sent: “Quarterly report”',
      body: 'The server refused the password. Check it in Accounts.',
      outboxId: 'm1',
    });
    expect(notificationFor('uncertain', { ...item, subject: ' ' })?.title).toBe(
      'Maybe sent: A message without a subject',
    );
    for (const state of ['queued', 'sending', 'deferred', 'cancelled'] as const)
      expect(notificationFor(state, item)).toBeNull();
  });

  it('the badge counts what needs the person; quitting asks only while mail waits, and defaults to staying', () => {
    const refused = { address: 'gone@example.org', reply: '550 5.1.1 No such user' };
    expect(
      attentionCount([
        { state: 'failed', rejected: [] },
        { state: 'uncertain', rejected: [] },
        { state: 'sent', rejected: [] },
        { state: 'deferred', rejected: [] },
      ]),
    ).toBe(2);
    // Sent to some but refused for others is not a plain success: it counts (issue 18).
    expect(
      attentionCount([
        { state: 'sent', rejected: [refused] },
        { state: 'sent', rejected: [] },
      ]),
    ).toBe(1);
    expect(quitQuestion([{ state: 'sent' }, { state: 'failed' }])).toBeNull();
    const question = quitQuestion([
      { state: 'queued' },
      { state: 'deferred' },
      { state: 'sending' },
      { state: 'sent' },
    ]);
    expect(question?.message).toBe('3 messages are still waiting to be sent.');
    expect(question?.buttons[question.cancelId]).toBe('Keep Posthorn open');
    expect(question?.defaultId).toBe(question?.cancelId);
  });

  it('an account that must sign in again is said by name, with where to do it', () => {
    expect(
      signInNotification({ name: 'Work', message: 'Google no longer accepts this account’s sign-in (revoked).' }),
    ).toEqual({
      title: 'Sign in again: Work',
      body: 'Google no longer accepts this account’s sign-in (revoked). Its messages wait until you sign in again under Accounts.',
    });
  });
});
