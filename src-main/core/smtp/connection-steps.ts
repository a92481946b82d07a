import type SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * One SMTP step as a promise. nodemailer reports some failures through the step's callback
 * and others (a TLS handshake refused, the socket closing) only as connection events, so
 * all three settle the step, whichever comes first.
 */
export function step<T>(conn: SMTPConnection, run: (done: (error?: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      conn.off('error', onError);
      conn.off('end', onEnd);
      if (error) reject(error);
      else resolve(value as T);
    };
    const onError = (error: Error) => settle(error);
    const onEnd = () => settle(Object.assign(new Error('The server closed the connection.'), { code: 'ECONNECTION' }));
    conn.on('error', onError);
    conn.on('end', onEnd);
    run(settle);
  });
}

/** QUIT and wait (briefly) for the server's goodbye so it is part of the transcript. */
export async function quitGracefully(conn: SMTPConnection, waitMs = 2000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      conn.close();
      resolve();
    }, waitMs);
    conn.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    conn.quit();
  });
}

export function isEncrypted(conn: SMTPConnection): boolean {
  return conn.secure === true;
}
