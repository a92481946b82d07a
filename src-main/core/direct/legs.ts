import { randomUUID } from 'node:crypto';
import { asciiDomain } from './mx-plan.ts';

export type Leg = { id: string; domain: string | null; to: string[] };

/**
 * A message for direct delivery, split by recipient domain (one SMTP conversation per domain's
 * mail server): the first leg keeps the message's id, the others get their own. Domains are
 * compared in their A-label form, so "Bücher.example" and "xn--bcher-kva.example" are one leg.
 */
export function legsByDomain(recipients: readonly string[], firstId: string): Leg[] {
  const byDomain = new Map<string, string[]>();
  for (const address of recipients) {
    const raw = address.slice(address.lastIndexOf('@') + 1);
    const domain = asciiDomain(raw) ?? raw.toLowerCase();
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), address]);
  }
  return [...byDomain].map(([domain, to], index) => ({ id: index === 0 ? firstId : randomUUID(), domain, to }));
}
