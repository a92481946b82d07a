import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { TestCertificate } from './certs.ts';

export type ReceivedMessage = {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  user: string | undefined;
  /** DSN parameters as the server parsed them: RET from MAIL FROM, NOTIFY per recipient. */
  dsn: { ret: string | null; notify: (string[] | null)[] };
};

export type SmtpSink = {
  port: number;
  messages: ReceivedMessage[];
  /** Every AUTH the server saw, with the username (to check what the client sent). */
  logins: { method: string; username: string; ok: boolean }[];
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Ends every open connection (as a server restarting would): the next message logs in again. */
  dropConnections(): void;
  close(): Promise<void>;
};

export type SinkOptions = {
  certificate: TestCertificate;
  /** username -> password (or, for XOAUTH2, the access token). */
  users: Record<string, string>;
  authMethods?: string[];
  /** A reply that replaces "535" for refused logins, e.g. 534 app-password-needed. */
  refuseWith?: { code: number; message: string };
  /** Checks an XOAUTH2 or OAUTHBEARER token with its authorization server (instead of `users`). */
  checkToken?: (username: string, token: string) => Promise<boolean>;
  /** Implicit TLS (port 465 style) instead of STARTTLS. */
  secure?: boolean;
  extra?: Partial<SMTPServerOptions>;
};

/** A real smtp-server on 127.0.0.1 that requires STARTTLS (or TLS) and AUTH, and keeps what it gets. */
export async function startSmtpSink(options: SinkOptions): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const logins: SmtpSink['logins'] = [];
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: options.certificate.key,
    cert: options.certificate.cert,
    authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
    banner: 'Posthorn test sink',
    logger: false,
    onAuth(auth, _session, callback) {
      const { checkToken } = options;
      if (checkToken && auth.accessToken !== undefined) {
        const username = auth.username ?? '';
        void checkToken(username, auth.accessToken).then((ok) => {
          logins.push({ method: auth.method, username, ok });
          if (ok) return callback(null, { user: username });
          return callback(null, { data: { status: '401', schemes: 'bearer' } }); // the error challenge
        });
        return;
      }
      const expected = auth.username !== undefined ? options.users[auth.username] : undefined;
      let ok = false;
      if (expected !== undefined) {
        if (auth.method === 'CRAM-MD5') ok = auth.validatePassword(expected);
        else if (auth.method === 'XOAUTH2') ok = auth.accessToken === expected;
        else ok = auth.password === expected;
      }
      logins.push({ method: auth.method, username: auth.username ?? '', ok });
      if (!ok) {
        const refusal = options.refuseWith ?? { code: 535, message: '5.7.8 Authentication credentials invalid' };
        return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      }
      return callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
          dsn: {
            ret: (session.envelope as { dsn?: { ret?: string | null } }).dsn?.ret ?? null,
            notify: session.envelope.rcptTo.map((r) => (r as { dsn?: { notify?: string[] } }).dsn?.notify ?? null),
          },
        });
        callback(null, `2.0.0 Ok: queued as SINK${messages.length}`);
      });
    },
    ...options.extra,
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    messages,
    logins,
    async waitForMessages(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(`The SMTP sink got ${messages.length} of ${count} messages within ${timeoutMs} ms.`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return messages;
    },
    dropConnections: () => {
      const open = (server as unknown as { connections: Set<{ close(): void }> }).connections;
      for (const connection of open) connection.close();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
