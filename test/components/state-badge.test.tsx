import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src-main/shared/schemas/outbox.ts';
import { Transcript } from '../../src-renderer/features/logs/Transcript.tsx';
import { needingAttention } from '../../src-renderer/features/outbox/outbox-filters.ts';
import { StateBadge, badgeOf } from '../../src-renderer/features/outbox/StateBadge.tsx';

const NOW = Date.UTC(2026, 10, 29, 12);
const refused = { address: 'gone@example.org', reply: '550 5.1.1 <gone@example.org>: no such user' };

describe('a message sent to some recipients and refused for others', () => {
  it('reads "Sent, 1 refused" in the warning look, not a green Sent', () => {
    render(<StateBadge item={{ state: 'sent', rejected: [refused], nextAttemptAt: null, updatedAt: NOW }} />);
    const badge = screen.getByText('Sent, 1 refused');
    expect(badge.className).toContain('state-partly');
    expect(badge.className).not.toContain('state-sent');
    expect(badgeOf({ state: 'sent', rejected: [], nextAttemptAt: null, updatedAt: NOW }).word).toBe('Sent');
  });

  it('counts as needing attention in the Outbox', () => {
    const item = { state: 'sent', rejected: [refused] } as unknown as OutboxItem;
    const clean = { state: 'sent', rejected: [] } as unknown as OutboxItem;
    expect(needingAttention([item, clean])).toBe(1);
  });

  it('marks the refusing reply in the transcript, also for screen readers', () => {
    render(
      <Transcript
        lines={[
          { t: 0, dir: 'C', text: 'RCPT TO:<ada@example.org>' },
          { t: 1, dir: 'S', text: '250 2.1.5 Ok' },
          { t: 2, dir: 'C', text: 'RCPT TO:<gone@example.org>' },
          { t: 3, dir: 'S', text: refused.reply },
          { t: 4, dir: 'C', text: 'DATA' },
          { t: 5, dir: 'S', text: '354 go ahead' },
        ]}
      />,
    );
    const line = screen.getByText(refused.reply).closest('li');
    expect(line?.className).toContain('line-refused');
    expect(line?.textContent).toContain('server, refused');
    expect(screen.getByText('250 2.1.5 Ok').closest('li')?.className).not.toContain('line-refused');
  });
});

describe('a message to be sent later', () => {
  it('reads "Scheduled", while one in its undo delay reads "Queued"', () => {
    expect(badgeOf({ state: 'queued', rejected: [], nextAttemptAt: NOW + 3 * 3600_000, updatedAt: NOW }).word).toBe(
      'Scheduled',
    );
    expect(badgeOf({ state: 'queued', rejected: [], nextAttemptAt: NOW + 5_000, updatedAt: NOW }).word).toBe('Queued');
    expect(badgeOf({ state: 'deferred', rejected: [], nextAttemptAt: NOW + 5_000, updatedAt: NOW }).word).toBe(
      'Retrying',
    );
  });
});
