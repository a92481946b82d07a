import { describe, expect, it } from 'vitest';
import { offeredActions } from '../../../src-renderer/features/outbox/outbox-actions.ts';

const item = (state: 'queued' | 'deferred' | 'failed' | 'uncertain' | 'sent', extra: object = {}) => ({
  state,
  attemptCount: 1,
  pending: ['a@example.test'],
  lastError: null,
  ...extra,
});
const labels = (result: ReturnType<typeof offeredActions>) =>
  result.actions.map((a) => `${a.label}${a.primary ? ' *' : ''}`);

describe('what the outbox offers for a message', () => {
  it('a message refused for good (5xx) offers editing first, retrying second', () => {
    const refused = item('failed', { lastError: { code: 'SMTP_REJECTED', message: '550 5.7.1 Rejected' } });
    const offered = offeredActions(refused, true);
    expect(labels(offered)).toEqual(['Edit as new *', 'Retry anyway']);
    expect(offered.note).toMatch(/refused it for good/);
  });

  it('nobody left to send to: no Retry at all, editing is the way', () => {
    const offered = offeredActions(item('failed', { pending: [], lastError: { code: 'SMTP_REJECTED' } }), true);
    expect(labels(offered)).toEqual(['Edit as new *']);
    expect(offered.note).toMatch(/nobody left/);
  });

  it('a message that gave up on a temporary trouble offers Retry now first', () => {
    const gaveUp = item('failed', { lastError: { code: 'SMTP_TEMPORARY', message: 'Gave up' } });
    expect(labels(offeredActions(gaveUp, true))).toEqual(['Retry now *', 'Edit as new']);
  });

  it('the other states', () => {
    expect(labels(offeredActions(item('queued', { attemptCount: 0 }), true))).toEqual([
      'Undo and edit *',
      'Cancel sending',
    ]);
    expect(labels(offeredActions(item('deferred'), true))).toEqual(['Retry now *', 'Cancel sending']);
    expect(labels(offeredActions(item('uncertain'), true))).toEqual(['Resend (same Message-ID) *', 'Mark as sent']);
    expect(labels(offeredActions(item('sent'), true))).toEqual(['Edit as new']);
    expect(labels(offeredActions(item('sent'), false))).toEqual([]);
  });
});
