import addressparser from 'nodemailer/lib/addressparser';
import { fail } from '../../shared/errors.ts';

export type Mailbox = { name: string; address: string };

// Deliberately loose: the server is the judge of deliverability; this only catches typing
// slips (missing @, spaces) before anything is queued.
const MAILBOX = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/u;

/** Parses "Ann <ann@example.org>, bob@example.org" per RFC 5322 (groups flattened). */
export function parseAddressList(text: string): { valid: Mailbox[]; invalid: string[] } {
  const parsed = addressparser(text, { flatten: true });
  const valid: Mailbox[] = [];
  const invalid: string[] = [];
  for (const entry of parsed) {
    const address = entry.address.trim();
    if (MAILBOX.test(address)) valid.push({ name: entry.name, address });
    else invalid.push(address || entry.name);
  }
  return { valid, invalid };
}

export function requireRecipients(text: string): Mailbox[] {
  const { valid, invalid } = parseAddressList(text);
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 3).map((value) => `"${value}"`).join(', ');
    fail('BAD_INPUT', `to: ${shown} ${invalid.length === 1 ? 'is not an email address' : 'are not email addresses'}.`, 'Write each recipient as name@example.org, separated by commas.');
  }
  if (valid.length === 0) fail('BAD_INPUT', 'to: Add at least one recipient.', 'Write each recipient as name@example.org, separated by commas.');
  return valid;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
