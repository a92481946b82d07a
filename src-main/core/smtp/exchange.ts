import type { TranscriptLine } from '../../shared/schemas/smtp.ts';
import { DOT_DISCARDED, QUIT_UNANSWERED } from './transcript-recorder.ts';

/** One reply as the server wrote it: its code and its whole text (several lines joined by "\n"). */
export type Reply = { code: number; text: string };

/**
 * What the conversation of one attempt shows, read from its transcript rather than from what
 * nodemailer made of it: every command paired with the reply that came next, in order (which
 * holds for pipelined MAIL, RCPT and DATA too), and the first line that was not a reply at all.
 * A reply that cannot be read puts every later pairing in doubt: pairing stops there, and it is
 * reported.
 */
export type Exchange = {
  /** The first line from the server that is not an SMTP reply (`250x BROKEN`, `OK then`), or null. */
  malformed: string | null;
  mail: Reply | null;
  /** Each RCPT sent, with its reply once one came (null while none has). */
  rcpts: { address: string; reply: Reply | null }[];
  data: Reply | null;
  /** The reply to the final "." (null if none came). */
  final: Reply | null;
  /** Whether the final "." was handed to the connection. */
  finalDotSent: boolean;
  /**
   * The first reply that answered nothing: it came when no command was waiting, so the server
   * and Posthorn disagree about which reply answers what (a reply during the body, two replies
   * to the final "."). QUIT answered by anything but 221 counts too. Null when none.
   */
  outOfTurn: string | null;
};

/** A reply line: three digits 2xx–5xx, then a space, a dash, or nothing. */
const REPLY_LINE = /^([2-5]\d\d)([ -].*)?$/;

/**
 * The first line of a (possibly multi-line) reply that breaks the reply format, or null if it
 * can be read: all but the last line continue with "-", the last ends with " " or nothing.
 */
export function malformedLineOf(text: string): string | null {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = REPLY_LINE.exec(line);
    const last = index === lines.length - 1;
    if (!match || (last ? match[2]?.startsWith('-') : !match[2]?.startsWith('-'))) return line;
  }
  return null;
}

/**
 * The first line whose code differs from the first line's ("451-… / 250 …"), or null. It
 * cannot shift later replies, so a greeting or EHLO like it is read as nodemailer reads it;
 * but as an answer about the message (MAIL, RCPT, DATA, the ".") it says two things at once
 * (nodemailer reads its first line, a person might read its last) and decides nothing.
 */
export function mixedCodeLineOf(text: string): string | null {
  const lines = text.split('\n');
  const code = lines[0]?.slice(0, 3);
  return lines.find((line) => line.slice(0, 3) !== code) ?? null;
}

/** What a reply answers that must say one thing: the transaction's commands. */
const ABOUT_THE_MESSAGE = new Set(['mail', 'rcpt', 'data', 'dot']);

function replyOf(text: string): Reply {
  return { code: Number.parseInt(text, 10), text };
}

type Pending = 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'dot' | 'quit' | 'other';

const VERBS: Record<string, Pending> = {
  EHLO: 'ehlo',
  HELO: 'ehlo',
  LHLO: 'ehlo',
  STARTTLS: 'starttls',
  AUTH: 'auth',
  MAIL: 'mail',
  RCPT: 'rcpt',
  DATA: 'data',
  QUIT: 'quit',
};

