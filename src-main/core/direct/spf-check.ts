import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ComposeWarning } from '../../shared/schemas/compose.ts';
import type { MailDomainResolver } from '../compose/mail-domain.ts';

/** This computer's own network addresses (not loopback): the ones a direct delivery leaves from. */
export function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.internal)
    .map((info) => (info as { address: string }).address);
}

/** The domain's SPF policy (RFC 7208): the one TXT record that starts "v=spf1", or null. */
async function spfRecord(domain: string, resolver: MailDomainResolver): Promise<string | null> {
  try {
    const records = (await resolver.resolveTxt(domain)).map((chunks) => chunks.join(''));
    const spf = records.filter((text) => /^v=spf1(\s|$)/i.test(text));
    return spf.length === 1 ? (spf[0] ?? null) : null;
  } catch {
    return null;
  }
}

/** Terms whose outcome cannot be known here without following them: the policy is then not "clear". */
const UNCERTAIN = /^[+?~-]?(include:|exists:|ptr|redirect=)/i;

/**
 * For direct delivery: warns when the sender domain's SPF policy clearly does not let this
 * computer send its mail: a "-all" policy whose ip4, ip6, a and mx terms match none of this
 * computer's addresses, and nothing (include, exists, redirect, ptr) that could still allow it.
 * A policy that may allow it, or none at all, says nothing. Behind NAT the public address is the
 * one that counts, which this computer cannot see: the warning says so.
 */
export async function spfWarning(
  senderDomain: string,
  resolver: MailDomainResolver,
  addresses: readonly string[] = localAddresses(),
): Promise<ComposeWarning | null> {
  const record = await spfRecord(senderDomain, resolver);
  if (!record) return null;
  const terms = record.split(/\s+/).slice(1).filter(Boolean);
  if (!terms.some((t) => t.toLowerCase() === '-all') || terms.some((t) => UNCERTAIN.test(t))) return null;
  const allowed = new BlockList();
  for (const term of terms) {
    const match = /^\+?(ip4|ip6|a|mx)(?::([^/]+))?(?:\/(\d+))?$/i.exec(term);
    if (!match) continue;
    const [, kind = '', value, bits] = match;
    const mechanism = kind.toLowerCase();
    if (mechanism === 'ip4' || mechanism === 'ip6') {
      const family = mechanism === 'ip4' ? 'ipv4' : 'ipv6';
      if (!value) continue;
      if (bits) allowed.addSubnet(value, Number(bits), family);
      else allowed.addAddress(value, family);
      continue;
    }
    // a and mx: the addresses of the domain (or the one named), or of its MX hosts.
    const name = value ?? senderDomain;
    const hosts =
      mechanism === 'mx' ? (await resolver.resolveMx(name).catch(() => [])).map((mx) => mx.exchange) : [name];
    for (const host of hosts) {
      for (const ip of await resolver.resolve4(host).catch(() => [])) allowed.addAddress(ip, 'ipv4');
      for (const ip of await resolver.resolve6(host).catch(() => [])) allowed.addAddress(ip, 'ipv6');
    }
  }
  const mine = addresses.filter((ip) => isIPv4(ip) || isIPv6(ip));
  if (mine.some((ip) => allowed.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6'))) return null;
  return {
    code: 'SPF_REFUSES',
    message: `${senderDomain}'s SPF record ("${record}") does not allow this computer's address${mine.length === 1 ? '' : 'es'} (${mine.join(', ') || 'none found'}) to send its mail, and ends in "-all": receiving servers will most likely refuse it.`,
    hint: "Send through the account's server instead, or add this computer's public address to the SPF record. (Behind a router the public address is the one that counts.) Posthorn does not sign with DKIM.",
  };
}
