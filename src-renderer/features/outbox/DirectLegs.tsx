import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { plural } from '../../../src-main/shared/wording.ts';
import { StateBadge } from './StateBadge.tsx';

/** "2 of 3 domains sent; 1 waiting": what the legs of a direct delivery add up to. */
export function legsSummary(legs: readonly Pick<OutboxItem, 'state'>[]): string {
  const count = (states: string[]) => legs.filter((leg) => states.includes(leg.state)).length;
  const sent = count(['sent']);
  const waiting = count(['queued', 'sending', 'deferred']);
  const failed = count(['failed', 'uncertain', 'cancelled']);
  if (sent === legs.length) return `Sent to all ${plural(legs.length, 'domain', 'domains')}.`;
  if (sent === 0 && failed === 0) return `Waiting to go to ${plural(legs.length, 'domain', 'domains')}.`;
  if (sent === 0)
    return `Not sent yet: ${[`${failed} not sent`, ...(waiting > 0 ? [`${waiting} waiting`] : [])].join('; ')} (of ${plural(legs.length, 'domain', 'domains')}).`;
  const parts = [
    `${sent} of ${plural(legs.length, 'domain', 'domains')} sent`,
    ...(waiting > 0 ? [`${waiting} waiting`] : []),
    ...(failed > 0 ? [`${failed} not sent`] : []),
  ];
  return `Partly sent: ${parts.join('; ')}.`;
}

/**
 * A message sent by direct delivery goes in one leg per recipient domain, each with its own
 * server, transcript and retries (issue 21): the legs side by side, each one a click away.
 */
export function DirectLegs({
  legs,
  current,
  onOpen,
}: {
  legs: readonly OutboxItem[];
  current: string;
  onOpen?: (id: string) => void;
}) {
  return (
    <section className="direct-legs" aria-labelledby="direct-legs-title">
      <h3 id="direct-legs-title">Direct delivery</h3>
      <p>{legsSummary(legs)}</p>
      <ul>
        {legs.map((leg) => (
          <li key={leg.id} className={leg.id === current ? 'current' : undefined}>
            <StateBadge item={leg} />{' '}
            {onOpen && leg.id !== current ? (
              <button type="button" className="button link" onClick={() => onOpen(leg.id)}>
                {leg.legDomain}
              </button>
            ) : (
              <strong>{leg.legDomain}</strong>
            )}{' '}
            <span className="muted">{leg.to.join(', ')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
