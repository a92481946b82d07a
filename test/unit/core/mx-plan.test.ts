import { describe, expect, it } from 'vitest';
import type { MailDomainResolver } from '../../../src-main/core/compose/mail-domain.ts';
import { asciiDomain, orderByPreference, planMx } from '../../../src-main/core/direct/mx-plan.ts';

const fail = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));

function resolver(tables: {
  mx?: Record<string, { exchange: string; priority: number }[]>;
  a?: Record<string, string[]>;
  broken?: boolean;
}): MailDomainResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolveMx: (name) => {
      asked.push(`MX ${name}`);
      if (tables.broken) return fail('ETIMEOUT');
      return tables.mx?.[name] ? Promise.resolve(tables.mx[name]) : fail('ENODATA');
    },
    resolve4: (name) => (tables.a?.[name] ? Promise.resolve(tables.a[name]) : fail('ENODATA')),
    resolve6: () => fail('ENODATA'),
    resolveTxt: () => fail('ENODATA'),
  };
}

describe('where a domain’s mail goes (RFC 5321 §5.1, RFC 7505)', () => {
  it('MX hosts by preference, equal preferences in random order', () => {
    const records = [
      { exchange: 'b.example.org', priority: 10 },
      { exchange: 'c.example.org', priority: 20 },
      { exchange: 'a.example.org', priority: 10 },
    ];
    const orders = new Set<string>();
    for (const r of [0, 0.3, 0.6, 0.99])
      orders.add(
        orderByPreference(records, () => r)
          .map((h) => h.name)
          .join(' '),
      );
    for (const order of orders) expect(order.endsWith('c.example.org')).toBe(true);
    expect(orders).toEqual(
      new Set(['a.example.org b.example.org c.example.org', 'b.example.org a.example.org c.example.org']),
    );
  });

  it('reads the MX, a null MX, the implicit MX of a domain with only an address, and no domain at all', async () => {
    const dns = resolver({
      mx: {
        'example.org': [{ exchange: 'mx.example.org', priority: 5 }],
        'nomail.example': [{ exchange: '', priority: 0 }],
        'mixed.example': [
          { exchange: '', priority: 0 },
          { exchange: 'mx.mixed.example', priority: 10 },
        ],
      },
      a: { 'bare.example': ['192.0.2.1'] },
    });
    expect(await planMx('Example.ORG', dns)).toMatchObject({
      kind: 'hosts',
      hosts: [{ name: 'mx.example.org', preference: 5, implicit: false }],
      lines: ['DNS MX example.org: 5 mx.example.org'],
    });
    expect(await planMx('nomail.example', dns)).toMatchObject({ kind: 'null-mx' });
    // A null MX beside real ones (RFC 7505 forbids it) is ignored, and said.
    expect((await planMx('mixed.example', dns)).lines[0]).toMatch(
      /10 mx\.mixed\.example \(and a null MX "0 \.", which RFC 7505 forbids/,
    );
    expect(await planMx('bare.example', dns)).toMatchObject({
      kind: 'hosts',
      hosts: [{ name: 'bare.example', implicit: true }],
    });
    expect(await planMx('nothing.example', dns)).toMatchObject({ kind: 'no-domain' });
    expect(await planMx('example.org', resolver({ broken: true }))).toMatchObject({ kind: 'dns-failed' });
  });

  it('asks DNS for an international domain in its A-label form', async () => {
    expect(asciiDomain('Bücher.Example')).toBe('xn--bcher-kva.example');
    const dns = resolver({ mx: { 'xn--bcher-kva.example': [{ exchange: 'mx.xn--bcher-kva.example', priority: 1 }] } });
    const plan = await planMx('bücher.example', dns);
    expect(dns.asked).toEqual(['MX xn--bcher-kva.example']);
    expect(plan.lines[0]).toBe('DNS MX bücher.example (xn--bcher-kva.example): 1 mx.xn--bcher-kva.example');
    expect(asciiDomain('no spaces allowed')).toBeNull();
  });
});

describe('many MX hosts', () => {
  it('each attempt tries the next ones, round, so a working server behind many dead ones is reached', async () => {
    const { hostsForAttempt } = await import('../../../src-main/core/direct/direct-delivery.ts');
    const hosts = Array.from({ length: 11 }, (_, i) => `mx${i}`);
    expect(hostsForAttempt(hosts, 0)).toEqual(['mx0', 'mx1', 'mx2', 'mx3', 'mx4', 'mx5']);
    expect(hostsForAttempt(hosts, 1)).toEqual(['mx6', 'mx7', 'mx8', 'mx9', 'mx10', 'mx0']);
    expect(hostsForAttempt(hosts, 2)).toEqual(['mx1', 'mx2', 'mx3', 'mx4', 'mx5', 'mx6']);
    expect(hostsForAttempt(['a', 'b'], 5)).toEqual(['a', 'b']);
  });
});
