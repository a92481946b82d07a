import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { MailDomainResolver } from '../compose/mail-domain.ts';
import { addressesOf } from './mx-plan.ts';

/** A domain's MTA-STS policy (RFC 8461 §3.2). */
export type StsPolicy = { id: string; mode: 'enforce' | 'testing' | 'none'; mx: string[]; maxAgeS: number };

export type StsDeps = {
  resolver: MailDomainResolver;
  /** 443; tests serve policies on a port of their own. */
  port: number;
  trustedCertificates: readonly string[];
  now: () => number;
  /** Policies by domain, kept for their max_age. */
  cache: Map<string, { policy: StsPolicy; expiresAt: number }>;
  /** The whole fetch, answer included, ends within this (10 s). */
  timeoutMs?: number;
};

/** The policy and what was found, in words for the transcript. */
export type StsLookup = { policy: StsPolicy | null; lines: string[] };

const MAX_POLICY_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** "v=STSv1; id=20240101T000000;" → the id, or null when the domain publishes none (RFC 8461 §3.1). */
async function policyId(domain: string, resolver: MailDomainResolver): Promise<string | null> {
  try {
    const records = (await resolver.resolveTxt(`_mta-sts.${domain}`)).map((chunks) => chunks.join(''));
    const sts = records.filter((text) => /^v=STSv1\s*(;|$)/.test(text));
    if (sts.length !== 1) return null;
    return /(?:^|;)\s*id=([A-Za-z0-9]{1,32})\s*(;|$)/.exec(sts[0] ?? '')?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The policy file's fields (RFC 8461 §3.2); null when it is not a valid STSv1 policy. */
export function parsePolicy(text: string, id: string): StsPolicy | null {
  const fields = text
    .split(/\r?\n/)
    .map((line) => /^([A-Za-z_]+):\s*(.*?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]?.toLowerCase() ?? '', m[2] ?? ''] as const);
  const one = (key: string) => fields.find(([k]) => k === key)?.[1];
  const mode = one('mode');
  const maxAge = Number(one('max_age'));
  if (one('version') !== 'STSv1' || (mode !== 'enforce' && mode !== 'testing' && mode !== 'none')) return null;
  if (!Number.isInteger(maxAge) || maxAge < 0) return null;
  const mx = fields.filter(([k]) => k === 'mx').map(([, v]) => v.toLowerCase());
  return { id, mode, mx, maxAgeS: Math.min(maxAge, 31_557_600) };
}

/** An MX host allowed by the policy: named exactly, or matched by "*.example.net" in its left-most label only. */
export function mxAllowed(policy: StsPolicy, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return policy.mx.some((pattern) => {
    if (!pattern.startsWith('*.')) return pattern === name;
    const suffix = pattern.slice(1); // ".example.net"
    const label = name.slice(0, name.length - suffix.length);
    return name.endsWith(suffix) && label.length > 0 && !label.includes('.');
  });
}

/**
 * The policy file over HTTPS with a verified certificate for mta-sts.<domain>, no redirects
 * followed (RFC 8461 §3.3), at most 64 KB, within 10 seconds. Its host is looked up with the same
 * resolver as the MX (so tests need no system DNS).
 */
async function fetchPolicy(domain: string, deps: StsDeps): Promise<string> {
  const host = `mta-sts.${domain}`;
  const [address] = await addressesOf(host, deps.resolver);
  if (!address) throw new Error(`${host} has no address in DNS`);
  return new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: address,
        servername: host,
        port: deps.port,
        path: '/.well-known/mta-sts.txt',
        headers: { Host: host },
        ca: [...rootCertificates, ...deps.trustedCertificates],
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`the policy server answered HTTP ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          chunks.push(chunk);
          if (bytes > MAX_POLICY_BYTES) req.destroy(new Error('the policy is larger than 64 KB'));
        });
        res.on('end', () => {
          clearTimeout(deadline);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
      },
    );
    // A deadline for the whole fetch: a server dripping a byte at a time does not get to keep it going.
    const deadline = setTimeout(
      () => req.destroy(new Error('the policy server did not answer in time')),
      deps.timeoutMs ?? FETCH_TIMEOUT_MS,
    );
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end();
  });
}

function describe(domain: string, policy: StsPolicy, how: string): string {
  return `MTA-STS ${domain} (id ${policy.id}, ${how}): mode ${policy.mode}; mx ${policy.mx.join(', ') || 'none'}; max_age ${policy.maxAgeS} s`;
}

/**
 * The domain's MTA-STS policy (RFC 8461): from the cache while its max_age lasts and its id is
 * the one in DNS, else fetched anew. A domain that publishes no policy, or whose policy cannot be
 * fetched and none is cached, has none (§5: deliver as without MTA-STS), which the transcript says.
 */
export async function mtaStsPolicy(domain: string, deps: StsDeps): Promise<StsLookup> {
  const id = await policyId(domain, deps.resolver);
  const cached = deps.cache.get(domain);
  const fresh = cached && cached.expiresAt > deps.now() ? cached.policy : null;
  if (!id) return fresh ? { policy: fresh, lines: [describe(domain, fresh, 'cached')] } : { policy: null, lines: [] };
  if (fresh && fresh.id === id) return { policy: fresh, lines: [describe(domain, fresh, 'cached')] };
  try {
    const policy = parsePolicy(await fetchPolicy(domain, deps), id);
    if (!policy) throw new Error('the policy file is not a valid STSv1 policy');
    deps.cache.set(domain, { policy, expiresAt: deps.now() + policy.maxAgeS * 1000 });
    return { policy, lines: [describe(domain, policy, 'fetched')] };
  } catch (error) {
    const why = (error as Error).message;
    if (fresh)
      return {
        policy: fresh,
        lines: [`MTA-STS ${domain}: could not fetch the new policy (${why})`, describe(domain, fresh, 'cached')],
      };
    return {
      policy: null,
      lines: [`MTA-STS ${domain}: published, but the policy could not be fetched (${why}); delivered as without it`],
    };
  }
}
