import { describe, expect, it } from 'vitest';
import { parseAddressList, requireRecipients } from '../../../src-main/core/compose/addresses.ts';

describe('recipient lists', () => {
  it('parses display names, quoted names and groups', () => {
    const { valid, invalid } = parseAddressList('"Doe, Jane" <jane@example.test>, bob@example.test; Team: carl@example.test, dee@example.test;');
    expect(invalid).toEqual([]);
    expect(valid.map((m) => m.address)).toEqual(['jane@example.test', 'bob@example.test', 'carl@example.test', 'dee@example.test']);
    expect(valid[0]?.name).toBe('Doe, Jane');
  });

  it('names what is not an address', () => {
    expect(parseAddressList('bob@example.test, bobexample.test').invalid).toEqual(['bobexample.test']);
    expect(() => requireRecipients('nobody')).toThrow(/"nobody" is not an email address/);
    expect(() => requireRecipients('  ,  ')).toThrow(/at least one recipient/);
  });
});
