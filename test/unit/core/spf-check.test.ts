import { describe, expect, it } from 'vitest';
import type { MailDomainResolver } from '../../../src-main/core/compose/mail-domain.ts';
import { spfWarning } from '../../../src-main/core/direct/spf-check.ts';

const none = (code = 'ENODATA') => Promise.reject(Object.assign(new Error(code), { code }));

function dns(txt: Record<string, string[]>, a: Record<string, string[]> = {}): MailDomainResolver {
  return {
    resolveTxt: (name) => (txt[name] ? Promise.resolve(txt[name].map((t) => [t])) : none()),
    resolveMx: (name) => (name === 'mx.test' ? Promise.resolve([{ exchange: 'mail.mx.test', priority: 10 }]) : none()),
    resolve4: (name) => (a[name] ? Promise.resolve(a[name]) : none()),
    resolve6: () => none(),
  };
}

const HERE = ['198.51.100.7', '2001:db8::7'];

describe('SPF for direct delivery (RFC 7208): a warning only when the policy clearly refuses this computer', () => {
  it('"-all" with ip4/ip6 ranges that miss this computer: refused, said with the record and the way out', async () => {
    const warning = await spfWarning(
      'strict.test',
      dns({ 'strict.test': ['v=spf1 ip4:192.0.2.0/24 ip6:2001:db8:1::/48 -all'] }),
      HERE,
    );
    expect(warning?.code).toBe('SPF_REFUSES');
    expect(warning?.message).toContain('v=spf1 ip4:192.0.2.0/24');
    expect(warning?.message).toContain('198.51.100.7, 2001:db8::7');
    expect(warning?.hint).toMatch(/Send through the account's server instead/);
  });

  it('says nothing when this computer is allowed (ip4, ip6, a, mx) or the policy is not clear', async () => {
    const resolver = dns(
      {
        'range.test': ['v=spf1 ip4:198.51.100.0/24 -all'],
        'v6.test': ['v=spf1 ip6:2001:db8::/32 -all'],
        'a.test': ['v=spf1 a -all'],
        'mx.test': ['v=spf1 mx -all'],
        'soft.test': ['v=spf1 ip4:192.0.2.1 ~all'],
        'include.test': ['v=spf1 include:_spf.example.net -all'],
        'other.test': ['some other text'],
      },
      { 'a.test': ['198.51.100.7'], 'mail.mx.test': ['198.51.100.7'] },
    );
    for (const domain of [
      'range.test',
      'v6.test',
      'a.test',
      'mx.test',
      'soft.test',
      'include.test',
      'other.test',
      'none.test',
    ])
      expect(await spfWarning(domain, resolver, HERE), domain).toBeNull();
  });
});
