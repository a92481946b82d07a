/**
 * Watches the server's bytes as they arrive, before nodemailer reads them, for a reply that
 * comes after the 354 and before the final "." has gone. nodemailer would take such a reply as
 * the answer to the message and let the body and the "." go on; the server may then queue a
 * message Posthorn believes refused, and the outbox would send it again (issue 17, review). So
 * the moment one arrives, the watch says so, with every line of that chunk, and the session
 * closes the connection at once: without the "." the server cannot queue the message.
 */
export class EarlyReplyWatch {
  private partial = '';
  private watching = false;
  private goAhead = false;
  private dotMarked = false;
  private readonly onEarly: (lines: string[]) => void;

  constructor(onEarly: (lines: string[]) => void) {
    this.onEarly = onEarly;
  }

  /** A message's transaction starts (MAIL, RCPT, DATA are about to go). */
  begin(): void {
    this.watching = true;
    this.goAhead = false;
    this.dotMarked = false;
    this.partial = '';
  }

  /** The body has ended and the "." is about to go: replies from now on are answers to it. */
  finalDotMarked(): void {
    this.dotMarked = true;
  }

  end(): void {
    this.watching = false;
  }

  /**
   * Bytes from the server, as they arrived. Returns false when they must not reach nodemailer
   * (an early reply: the connection is being closed).
   */
  received(data: string): boolean {
    if (!this.watching) return true;
    const lines = (this.partial + data).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      if (this.goAhead && !this.dotMarked) {
        this.watching = false;
        this.onEarly(lines.filter((l) => l.trim() !== ''));
        return false;
      }
      // "354 " ends the reply to DATA; the server must now wait for the whole message.
      if (/^354(?: |$)/.test(line)) this.goAhead = true;
    }
    return true;
  }
}
