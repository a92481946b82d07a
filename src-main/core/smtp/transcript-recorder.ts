import { format } from 'node:util';
import type { SmtpPhase, TranscriptLine } from '../../shared/schemas/smtp.ts';
import { capText } from '../../shared/text-rules.ts';
import { AuthRedactor } from './redact.ts';
import { SecretScrubber } from './secret-scrubber.ts';

type LogMeta = { tnx?: string; outByteCount?: number; [key: string]: unknown } | undefined;
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export type RecorderHooks = {
  /** Called once, when nodemailer has handed the final `.` of DATA to the socket. */
  onFinalDot?: () => void;
  /** Describes the TLS session when the connection becomes encrypted. */
  describeTls?: () => string | null;
  /** Each reply from the server, once recorded (the session watches the conversation with it). */
  onServerReply?: (text: string) => void;
};

/** Which phase a client command starts. */
function phaseOfCommand(line: string): SmtpPhase | null {
  const verb = /^([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(line);
  if (!verb) return null;
  const word = verb[1]?.toUpperCase();
  switch (word) {
    case 'EHLO':
    case 'HELO':
    case 'LHLO':
      return 'ehlo';
    case 'STARTTLS':
      return 'starttls';
    case 'AUTH':
      return 'auth';
    case 'MAIL':
      return 'mail';
    case 'RCPT':
      return 'rcpt';
    case 'DATA':
      return 'data';
    case 'QUIT':
      return 'quit';
    default:
      return null;
  }
}

/**
 * nodemailer's `logger` with `transactionLog: true`, turned into a stored transcript. Lines
 * are redacted as they arrive, so nothing secret is ever held, stored or sent on; the
 * message body is never logged (no `debug`) and any `message` entry other than the size
 * summary is dropped as a safeguard.
 */
/** The transcript's note that a marked "." was thrown away unsent (exchange.ts reads it). */
export const DOT_DISCARDED = 'The final "." was still queued when the connection was closed: final "." not sent';

/** The transcript's note that QUIT went unanswered after a refusal (exchange.ts reads it). */
export const QUIT_UNANSWERED = 'No answer to QUIT: the server may still be busy with the message';

export class TranscriptRecorder {
  readonly lines: TranscriptLine[] = [];
  phase: SmtpPhase = 'connect';
  finalDotSent = false;

  /** When the attempt started, on the recorder's (monotonic) clock. */
  readonly started: number;
  private readonly clock: () => number;
  private readonly redactor = new AuthRedactor();
  private readonly scrubber: SecretScrubber;
  private readonly hooks: RecorderHooks;

  constructor(
    options: { clock?: () => number; scrubber?: SecretScrubber; hooks?: RecorderHooks; phase?: SmtpPhase } = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
    this.started = this.clock();
    if (options.phase) this.phase = options.phase;
    this.scrubber = options.scrubber ?? SecretScrubber.none;
    this.hooks = options.hooks ?? {};
  }

  /** The object handed to SMTPConnection as `logger`. */
  readonly logger = {
    trace: (meta: LogMeta, ...args: unknown[]) => this.record('trace', meta, args),
    debug: (meta: LogMeta, ...args: unknown[]) => this.record('debug', meta, args),
    info: (meta: LogMeta, ...args: unknown[]) => this.record('info', meta, args),
    warn: (meta: LogMeta, ...args: unknown[]) => this.record('warn', meta, args),
    error: (meta: LogMeta, ...args: unknown[]) => this.record('error', meta, args),
    fatal: (meta: LogMeta, ...args: unknown[]) => this.record('fatal', meta, args),
  };

  /**
   * The set-up of a reused connection, copied in front of this attempt's own lines: `t` stays
   * relative to this attempt, so those lines carry negative times (they happened before it).
   */
  prefill(lines: readonly TranscriptLine[], linesStartedAt: number): void {
    const offset = linesStartedAt - this.started;
    for (const line of lines) this.lines.push({ ...line, t: Math.round((line.t + offset) * 10) / 10 });
  }

  /** The message's headers in brief, shown after the size line instead of the message. */
  messageSummary: string | null = null;

  /** The body is complete and the final "." goes next: from now on a lost connection is "uncertain". */
  markFinalDot(): void {
    this.finalDotSent = true;
    this.phase = 'final-reply';
  }

  /**
   * The "." was still queued inside Posthorn when the connection was aborted, so it never went:
   * the attempt is judged as one that stopped before it.
   */
  dotDiscarded(): void {
    if (!this.finalDotSent) return;
    this.finalDotSent = false;
    this.phase = 'data';
    this.push('info', DOT_DISCARDED);
  }

  /**
   * A copy of something built from what the server said (a report, a test result) with the
   * login's secrets scrubbed from every string: a server may repeat them in any reply.
   */
  scrub<T>(value: T): T {
    // Its lines were scrubbed as they were recorded.
    return this.scrubber.deep(value, ['lines']);
  }

  /** A line of our own (a TLS summary, an error explanation). */
  note(dir: TranscriptLine['dir'], text: string): void {
    this.push(dir, this.scrubber.text(text));
  }

  private record(level: Level, meta: LogMeta, args: unknown[]): void {
    const [template, ...rest] = args;
    const text = format(template, ...rest);
    const tnx = meta?.tnx;
    if (tnx === 'client') {
      this.clientLine(text);
    } else if (tnx === 'server') {
      this.serverLines(text);
    } else if (tnx === 'message') {
      this.messageLine(meta, text);
    } else {
      this.note(level === 'error' || level === 'fatal' ? 'error' : 'info', text);
      if (tnx === 'smtp' && /upgraded with STARTTLS/i.test(text)) this.noteTls();
      if (tnx === 'network' && /^Connection established/i.test(text)) {
        this.phase = 'greeting';
        this.noteTls(); // implicit TLS: encrypted from the first byte
      }
    }
  }

  private clientLine(text: string): void {
    const phase = phaseOfCommand(text);
    if (phase) this.phase = phase;
    // Our own command: only as given (AUTH arguments are redacted above).
    this.push('C', this.scrubber.ours(this.redactor.client(text)));
  }

  /** A multi-line reply arrives as one entry; it is kept as one line with embedded newlines. */
  private serverLines(text: string): void {
    this.redactor.server(text.split(/\r?\n/).at(-1) ?? text);
    this.push('S', this.scrubber.text(text));
    this.hooks.onServerReply?.(text);
  }

  private messageLine(meta: LogMeta, text: string): void {
    if (meta?.outByteCount === undefined) return; // body content: never recorded
    const first = !this.finalDotSent;
    this.markFinalDot();
    this.push('info', `${text.replace(/^<|>$/g, '')} · final "." sent`);
    if (this.messageSummary) this.push('info', `Message headers: ${this.scrubber.ours(this.messageSummary)}`);
    if (first) this.hooks.onFinalDot?.();
  }

  private noteTls(): void {
    const summary = this.hooks.describeTls?.();
    if (summary) this.push('tls', summary);
  }

  private push(dir: TranscriptLine['dir'], text: string): void {
    this.lines.push({
      t: Math.max(0, Math.round((this.clock() - this.started) * 10) / 10),
      dir,
      text: capText(text, MAX_LINE_CHARS),
    });
  }
}

/** A real reply line is at most 512 bytes (RFC 5321 4.5.3.1.5); more is kept only in part. */
const MAX_LINE_CHARS = 8000;
