import { Resolver } from 'node:dns/promises';

export type MailDomainResolver = {
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
};

/** The system's resolver, or given DNS servers (tests point it at 127.0.0.1); bounded in time. */
export function createMailDomainResolver(servers?: readonly string[]): MailDomainResolver {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/**
 * Whether mail can be delivered to a domain at all: an MX record (other than the "null MX" of
 * RFC 7505), or failing that an address record (RFC 5321 §5.1). "unknown" when DNS could not
 * answer (offline, a timeout): that is no reason to warn about the address.
 */
export async function mailDomainStatus(
  resolver: MailDomainResolver,
  domain: string,
): Promise<'ok' | 'none' | 'unknown'> {
  const outcome = async (lookup: () => Promise<unknown[]>): Promise<'found' | 'absent' | 'unknown'> => {
    try {
      return (await lookup()).length > 0 ? 'found' : 'absent';
    } catch (error) {
      const code = (error as { code?: string }).code;
      return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN' ? 'absent' : 'unknown';
    }
  };
  let mx: { exchange: string }[] = [];
  const mxOutcome = await outcome(async () => (mx = await resolver.resolveMx(domain)));
  if (mxOutcome === 'found') return mx.every((r) => r.exchange === '' || r.exchange === '.') ? 'none' : 'ok';
  if (mxOutcome === 'unknown') return 'unknown';
  const [a, aaaa] = await Promise.all([
    outcome(() => resolver.resolve4(domain)),
    outcome(() => resolver.resolve6(domain)),
  ]);
  if (a === 'found' || aaaa === 'found') return 'ok';
  return a === 'unknown' || aaaa === 'unknown' ? 'unknown' : 'none';
}

const COMMON_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'proton.me',
  'protonmail.com',
  'fastmail.com',
  'mailbox.org',
  'posteo.de',
  'yandex.ru',
  'zoho.com',
];

/** For a domain with no mail server, a well-known one it is probably a typo of ("gmial.com" → "gmail.com"). */
export function likelyMeant(domain: string): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of COMMON_DOMAINS) {
    const distance = editDistance(domain.toLowerCase(), name);
    if (distance > 0 && distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** Damerau–Levenshtein (optimal string alignment): a swapped pair of letters counts as one slip. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
