import type { SmtpPhase, TranscriptLine } from './schemas/smtp.ts';

export type TimelinePhase = 'dns' | 'connect' | SmtpPhase;
export type PhaseSpan = { phase: TimelinePhase; start: number; end: number };

/** An IPv4 or IPv6 address as a host name (possibly in brackets). */
const IP_LITERAL = /^\[?(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)\]?$/;

const COMMAND_PHASE: Record<string, SmtpPhase> = {
  EHLO: 'ehlo',
  HELO: 'ehlo',
  LHLO: 'ehlo',
  STARTTLS: 'starttls',
  AUTH: 'auth',
  MAIL: 'mail',
  RCPT: 'rcpt',
  DATA: 'data',
  QUIT: 'quit',
  RSET: 'mail',
};

/**
 * The phases of an attempt and how long each took, from its transcript: every command is
 * paired with its reply in order (which also holds for pipelined MAIL/RCPT/DATA), the upload
 * runs from DATA's 354 to the size line, the final reply follows. Lines before 0 (the set-up
 * of a reused connection) are left out and reported as `reused`.
 */
export function phasesOf(lines: readonly TranscriptLine[]): { spans: PhaseSpan[]; reused: boolean } {
  const spans: PhaseSpan[] = [];
  const pending: { phase: TimelinePhase; t: number }[] = [];
  const reused = lines.some((line) => line.t < 0);
  let dnsEnd = 0;
  let lastDataReply: number | null = null;

  for (const line of lines) {
    if (line.t < 0) continue;
    if (line.dir === 'info' && /^Resolved /.test(line.text)) {
      // An IP address needs no lookup: nodemailer says "Resolved 127.0.0.1 as 127.0.0.1" all the same.
      if (!IP_LITERAL.test(/^Resolved (\S+)/.exec(line.text)?.[1] ?? '')) {
        spans.push({ phase: 'dns', start: 0, end: line.t });
        dnsEnd = line.t;
      }
    } else if (line.dir === 'info' && /^Connection established/.test(line.text)) {
      spans.push({ phase: 'connect', start: dnsEnd, end: line.t });
      pending.push({ phase: 'greeting', t: line.t });
    } else if (line.dir === 'tls') {
      const starttls = spans.findLast((s) => s.phase === 'starttls');
      if (starttls) starttls.end = Math.max(starttls.end, line.t);
    } else if (line.dir === 'info' && /bytes encoded mime message/.test(line.text)) {
      spans.push({ phase: 'data', start: lastDataReply ?? line.t, end: line.t });
      pending.push({ phase: 'final-reply', t: line.t });
    } else if (line.dir === 'C') {
      const verb = /^([A-Za-z]+)/.exec(line.text)?.[1]?.toUpperCase() ?? '';
      const phase = COMMAND_PHASE[verb];
      if (phase) pending.push({ phase, t: line.t }); // credential lines inside AUTH have no verb of their own
    } else if (line.dir === 'S') {
      const head = pending[0];
      if (!head) continue;
      // 334 asks for the next part of a login: AUTH goes on.
      if (head.phase === 'auth' && /^334[ -]/.test(line.text)) continue;
      pending.shift();
      spans.push({ phase: head.phase, start: head.t, end: line.t });
      if (head.phase === 'data') lastDataReply = line.t;
    }
  }
  // A command left without a reply (a drop, a timeout) ends at the last line.
  const last = lines.at(-1)?.t ?? 0;
  for (const open of pending) spans.push({ phase: open.phase, start: open.t, end: Math.max(open.t, last) });
  return { spans: merge(spans), reused };
}

/** One bar per phase: EHLO before and after STARTTLS, or several RCPTs, become one span. */
function merge(spans: PhaseSpan[]): PhaseSpan[] {
  const out: PhaseSpan[] = [];
  for (const span of spans.sort((a, b) => a.start - b.start)) {
    const same = out.find((s) => s.phase === span.phase);
    if (same) {
      same.start = Math.min(same.start, span.start);
      same.end = Math.max(same.end, span.end);
    } else {
      out.push({ ...span });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
