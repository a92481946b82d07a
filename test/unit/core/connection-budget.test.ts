import { describe, expect, it } from 'vitest';
import { ConnectionBudget } from '../../../src-main/core/outbox/connection-budget.ts';
import type { ConnectionPool } from '../../../src-main/core/outbox/connection-pool.ts';
import type { ConnectionWarmer } from '../../../src-main/core/outbox/connection-warmer.ts';

/** A pool and warmer reduced to what the budget reads: idle connections per account, openings per account. */
function budget(options: {
  max: number;
  idle?: Record<string, number>;
  warming?: string[];
  limits?: Record<string, number>;
}) {
  const idle = { ...options.idle };
  const pool = {
    idleCount: (id: string) => idle[id] ?? 0,
    idleTotal: () => Object.values(idle).reduce((a, b) => a + b, 0),
  } as unknown as ConnectionPool;
  const warmer = {
    has: (id: string) => (options.warming ?? []).includes(id),
    inProgress: (options.warming ?? []).length,
  } as unknown as ConnectionWarmer;
  const max = { value: options.max };
  const b = new ConnectionBudget({
    pool,
    warmer,
    maxConnections: () => max.value,
    accountLimit: (id) => options.limits?.[id] ?? 2,
  });
  return { b, idle, max };
}

describe('ConnectionBudget: one answer for whether a message may have a connection', () => {
  it('reuses an idle connection or the one opened ahead, before opening another', () => {
    expect(budget({ max: 1, idle: { a: 1 } }).b.canOpen('a')).toBe('reuse');
    expect(budget({ max: 1, warming: ['a'] }).b.canOpen('a')).toBe('reuse');
    expect(budget({ max: 2, idle: { b: 1 } }).b.canOpen('a')).toBe('open');
  });

  it('counts idle connections, openings ahead and connections being closed against the global limit', () => {
    expect(budget({ max: 2, idle: { b: 1 }, warming: ['c'] }).b.canOpen('a')).toBe('evict');
    const { b } = budget({ max: 2, warming: ['b', 'c'] });
    expect(b.openConnections()).toBe(2);
    expect(b.canOpen('a')).toBe('full'); // nothing idle to close, the openings cannot be cut short
    const evicting = budget({ max: 2, idle: { b: 1 } });
    evicting.b.take('x', false);
    const lease = evicting.b.take('a', true);
    // In use 2, idle 1, being closed 1: while another account's connection closes, both count.
    expect(evicting.b.openConnections()).toBe(4);
    evicting.idle.b = 0; // the pool closed it
    lease.evicted();
    lease.evicted(); // twice is once
    expect(evicting.b.openConnections()).toBe(2);
  });

  it('is full when every place is in use, and frees a place as soon as the lease is released', () => {
    const { b, max } = budget({ max: 1 });
    const lease = b.take('a', false);
    expect(b.hasRoom()).toBe(false);
    expect(b.canOpen('a')).toBe('full');
    lease.release();
    lease.release(); // twice is once
    expect(b.used).toBe(0);
    expect(b.canOpen('a')).toBe('open');
    max.value = 0; // the person lowered the limit
    expect(b.canOpen('a')).toBe('full');
  });

  it('names the accounts at their own limit, so the queue skips their messages', () => {
    const { b } = budget({ max: 8, limits: { a: 1, b: 2 } });
    b.take('a', false);
    b.take('b', false);
    expect(b.fullAccounts()).toEqual(['a']);
    b.take('b', false);
    expect(b.fullAccounts().sort()).toEqual(['a', 'b']);
  });

  it('opens ahead only for an account with no connection at all, and only with room', () => {
    const { b } = budget({ max: 2 });
    expect(b.canOpenAhead('a')).toBe(true);
    const lease = b.take('a', false);
    expect(b.canOpenAhead('a')).toBe(false); // already sending
    lease.release();
    expect(budget({ max: 1, idle: { a: 1 } }).b.canOpenAhead('a')).toBe(false);
    expect(budget({ max: 1, idle: { b: 1 } }).b.canOpenAhead('a')).toBe(false); // would need an eviction
  });

  it('a message whose account is gone needs no connection and is let through', () => {
    expect(budget({ max: 1, idle: { b: 1 } }).b.canOpen(null)).toBe('open');
  });
});
