import libmime from 'libmime';

const SHOWN = ['from', 'to', 'cc', 'subject', 'date', 'message-id'] as const;
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * What the transcript shows for DATA instead of the message: its main headers, decoded (RFC
 * 2047 words), and nothing of the body. Bcc is never among them (it is not in the message).
 */
export function headerSummary(raw: Buffer): string {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const found = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if ((SHOWN as readonly string[]).includes(name) && !found.has(name))
      found.set(name, libmime.decodeWords(line.slice(colon + 1).trim()));
  }
  const label: Record<(typeof SHOWN)[number], string> = {
    from: 'From',
    to: 'To',
    cc: 'Cc',
    subject: 'Subject',
    date: 'Date',
    'message-id': 'Message-ID',
  };
  return SHOWN.filter((name) => found.has(name))
    .map((name) => `${label[name]}: ${found.get(name)}`)
    .join(' · ');
}
