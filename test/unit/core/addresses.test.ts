import { describe, expect, it } from 'vitest';
import {
  asciiDomain,
  parseAddressList,
  requireAddresses,
  requireRecipients,
} from '../../../src-main/core/compose/addresses.ts';
import { formatRecipient, parseRecipients } from '../../../src-main/shared/address-list.ts';

describe('recipient lists', () => {
  it('parses display names, quoted names and groups', () => {
    const { valid, invalid } = parseAddressList(
      '"Doe, Jane" <jane@example.test>, bob@example.test; Team: carl@example.test, dee@example.test;',
    );
    expect(invalid).toEqual([]);
    expect(valid.map((m) => m.address)).toEqual([
      'jane@example.test',
      'bob@example.test',
      'carl@example.test',
      'dee@example.test',
    ]);
    expect(valid[0]?.name).toBe('Doe, Jane');
  });

  it('names what is not an address, and why', () => {
    expect(parseAddressList('bob@example.test, bobexample.test').invalid).toEqual([
      { address: 'bobexample.test', problem: 'has no @ (write it as name@example.org)' },
    ]);
    expect(
      parseRecipients('a@b@example.test, @example.test, x@localhost, x@exa>mple.test, x@example..test').map(
        (r) => r.problem,
      ),
    ).toEqual([
      'has more than one @',
      'has nothing before the @',
      null, // a one-label domain is a local server's: allowed (issue 17), with a warning before sending
      'contains a space or a character addresses cannot have',
      'has a misplaced dot in "example..test"',
    ]);
    expect(() => requireRecipients('nobody')).toThrow(/"nobody" has no @/);
    expect(() => requireRecipients('  ,  ')).toThrow(/at least one recipient/);
    expect(() => requireAddresses('ok@example.test, bad', 'cc', false)).toThrow(/^cc: "bad" has no @/);
  });

  it('parses comments and names with commas and quotes, and writes them back so they parse the same', () => {
    const parsed = parseRecipients(
      'jane@example.test (Jane at work), "O\'Brien, Pat \\"PJ\\"" <pat@example.test>, Team: a@example.test, b@example.test;',
    );
    expect(parsed.map((r) => [r.name, r.address, r.problem])).toEqual([
      ['Jane at work', 'jane@example.test', null],
      ['O\'Brien, Pat "PJ"', 'pat@example.test', null],
      ['', 'a@example.test', null],
      ['', 'b@example.test', null],
    ]);
    const again = parseRecipients(parsed.map(formatRecipient).join(', '));
    expect(again.map((r) => [r.name, r.address])).toEqual(parsed.map((r) => [r.name, r.address]));
  });

  it('internationalised addresses: domains become punycode for the envelope; a non-ASCII local part needs SMTPUTF8', () => {
    const [idn, utf8] = parseRecipients('anna@bücher.example, 用户@example.test');
    expect(idn).toMatchObject({ problem: null, needsSmtpUtf8: false });
    expect(utf8).toMatchObject({ problem: null, needsSmtpUtf8: true });
    expect(parseAddressList('anna@bücher.example').valid[0]?.address).toBe('anna@xn--bcher-kva.example');
    expect(asciiDomain('用户@example.test')).toBe('用户@example.test');
  });
});
