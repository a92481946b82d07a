import type { Capabilities, TranscriptLine } from '../../shared/schemas/smtp.ts';

/** Reads an EHLO reply ("250-PIPELINING\n250-SIZE 35882577\n250 AUTH PLAIN LOGIN"). */
export function parseEhlo(reply: string): Capabilities {
  const keywords = reply
    .split(/\r?\n/)
    .slice(1) // the first line is the server's greeting name
    .map((line) => line.replace(/^250[ -]/, '').trim())
    .filter(Boolean);
  const has = (name: string) =>
    keywords.some((k) => k.toUpperCase() === name || k.toUpperCase().startsWith(`${name} `));
  const sizeLine = keywords.find((k) => /^SIZE\b/i.test(k));
  const size = sizeLine ? Number.parseInt(sizeLine.split(/\s+/)[1] ?? '', 10) : Number.NaN;
  const auth = keywords
    .filter((k) => /^AUTH[ =]/i.test(k))
    .flatMap((k) => k.slice(5).trim().split(/\s+/))
    .map((m) => m.toUpperCase())
    .filter((m, i, all) => m && all.indexOf(m) === i);
  return {
    size: Number.isFinite(size) ? size : null,
    eightBitMime: has('8BITMIME'),
    smtpUtf8: has('SMTPUTF8'),
    pipelining: has('PIPELINING'),
    dsn: has('DSN'),
    enhancedStatusCodes: has('ENHANCEDSTATUSCODES'),
    startTls: has('STARTTLS'),
    auth,
    raw: keywords,
  };
}

/** The capabilities from the last EHLO answered in a transcript (after STARTTLS if there was one). */
export function capabilitiesFromTranscript(lines: readonly TranscriptLine[]): Capabilities | null {
  let reply: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line?.dir === 'C' && /^(EHLO|LHLO)\b/i.test(line.text)) {
      const answer = lines.slice(i + 1).find((l) => l.dir === 'S');
      if (answer && /^250/.test(answer.text)) reply = answer.text;
    }
  }
  return reply ? parseEhlo(reply) : null;
}
