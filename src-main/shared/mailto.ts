/**
 * `mailto:` links (RFC 6068) turned into what the composer opens: recipients, subject, body.
 * Only To, Cc, Bcc, Subject and Body are taken (and In-Reply-To is ignored): a link must not
 * set From, Reply-To or any other header. Pure, so the renderer and the main process share it.
 */
export type MailtoContent = { to: string; cc: string; bcc: string; subject: string; body: string };

export type MailtoResult = { ok: true; value: MailtoContent } | { ok: false; reason: string };

const MAX_LENGTH = 100_000;

function decode(part: string): string | null {
  try {
    // "+" is a literal plus in mailto (RFC 6068 §5), unlike HTML form encoding.
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** One line for header-like fields: a CR or LF in a link must never start a new header. */
function oneLine(text: string): string {
  return text
    .split('\0')
    .join('')
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

const join = (a: string, b: string) => [a, b].filter((s) => s.trim() !== '').join(', ');

export function parseMailto(url: string): MailtoResult {
  if (url.length > MAX_LENGTH) return { ok: false, reason: 'The mailto link is longer than 100,000 characters.' };
  const match = /^mailto:([^?#]*)(?:\?([^#]*))?/i.exec(url.trim());
  if (!match) return { ok: false, reason: 'This is not a mailto: link.' };
  const to = decode(match[1] ?? '');
  if (to === null) return { ok: false, reason: 'The addresses in the link are not validly encoded.' };
  const content: MailtoContent = { to: oneLine(to), cc: '', bcc: '', subject: '', body: '' };
  for (const pair of (match[2] ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq))?.toLowerCase();
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === null) return { ok: false, reason: 'Part of the link is not validly encoded.' };
    if (name === 'to') content.to = join(content.to, oneLine(value));
    else if (name === 'cc') content.cc = join(content.cc, oneLine(value));
    else if (name === 'bcc') content.bcc = join(content.bcc, oneLine(value));
    else if (name === 'subject') content.subject = oneLine(value).slice(0, 998);
    // Line breaks in a body are %0D%0A (RFC 6068 §5); kept as plain newlines.
    else if (name === 'body') content.body = value.split('\0').join('').replace(/\r\n?/g, '\n');
  }
  return { ok: true, value: content };
}
