import { domainToASCII } from 'node:url';
import type { MailDomainResolver } from '../compose/mail-domain.ts';

/** One server to try for a domain: an MX host, or the domain itself when it has no MX (RFC 5321 §5.1). */
export type MxHost = { name: string; preference: number; implicit: boolean };

/** Where a domain's mail goes, with the DNS answers in words for the transcript. */
export type MxPlan =
  | { kind: 'hosts'; domain: string; hosts: MxHost[]; lines: string[] }
  /** RFC 7505: the domain says it takes no mail at all. */
  | { kind: 'null-mx'; domain: string; lines: string[] }
  /** No such domain, or neither MX nor address records. */
  | { kind: 'no-domain'; domain: string; lines: string[] }
  /** DNS did not answer (a timeout, SERVFAIL): worth trying again later. */
  | { kind: 'dns-failed'; domain: string; lines: string[]; reason: string };

const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);
const codeOf = (error: unknown) => (error as { code?: string }).code ?? 'EUNKNOWN';

/** Sorted by preference, lowest first; hosts of equal preference in random order (RFC 5321 §5.1). */
export function orderByPreference(
  records: readonly { exchange: string; priority: number }[],
  random: () => number = Math.random,
): MxHost[] {
  const shuffled = [...records];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof shuffled)[number], shuffled[i] as (typeof shuffled)[number]];
  }
  // A stable sort keeps the shuffled order among equal preferences.
  return shuffled
    .sort((a, b) => a.priority - b.priority)
    .map((r) => ({ name: r.exchange.replace(/\.$/, '').toLowerCase(), preference: r.priority, implicit: false }));
}

/** The domain in its A-label (punycode) form, as DNS and SMTP want it; null when it is not a domain. */
export function asciiDomain(domain: string): string | null {
  const ascii = domainToASCII(domain.trim().toLowerCase().replace(/\.$/, ''));
  return ascii && ascii.includes('.') ? ascii : null;
}

/**
 * Looks up where mail for `domain` goes: its MX records by preference (equal ones shuffled),
 * a null MX (RFC 7505) as "takes no mail", and, when there is no MX at all, the domain's own
 * address records (the implicit MX of RFC 5321 §5.1).
 */
export async function planMx(
  domain: string,
  resolver: MailDomainResolver,
  random: () => number = Math.random,
): Promise<MxPlan> {
  const ascii = asciiDomain(domain);
  if (!ascii) return { kind: 'no-domain', domain, lines: [`"${domain}" is not a domain name.`] };
  const named = ascii === domain.toLowerCase() ? ascii : `${domain} (${ascii})`;
  let records: { exchange: string; priority: number }[] = [];
  try {
    records = await resolver.resolveMx(ascii);
  } catch (error) {
    const code = codeOf(error);
    if (!ABSENT.has(code))
      return {
        kind: 'dns-failed',
        domain: ascii,
        lines: [`DNS MX ${named}: no answer (${code})`],
        reason: `DNS did not answer for ${named} (${code}).`,
      };
  }
  const real = records.filter((r) => r.exchange !== '' && r.exchange !== '.');
  if (records.length > 0 && real.length === 0)
    return { kind: 'null-mx', domain: ascii, lines: [`DNS MX ${named}: 0 . (a null MX: this domain takes no mail)`] };
  if (real.length > 0) {
    const hosts = orderByPreference(real, random);
    // RFC 7505 forbids a null MX beside real ones; it is ignored, but the transcript shows it.
    const odd =
      real.length < records.length ? ' (and a null MX "0 .", which RFC 7505 forbids beside real ones: ignored)' : '';
    return {
      kind: 'hosts',
      domain: ascii,
      hosts,
      lines: [`DNS MX ${named}: ${hosts.map((h) => `${h.preference} ${h.name}`).join(', ')}${odd}`],
    };
  }
  // No MX: the domain itself, if it has an address (RFC 5321 §5.1).
  const found = await Promise.all([resolver.resolve4(ascii), resolver.resolve6(ascii)].map((p) => p.catch(() => [])));
  if (found.some((list) => list.length > 0))
    return {
      kind: 'hosts',
      domain: ascii,
      hosts: [{ name: ascii, preference: 0, implicit: true }],
      lines: [`DNS MX ${named}: none; the domain's own address is used (RFC 5321 §5.1)`],
    };
  return { kind: 'no-domain', domain: ascii, lines: [`DNS MX ${named}: none, and no address records`] };
}

/** A host's IPv4 and IPv6 addresses, from the same resolver (tests point it at 127.0.0.1). */
export async function addressesOf(host: string, resolver: MailDomainResolver): Promise<string[]> {
  const [v4, v6] = await Promise.all([resolver.resolve4(host), resolver.resolve6(host)].map((p) => p.catch(() => [])));
  return [...(v4 ?? []), ...(v6 ?? [])];
}
