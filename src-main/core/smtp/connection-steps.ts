import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { DEFAULT_TIMEOUTS } from '../../shared/defaults.ts';
import type { Timeouts } from '../../shared/schemas/accounts.ts';
import { abortConnection } from './nodemailer-internals.ts';

/** Slowest upload still waited for: 32 KB/s (a poor 256 kbit/s line), on top of the replies' own time. */
const SLOWEST_UPLOAD_BYTES_PER_MS = 32;

/**
 * How long each step may take in all (see `step`), from the account's timeouts: opening
 * (connect, greeting, EHLO, STARTTLS), logging in, one command, and one message from MAIL FROM
 * to the reply to its final ".".
 */
export function stepDeadlines(timeouts: Partial<Timeouts> | undefined) {
  const { connectMs, greetingMs, socketMs } = { ...DEFAULT_TIMEOUTS, ...timeouts };
  return {
    open: connectMs + greetingMs + 3 * socketMs,
    login: 2 * socketMs,
    command: 2 * socketMs,
    send: (size: number) => 4 * socketMs + size / SLOWEST_UPLOAD_BYTES_PER_MS,
  };
}

/**
 * One SMTP step as a promise. nodemailer reports some failures through the step's callback
 * and others (a TLS handshake refused, the socket closing) only as connection events, so
 * all three settle the step, whichever comes first.
 *
 * `deadlineMs` bounds the whole step. nodemailer's own timeouts are for idleness, so a server
 * that drips a byte at a time, or sends one endless line, would otherwise be waited for
 * forever; at the deadline the connection is closed and the step fails as a timeout.
 */
export function step<T>(
  conn: SMTPConnection,
  run: (done: (error?: Error | null, value?: T) => void) => void,
  deadlineMs?: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | null = null;
    const settle = (error: Error | null | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      conn.off('error', onError);
      conn.off('end', onEnd);
      if (error) reject(error);
      else resolve(value as T);
    };
    const onError = (error: Error) => settle(error);
    const onEnd = () => settle(Object.assign(new Error('The server closed the connection.'), { code: 'ECONNECTION' }));
    conn.on('error', onError);
    conn.on('end', onEnd);
    if (deadlineMs !== undefined) {
      timer = setTimeout(() => {
        settle(
          Object.assign(new Error(`The server did not finish answering within ${Math.round(deadlineMs / 1000)} s.`), {
            code: 'ETIMEDOUT',
          }),
        );
        conn.close();
      }, deadlineMs);
    }
    run(settle);
  });
}

/** QUIT and wait (briefly) for the server's goodbye so it is part of the transcript. */
/**
 * QUIT, and up to `waitMs` for the server to end the connection. Past that the connection is
 * aborted, not closed: anything still queued (the rest of a message the server was slow to
 * read) is thrown away rather than delivered after Posthorn stopped listening. Says whether
 * the server ended it in time.
 */
export async function quitGracefully(conn: SMTPConnection, waitMs = 2000): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      // Said first: aborting ends the connection, and its 'end' comes at once.
      timedOut = true;
      resolve(false);
      abortConnection(conn);
    }, waitMs);
    conn.once('end', () => {
      clearTimeout(timer);
      resolve(!timedOut);
    });
    conn.quit();
  });
}

export function isEncrypted(conn: SMTPConnection): boolean {
  return conn.secure === true;
}
