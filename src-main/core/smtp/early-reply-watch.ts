/**
 * Watches the server's bytes as they arrive, before nodemailer reads them, for anything that
 * comes after the 354 while the body or its final "." is still inside this process (not yet
 * handed to the operating system). nodemailer would take such a reply as the answer to the
 * message and let the body and the "." go on; the server may then queue a message Posthorn
 * believes refused, and the outbox would send it again (issue 17, reviews). So the moment a
 * byte arrives then (a whole line or not: an unfinished "451" glued to the next reply is one),
 * the watch says so, with the lines of that chunk, and the session aborts the connection,
 * throwing away what was still queued: without the "." the server cannot queue the message.
 */
export class EarlyReplyWatch {
  private partial = '';
  private watching = false;
  private goAhead = false;
  private dotMarked = false;
  private readonly onEarly: (lines: string[]) => void;
  private readonly stillQueued: () => boolean;

  /** `stillQueued`: whether any of the message (its "." included) is still waiting to be written. */
  constructor(onEarly: (lines: string[]) => void, stillQueued: () => boolean) {
    this.onEarly = onEarly;
    this.stillQueued = stillQueued;
  }

  /** A message's transaction starts (MAIL, RCPT, DATA are about to go). */
  begin(): void {
    this.watching = true;
    this.goAhead = false;
    this.dotMarked = false;
    this.partial = '';
  }

  /** The body has ended and the "." is on its way: replies count once it has all been written. */
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
    const early = () => {
      this.watching = false;
      this.onEarly([...lines, this.partial].filter((l) => l.trim() !== ''));
      return false;
    };
    for (const line of lines) {
      if (line.trim() === '') continue;
      if (this.goAhead && this.messageNotAllGone()) return early();
      // "354 " ends the reply to DATA; the server must now wait for the whole message.
      if (/^354(?: |$)/.test(line)) this.goAhead = true;
    }
    // Bytes without a line end yet count too: they would be read as the start of the next reply.
    if (this.goAhead && this.partial.trim() !== '' && this.messageNotAllGone()) return early();
    return true;
  }

  private messageNotAllGone(): boolean {
    return !this.dotMarked || this.stillQueued();
  }
}
