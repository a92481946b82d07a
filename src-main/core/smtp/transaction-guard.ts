import { EarlyReplyWatch } from './early-reply-watch.ts';
import { acceptedIn, malformedLineOf, observeExchange } from './exchange.ts';
import type { TranscriptRecorder } from './transcript-recorder.ts';

/** How long a server that refused every recipient may take to answer DATA before the connection is closed. */
const DATA_AFTER_REFUSALS_MS = 2000;

type Transaction = { recorder: TranscriptRecorder; recipients: number; refusedTimer?: NodeJS.Timeout };

/**
 * What a session watches while one message's transaction runs, to close the connection the
 * moment the server's replies can no longer be trusted, before anything more is sent on their
 * word:
 * - a line that is not a reply (every later reply may be one behind);
 * - a reply after the 354 while the body or its "." is still queued (see EarlyReplyWatch):
 *   aborted, so what is queued is thrown away and the "." never goes;
 * - every recipient refused and no answer to DATA within DATA_AFTER_REFUSALS_MS (a server
 *   that refuses DATA at once keeps its connection, which is reset and reused).
 */
type Connection = {
  /** Ends the connection (anything already queued still goes). */
  close: () => void;
  /** Ends it at once, throwing away what is still queued (the rest of a body, its "."). */
  abort: () => void;
  /** Whether any of the message is still waiting to be written. */
  messageStillQueued: () => boolean;
};

export class TransactionGuard {
  private current: Transaction | null = null;
  private readonly watch: EarlyReplyWatch;
  private readonly connection: Connection;

  constructor(connection: Connection) {
    this.connection = connection;
    this.watch = new EarlyReplyWatch((lines) => this.early(lines), connection.messageStillQueued);
  }

  get active(): boolean {
    return this.current !== null;
  }

  begin(recorder: TranscriptRecorder, recipients: number): void {
    this.current = { recorder, recipients };
    this.watch.begin();
  }

  /** The body has ended; the "." goes next. */
  finalDotMarked(): void {
    this.watch.finalDotMarked();
  }

  end(): void {
    if (this.current?.refusedTimer) clearTimeout(this.current.refusedTimer);
    this.current = null;
    this.watch.end();
  }

  /** The server's bytes, before nodemailer reads them; false holds them back. */
  received(data: string): boolean {
    return this.watch.received(data);
  }

  /** Every reply, as nodemailer read it. */
  heard(text: string): void {
    if (malformedLineOf(text) !== null) {
      this.connection.close();
      return;
    }
    const transaction = this.current;
    if (!transaction || transaction.refusedTimer) return;
    const exchange = observeExchange(transaction.recorder.lines);
    const answered = exchange.rcpts.filter((r) => r.reply !== null).length;
    if (answered < transaction.recipients || acceptedIn(exchange).length > 0 || exchange.data !== null) return;
    transaction.refusedTimer = setTimeout(() => {
      if (this.current !== transaction || observeExchange(transaction.recorder.lines).data !== null) return;
      // Said in the transcript: the person sees why the attempt ended here and not at the timeout.
      transaction.recorder.note(
        'info',
        `Every recipient was refused and the server did not answer DATA within ${DATA_AFTER_REFUSALS_MS / 1000} s: Posthorn closed the connection instead of waiting for the full timeout.`,
      );
      this.connection.close();
    }, DATA_AFTER_REFUSALS_MS);
  }

  /** nodemailer never sees these lines: they go into the transcript from here, then the connection ends. */
  private early(lines: string[]): void {
    const recorder = this.current?.recorder;
    if (recorder) {
      // First: the "." was marked but still queued, and is thrown away with the connection.
      recorder.dotDiscarded();
      for (const line of lines) recorder.note('S', line);
      recorder.note(
        'error',
        'A reply came before the message was complete: the connection is closed before the final ".".',
      );
    }
    this.connection.abort();
  }
}
