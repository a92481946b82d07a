import { Readable } from 'node:stream';

/**
 * The message body as a stream that, just before it ends (and nodemailer appends the final
 * "."), calls `beforeEnd` synchronously: the outbox records "the final '.' may be on its way"
 * durably before it can be, so a crash at any instant never leads to a silent second send.
 */
const CHUNK = 64 * 1024;

export function markedBody(
  source: Readable,
  total: number,
  beforeEnd: () => void,
  onProgress?: (sent: number, total: number) => void,
  beforeStart?: () => void,
): Readable {
  let sent = 0;
  let started = false;
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new Readable({
    // Pulled as the socket drains (nodemailer pipes the body only after 354), so progress
    // follows the upload and the end is reached only when the last chunk is taken.
    highWaterMark: CHUNK,
    read() {
      if (!started) {
        started = true;
        // The last word before any content goes: a check that throws stops the message here.
        try {
          beforeStart?.();
        } catch (error) {
          this.destroy(error as Error);
          return;
        }
      }
      chunks.next().then(
        ({ value, done }) => {
          if (done) {
            // If the mark cannot be stored (disk full, database locked), the final "." must not
            // go: failing here ends the attempt before it, so the message is simply retried.
            try {
              beforeEnd();
            } catch (error) {
              this.destroy(error as Error);
              return;
            }
            this.push(null);
            return;
          }
          sent += value.length;
          onProgress?.(sent, total);
          this.push(value);
        },
        // A spool file that cannot be read fails the attempt (before the final ".") instead of stalling it.
        (error: unknown) => this.destroy(error as Error),
      );
    },
  });
}

/** A message to send: its size, its first bytes (for the header summary), and its bytes as a stream. */
export type MessageSource = { size: number; head: Buffer; stream: () => Readable };
