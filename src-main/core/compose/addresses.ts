import { domainToASCII } from 'node:url';
import { hasNonAscii, parseRecipients } from '../../shared/address-list.ts';
import { fail } from '../../shared/errors.ts';

export type Mailbox = { name: string; address: string };

/**
 * An internationalised domain in its ASCII (punycode) form, so only a non-ASCII part before
 * the @ needs a server that offers SMTPUTF8.
 */
export function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (!hasNonAscii(domain)) return address;
  const ascii = domainToASCII(domain);
  return ascii ? `${address.slice(0, at)}@${ascii}` : address;
}

/** Parses "Ann <ann@example.org>, bob@example.org" per RFC 5322 (groups flattened). */
export function parseAddressList(text: string): { valid: Mailbox[]; invalid: { address: string; problem: string }[] } {
  const valid: Mailbox[] = [];
  const invalid: { address: string; problem: string }[] = [];
  for (const r of parseRecipients(text)) {
    if (r.problem) invalid.push({ address: r.address, problem: r.problem });
    else valid.push({ name: r.name, address: asciiDomain(r.address) });
  }
  return { valid, invalid };
}

/** A list that must hold only good addresses: `field` names it in the error ("to", "cc", "bcc"). */
export function requireAddresses(text: string, field: 'to' | 'cc' | 'bcc', atLeastOne: boolean): Mailbox[] {
  const { valid, invalid } = parseAddressList(text);
  if (invalid.length > 0) {
    const shown = invalid
      .slice(0, 3)
      .map((i) => `"${i.address}" ${i.problem}`)
      .join('; ');
    fail('BAD_INPUT', `${field}: ${shown}.`, 'Write each recipient as name@example.org, separated by commas.');
  }
  if (atLeastOne && valid.length === 0)
    fail(
      'BAD_INPUT',
      `${field}: Add at least one recipient.`,
      'Write each recipient as name@example.org, separated by commas.',
    );
  return valid;
}

export function requireRecipients(text: string): Mailbox[] {
  return requireAddresses(text, 'to', true);
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
