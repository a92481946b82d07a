import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../../src-main/shared/schemas/outbox.ts';
import { DirectLegs, legsSummary } from '../../src-renderer/features/outbox/DirectLegs.tsx';

const leg = (id: string, domain: string, state: OutboxItem['state']) =>
  ({
    id,
    state,
    legDomain: domain,
    to: [`someone@${domain}`],
    rejected: [],
    nextAttemptAt: null,
    updatedAt: 1,
    lastError: null,
  }) as unknown as OutboxItem;

describe('the legs of a direct delivery', () => {
  it('add up to sent, partly sent or waiting', () => {
    expect(legsSummary([leg('1', 'a.test', 'sent'), leg('2', 'b.test', 'sent')])).toBe('Sent to all 2 domains.');
    expect(
      legsSummary([leg('1', 'a.test', 'sent'), leg('2', 'b.test', 'deferred'), leg('3', 'c.test', 'failed')]),
    ).toBe('Partly sent: 1 of 3 domains sent; 1 waiting; 1 not sent.');
    // Nothing has gone yet (the undo delay): not "partly sent".
    expect(legsSummary([leg('1', 'a.test', 'queued'), leg('2', 'b.test', 'queued')])).toBe(
      'Waiting to go to 2 domains.',
    );
  });

  it('each other leg opens with a click', async () => {
    const onOpen = vi.fn();
    render(
      <DirectLegs legs={[leg('1', 'a.test', 'sent'), leg('2', 'b.test', 'deferred')]} current="1" onOpen={onOpen} />,
    );
    expect(screen.queryByRole('button', { name: 'a.test' })).toBeNull(); // the one shown
    await userEvent.setup().click(screen.getByRole('button', { name: 'b.test' }));
    expect(onOpen).toHaveBeenCalledWith('2');
  });
});
