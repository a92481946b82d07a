import addressparser from 'nodemailer/lib/addressparser';

/**
 * Recipient lists as people paste them ("Ann <ann@x.org>; "Doe, Bob" <bob@y.org>, team: c@z.org;"),
 * parsed per RFC 5322 by nodemailer's parser (display names, quoted names, groups, comments).
 * Zod-free and dependency-light: the renderer uses it for the chips, the core to decide.
 */
export type ParsedRecipient = {
  name: string;
  address: string;
  /** Why this is not an address that can be sent to, in words; null when it is fine. */
  problem: string | null;
  /** The part before the @ is not plain ASCII: only servers offering SMTPUTF8 can take it. */
  needsSmtpUtf8: boolean;
};

const NON_ASCII = /[^\p{ASCII}]/u;

/** Any character beyond ASCII (what SMTPUTF8 is for, or punycode for a domain). */
export function hasNonAscii(text: string): boolean {
  return NON_ASCII.test(text);
}
const FORBIDDEN = /[\s<>()[\]\\,;:"]/u;
/** An address literal (RFC 5321 4.1.3): [192.0.2.1] or [IPv6:2001:db8::1]. */
const ADDRESS_LITERAL = /^\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]+)\]$/;

/**
 * A domain only a server nearby can deliver to: one label (`localhost`, `intranet`) or an
 * address literal. Allowed (local and company servers use them); the composer warns.
 */
export function isLocalDomain(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return ADDRESS_LITERAL.test(domain) || (domain !== '' && !domain.includes('.'));
}

/** The reason an address cannot be sent to, or null. Deliberately loose: the server is the judge. */
export function addressProblem(address: string): string | null {
  if (address === '') return 'is empty';
  const at = address.lastIndexOf('@');
  if (at < 0) return 'has no @ (write it as name@example.org)';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return 'has nothing before the @';
  if (domain === '') return 'has nothing after the @';
  if (local.includes('@')) return 'has more than one @';
  if (FORBIDDEN.test(local) || (FORBIDDEN.test(domain) && !ADDRESS_LITERAL.test(domain)))
    return 'contains a space or a character addresses cannot have';
  if (domain.startsWith('.') || domain.endsWith('.') || domain.includes('..'))
    return `has a misplaced dot in "${domain}"`;
  if (local.length > 64) return 'has more than 64 characters before the @';
  if (address.length > 254) return 'is longer than 254 characters';
  return null;
}

export function parseRecipients(text: string): ParsedRecipient[] {
  return addressparser(text, { flatten: true })
    .map((entry) => {
      const address = entry.address.trim();
      const name = entry.name.trim();
      // A lone word without @ is parsed as a name: it is what the person typed as an address.
      const typed = address || name;
      const problem = addressProblem(address || name);
      return {
        name: address ? name : '',
        address: typed,
        problem,
        needsSmtpUtf8: NON_ASCII.test(typed.slice(0, typed.lastIndexOf('@'))),
      };
    })
    .filter((r) => r.address !== '');
}

/** A recipient as it is written back into a list: "Name <address>", quoted when needed. */
export function formatRecipient(r: { name: string; address: string }): string {
  if (!r.name) return r.address;
  const name = /[^\w\s.'-]/u.test(r.name) ? `"${r.name.replace(/["\\]/g, '\\$&')}"` : r.name;
  return `${name} <${r.address}>`;
}
