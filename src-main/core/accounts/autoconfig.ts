import type { SrvRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { fail } from '../../shared/errors.ts';
import type { Autoconfig } from '../../shared/schemas/accounts.ts';
import { presetForDomain } from './presets.ts';

export type SrvResolver = { resolveSrv(name: string): Promise<SrvRecord[]> };

/** The system's resolver, or given DNS servers ("127.0.0.1:5353"); bounded in time either way. */
export function createSrvResolver(servers?: readonly string[]): SrvResolver {
  const resolver = new Resolver({ timeout: 2500, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

function bestRecord(records: SrvRecord[]): SrvRecord | undefined {
  // RFC 2782: lowest priority first, then highest weight; a target of "." means "no service".
  return records
    .filter((r) => r.name && r.name !== '.')
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
}

async function lookup(resolver: SrvResolver, name: string): Promise<SrvRecord | undefined> {
  try {
    return bestRecord(await resolver.resolveSrv(name));
  } catch {
    return undefined; // NXDOMAIN, no record, timeout: try the next source
  }
}

/**
 * Server settings from an address: the provider table first, then DNS SRV (RFC 6186 and
 * RFC 8314: implicit TLS `_submissions` preferred over STARTTLS `_submission`), then a guess.
 */
/** Whether this build can sign in with a provider: its name, or null (unknown, or no client ID). */
export type SignInOffer = (presetProvider: string | null, domain: string) => Autoconfig['signIn'];

export async function autoconfigure(
  email: string,
  resolver: SrvResolver,
  signInOffer: SignInOffer = () => null,
): Promise<Autoconfig> {
  const at = email.lastIndexOf('@');
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (at < 1 || !/^[a-z0-9.-]+\.[a-z0-9-]+$/i.test(domain))
    fail('BAD_INPUT', 'email: Enter a full address, like you@example.org, to detect its settings.');

  const preset = presetForDomain(domain);
  if (preset) {
    return {
      source: 'preset',
      sourceDetail: preset.provider,
      host: preset.host,
      port: preset.port,
      security: preset.security,
      auth: preset.auth ?? 'auto',
      username: email,
      notes: [...preset.notes],
      signIn: signInOffer(preset.oauth ?? null, domain),
    };
  }
  const implicit = await lookup(resolver, `_submissions._tcp.${domain}`);
  if (implicit) {
    return {
      source: 'srv',
      sourceDetail: `_submissions._tcp.${domain} → ${implicit.name}:${implicit.port}`,
      host: implicit.name.replace(/\.$/, ''),
      port: implicit.port,
      security: 'tls',
      auth: 'auto',
      username: email,
      notes: ["Found in your domain's DNS (RFC 8314)."],
      signIn: signInOffer(null, domain),
    };
  }
  const starttls = await lookup(resolver, `_submission._tcp.${domain}`);
  if (starttls) {
    return {
      source: 'srv',
      sourceDetail: `_submission._tcp.${domain} → ${starttls.name}:${starttls.port}`,
      host: starttls.name.replace(/\.$/, ''),
      port: starttls.port,
      security: 'starttls',
      auth: 'auto',
      username: email,
      notes: ["Found in your domain's DNS (RFC 6186)."],
      signIn: signInOffer(null, domain),
    };
  }
  return {
    source: 'guess',
    sourceDetail: `smtp.${domain}`,
    host: `smtp.${domain}`,
    port: 587,
    security: 'starttls',
    auth: 'auto',
    username: email,
    notes: [
      'A guess: nothing was published for this domain. Test before saving; if it fails, try port 465 with TLS, or ask your provider.',
    ],
    signIn: signInOffer(null, domain),
  };
}
