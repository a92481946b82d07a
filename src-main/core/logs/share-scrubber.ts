import type { Attempt, ConnectionFacts, OutboxItem } from '../../shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';

export type ShareOptions = { safe: boolean; hideHosts: boolean };
export type ShareContext = {
  item: OutboxItem;
  attempt: Attempt;
  lines: readonly TranscriptLine[];
  username: string;
  host: string;
  ehloName: string;
};

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[^\]\s]+\])/g;
/** Something that names a host: two or more labels, the last alphabetic ("mx1.example.org"). */
const HOST = /\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\b/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
/**
 * An IPv6 address: eight groups, or fewer with "::". Not a time of day ("13:31:02" has neither).
 */
const IPV6 =
  /(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4})(?![\w:])/g;
/** A reply's code at the start of a line ("250-", "220 "), kept apart so a host after it is seen whole. */
const REPLY_CODE_LINE = /^(\d{3}[- ])?(.*)$/gm;
/** Who a certificate names (CN=…, O=…, OU=…): hidden whole with the hosts. */
const CERT_NAME = /\b(CN|O|OU|L|ST)=([^,/\n]+)/g;
const PLACEHOLDER = /example\.invalid$/i;
const SUBJECT = '‹subject›';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `word` only where it stands alone, never inside another word ("me" is not in "meet"). */
const whole = (word: string) => new RegExp(`(?<![\\w.@-])${escape(word)}(?![\\w@-])`, 'g');

/**
 * "Safe to share": a transcript a person can paste into a forum or a ticket. Addresses become
 * stable placeholders (the sender, recipient-1, …, address-N), display names and the subject go,
 * a login name that is not an address goes (only as a whole word); with `hideHosts` every host
 * name (the server's, the greeting's, the certificate's, any other) and IP address goes too.
 * The same input always maps to the same placeholder within one export.
 */
export function makeShareScrubber(context: ShareContext, options: ShareOptions): (text: string) => string {
  if (!options.safe) return (text) => text;
  const addresses = new Map<string, string>();
  const fromAddress = (/<([^>]+)>/.exec(context.item.from)?.[1] ?? context.item.from).toLowerCase();
  addresses.set(fromAddress, 'sender@example.invalid');
  context.item.to.forEach((a, i) => addresses.set(a.toLowerCase(), `recipient-${i + 1}@example.invalid`));
  const hosts = new Map<string, string>();
  const subject = context.item.subject.trim();
  const username = context.username && !context.username.includes('@') ? whole(context.username) : null;
  const names = displayNames(context).map(whole);
  // Names of machines without a dot, which the host pattern cannot see: this computer's EHLO
  // name and the server's, if either is one label, and localhost.
  const singleLabels = [context.ehloName, context.host, 'localhost']
    .filter((name) => name && !name.includes('.') && !/^[\d.:[\]]+$/.test(name))
    .map(whole);
  const hostOf = (match: string) => {
    if (PLACEHOLDER.test(match)) return match;
    const key = match.toLowerCase();
    if (!hosts.has(key)) hosts.set(key, `host-${hosts.size + 1}.example.invalid`);
    return hosts.get(key) as string;
  };
  return (text) => {
    let out = subject.length >= 3 ? text.split(subject).join(SUBJECT) : text;
    for (const name of names) out = out.replace(name, '‹name›');
    out = out.replace(EMAIL, (match) => {
      const key = match.toLowerCase();
      if (!addresses.has(key)) addresses.set(key, `address-${addresses.size - context.item.to.length}@example.invalid`);
      return addresses.get(key) as string;
    });
    if (username) out = out.replace(username, '‹user›');
    if (!options.hideHosts) return out;
    out = out.replace(CERT_NAME, (_match, field: string) => `${field}=‹hidden›`);
    out = out.replace(REPLY_CODE_LINE, (_line, code: string | undefined, rest: string) => {
      return (code ?? '') + rest.replace(HOST, hostOf);
    });
    for (const label of singleLabels) out = out.replace(label, (match) => hostOf(match));
    return out.replace(IPV4, '192.0.2.1').replace(IPV6, '2001:db8::1');
  };
}

/**
 * The people's names: the sender's display name and every name in the "Message headers:" line of
 * the transcript ("From: Ada Keys <ada@…> · To: "Doe, Jane" <jane@…>, bob@… · Cc: …").
 */
function displayNames(context: ShareContext): string[] {
  const found = new Set<string>();
  const collect = (list: string) => {
    for (const match of list.matchAll(/(?:"([^"]+)"|([^,<>"]+?))\s*<[^<>]+>/g)) {
      const name = (match[1] ?? match[2] ?? '').trim();
      if (name.length >= 2) found.add(name);
    }
  };
  collect(context.item.from);
  for (const line of context.lines) {
    if (line.dir !== 'info' || !line.text.startsWith('Message headers: ')) continue;
    for (const field of line.text.slice('Message headers: '.length).split(' · '))
      if (/^(From|To|Cc|Reply-To): /.test(field)) collect(field.slice(field.indexOf(': ') + 2));
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** A connection's facts with what names the server scrubbed the same way (the JSON export). */
export function shareFacts(facts: ConnectionFacts | null, scrub: (text: string) => string, options: ShareOptions) {
  if (!facts || !options.safe) return facts;
  const hide = options.hideHosts;
  return {
    ...facts,
    remoteAddress: hide && facts.remoteAddress ? scrub(facts.remoteAddress) : facts.remoteAddress,
    greeting: facts.greeting && scrub(facts.greeting),
    capabilities: facts.capabilities && { ...facts.capabilities, raw: facts.capabilities.raw.map(scrub) },
    tls: facts.tls && {
      ...facts.tls,
      subject: hide ? '‹hidden›' : scrub(facts.tls.subject),
      issuer: hide ? '‹hidden›' : scrub(facts.tls.issuer),
      fingerprint256: hide ? '‹hidden›' : facts.tls.fingerprint256,
    },
  };
}