/** Reads an attempt's transcript (its own lines and a reused connection's set-up) into an Exchange. */
export function observeExchange(lines: readonly TranscriptLine[]): Exchange {
  const seen: Exchange = {
    malformed: null,
    mail: null,
    rcpts: [],
    data: null,
    final: null,
    finalDotSent: false,
    outOfTurn: null,
  };
  const pending: { kind: Pending; rcpt?: number }[] = [];
  let greeted = false;
  // The "." was thrown away unsent: a late note that it went does not count.
  let discarded = false;
  for (const line of lines) {
    if (line.dir === 'info' && line.text === DOT_DISCARDED) {
      discarded = true;
      seen.finalDotSent = false;
      const dot = pending.findIndex((p) => p.kind === 'dot');
      if (dot >= 0) pending.splice(dot, 1);
    } else if (line.dir === 'error' && line.text.startsWith(QUIT_UNANSWERED)) {
      seen.outOfTurn ??= 'no answer to QUIT';
    } else if (line.dir === 'info' && /final "\." sent$/.test(line.text) && !discarded) {
      seen.finalDotSent = true;
      pending.push({ kind: 'dot' });
    } else if (line.dir === 'C') {
      const verb = /^([A-Za-z]+)/.exec(line.text)?.[1]?.toUpperCase() ?? '';
      const kind = VERBS[verb] ?? (verb ? 'other' : null);
      // Credential lines inside AUTH have no verb of their own; their replies belong to AUTH.
      if (!kind) continue;
      if (kind === 'rcpt') {
        seen.rcpts.push({ address: /<([^>]*)>/.exec(line.text)?.[1] ?? '', reply: null });
        pending.push({ kind, rcpt: seen.rcpts.length - 1 });
      } else pending.push({ kind });
    } else if (line.dir === 'S') {
      // From the first line that is not a reply on, no pairing can be trusted: stop pairing.
      if (seen.malformed) continue;
      seen.malformed = malformedLineOf(line.text);
      if (seen.malformed) continue;
      const reply = replyOf(line.text);
      if (!greeted && pending.length === 0) {
        greeted = true;
        continue;
      }
      const head = pending[0];
      if (!head) {
        // RFC 5321 4.2: a server may say 421 (closing) at any time; that is not out of turn.
        if (reply.code !== 421) seen.outOfTurn ??= line.text;
        continue;
      }
      // 334 asks for the next part of a login: AUTH goes on.
      if (head.kind === 'auth' && reply.code === 334) continue;
      pending.shift();
      if (ABOUT_THE_MESSAGE.has(head.kind) && mixedCodeLineOf(line.text) !== null) {
        seen.malformed = mixedCodeLineOf(line.text);
        continue;
      }
      if (head.kind === 'mail') seen.mail = reply;
      else if (head.kind === 'rcpt' && head.rcpt !== undefined) seen.rcpts[head.rcpt]!.reply = reply;
      else if (head.kind === 'data') seen.data = reply;
      else if (head.kind === 'dot') seen.final = reply;
      else if (head.kind === 'quit' && reply.code !== 221 && reply.code !== 421) seen.outOfTurn ??= line.text;
    }
  }
  return seen;
}

const isClass = (reply: Reply | null, first: number) => reply !== null && Math.floor(reply.code / 100) === first;

/** Recipients the server took (a 2xx to RCPT). */
export function acceptedIn(exchange: Exchange): string[] {
  return exchange.rcpts.filter((r) => isClass(r.reply, 2)).map((r) => r.address);
}

/**
 * Why the message body must not go, or null: it goes only after a 2xx to MAIL, at least one 2xx
 * to RCPT and a 354 to DATA. (nodemailer also takes a 250 to DATA, which is how a server whose
 * replies had shifted by one got a message sent, and then sent again, in issue 17.)
 */
export function bodyMayNotGo(exchange: Exchange): string | null {
  if (exchange.malformed) return `the server's reply could not be read ("${exchange.malformed}")`;
  if (exchange.outOfTurn) return `the server sent a reply nobody asked for ("${exchange.outOfTurn}")`;
  if (!isClass(exchange.mail, 2)) return `MAIL FROM was answered "${exchange.mail?.text ?? 'nothing'}"`;
  if (acceptedIn(exchange).length === 0) return 'no recipient was accepted';
  if (exchange.data?.code !== 354) return `DATA was answered "${exchange.data?.text ?? 'nothing'}" instead of 354`;
  return null;
}
