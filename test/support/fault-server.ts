import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';
import type { TestCertificate } from './certs.ts';

/**
 * The phases a script can intervene in. `starttls` is the reply to STARTTLS, `auth` the final
 * reply to AUTH (after the credentials), `dot` the reply to the final "." of DATA.
 */
export type FaultPhase =
  'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'dot' | 'vrfy' | 'expn' | 'quit';

/**
 * What the server does at a phase: answer this (after a delay), hang up, say nothing at all,
 * drip the answer a byte at a time, write these exact bytes (malformed replies), or, for
 * STARTTLS only, agree and then send garbage instead of a TLS handshake.
 */
export type FaultAction =
  | { reply: string; delayMs?: number }
  | { drop: true }
  | { silent: true }
  | { drip: string; everyMs: number }
  /**
   * These exact bytes, in one write or several (each `afterMs` after the one before). With
   * `proceed` the server then goes on as if it had answered yes: DATA reads the message, the
   * final "." counts as queued (a server that says one thing and does another).
   */
  | {
      raw: string | { afterMs: number; text: string }[];
      proceed?: boolean;
      /** Stop reading from the client for this long after the first write (a server slow to take the body). */
      pauseReadingMs?: number;
    }
  | { tlsGarbage: true };

export type FaultContext = {
  /** The command as sent (EHLO or HELO, MAIL, …); empty for the greeting and the final ".". */
  verb: string;
  arg: string;
  connection: number;
  session: Received;
  /** Whether this connection is encrypted (implicit TLS or after STARTTLS). */
  secure: boolean;
  /** What the server would answer without the script. */
  standard: string;
};

export type FaultScript = (phase: FaultPhase, context: FaultContext) => FaultAction | undefined;

export type FaultServerOptions = {
  /** The certificate for STARTTLS (offered in EHLO) or, with `implicitTls`, for TLS from the first byte. */
  tls?: TestCertificate;
  implicitTls?: boolean;
  /** Offer AUTH PLAIN LOGIN (any credentials are accepted unless the script says otherwise). */
  auth?: boolean;
  /** The mechanisms offered with `auth` (PLAIN and LOGIN by default; CRAM-MD5 and XOAUTH2 also understood). */
  authMethods?: string[];
  /** A fixed port (0, the default, picks a free one). */
  port?: number;
};

export type Received = { mailFrom: string; rcptTo: string[]; data: string; connection: number };

export type FaultServer = {
  port: number;
  /** Messages whose final "." was answered 250 (what a real server would have queued). */
  accepted: Received[];
  /** Every message whose data arrived in full, whatever was answered (a drop after "." included). */
  completed: Received[];
  /** Every command line received, in order, per connection (what the client actually said). */
  commands: { connection: number; line: string }[];
  connections: number;
  /** The most SMTP sessions open at the same time (a session ends at QUIT or when its socket closes). */
  maxConcurrent: number;
  close(): Promise<void>;
};

/** The fixed CRAM-MD5 challenge, so a test knows the response a client computes from it. */
export const CRAM_MD5_CHALLENGE = '<1896.697170952@fault.test>';

function ehloReply(options: FaultServerOptions, secure: boolean): string {
  const lines = ['fault.test', 'PIPELINING', 'SIZE 10485760', '8BITMIME'];
  if (options.tls && !secure) lines.push('STARTTLS');
  if (options.auth) lines.push(`AUTH ${(options.authMethods ?? ['PLAIN', 'LOGIN']).join(' ')}`);
  return lines.map((line, i) => `250${i === lines.length - 1 ? ' ' : '-'}${line}`).join('\r\n');
}

const STANDARD: Record<Exclude<FaultPhase, 'ehlo'>, string> = {
  greeting: '220 fault.test ESMTP ready',
  starttls: '220 2.0.0 Ready to start TLS',
  auth: '235 2.7.0 Authentication successful',
  mail: '250 2.1.0 Ok',
  rcpt: '250 2.1.5 Ok',
  data: '354 End data with <CR><LF>.<CR><LF>',
  dot: '250 2.0.0 Ok: queued',
  // What most servers answer today (Postfix's words).
  vrfy: '252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery',
  expn: '502 5.5.1 EXPN command is disabled',
  quit: '221 2.0.0 Bye',
};

/**
 * A scripted SMTP server of our own on 127.0.0.1: every reply can be replaced, and a connection
 * can be dropped, left silent, dripped or sent malformed bytes at any phase; optionally with
 * STARTTLS or implicit TLS and AUTH. No greeting delay, so batches run fast. Each socket is
 * destroyed on close, and every timer it set is cleared; nothing outlives the test.
 */
export async function startFaultServer(
  script: FaultScript = () => undefined,
  options: FaultServerOptions = {},
): Promise<FaultServer> {
  const accepted: Received[] = [];
  const completed: Received[] = [];
  const commands: { connection: number; line: string }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  let maxConcurrent = 0;
  const sessions = new Set<Socket>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const handle = (raw: Socket, startsSecure: boolean) => {
    sockets.add(raw);
    sessions.add(raw);
    maxConcurrent = Math.max(maxConcurrent, sessions.size);
    raw.on('close', () => {
      sockets.delete(raw);
      sessions.delete(raw);
    });
    raw.on('error', () => {});
    // Replies go out as separate small writes; without this, Nagle's algorithm holds each one
    // until the client's delayed ACK (40 ms) and a batch crawls.
    raw.setNoDelay(true);
    const connection = ++connections;
    let stream: Socket = raw;
    let secure = startsSecure;
    let session: Received = { mailFrom: '', rcptTo: [], data: '', connection };
    let buffer = '';
    let inData = false;
    let mailAccepted = false;
    /** Set while AUTH waits for more lines from the client (LOGIN's username and password, PLAIN's credentials). */
    let authLinesWanted = 0;
    const write = (text: string) => {
      if (!stream.destroyed) stream.write(text);
    };
    const reply = (text: string) => {
      write(`${text}\r\n`);
      return Promise.resolve();
    };
    let queue = Promise.resolve();

    const act = (
      phase: FaultPhase,
      verb: string,
      arg: string,
      then?: () => void,
      standardReply?: string,
    ): Promise<void> => {
      const standard = standardReply ?? (phase === 'ehlo' ? ehloReply(options, secure) : STANDARD[phase]);
      const action = script(phase, { verb, arg, connection, session, secure, standard }) ?? { reply: standard };
      if ('drop' in action) {
        raw.destroy();
        return Promise.resolve();
      }
      if ('silent' in action) return new Promise<void>(() => {}); // never answers; the client's timeout ends it
      if ('raw' in action) {
        const writes = typeof action.raw === 'string' ? [{ afterMs: 0, text: action.raw }] : action.raw;
        if (action.proceed) then?.();
        if (action.pauseReadingMs) {
          raw.pause();
          later(action.pauseReadingMs, () => raw.resume());
        }
        return writes.reduce(
          (previous, { afterMs, text }) =>
            previous.then(() =>
              afterMs === 0 ? write(text) : new Promise<void>((resolve) => later(afterMs, () => resolve(write(text)))),
            ),
          Promise.resolve(),
        );
      }
      if ('tlsGarbage' in action) {
        write(`${STANDARD.starttls}\r\n`);
        later(20, () => write('this is not a TLS handshake\r\n'.repeat(4)));
        return new Promise<void>(() => {});
      }
      if ('drip' in action) {
        // One byte at a time; once the whole reply is out, the server carries on as it says.
        const bytes = Buffer.from(`${action.drip}\r\n`);
        return new Promise<void>((resolve) => {
          const next = (i: number) => {
            if (stream.destroyed) return;
            if (i >= bytes.length) {
              if (/^2|^354/.test(action.drip)) then?.();
              resolve();
              return;
            }
            write(bytes.subarray(i, i + 1).toString('latin1'));
            later(action.everyMs, () => next(i + 1));
          };
          next(0);
        });
      }
      return new Promise<void>((resolve) => {
        later(action.delayMs ?? 0, () => {
          write(`${action.reply}\r\n`);
          if (/^2|^354/.test(action.reply)) then?.();
          resolve();
        });
      });
    };

    const upgrade = () => {
      if (!options.tls) return;
      stream.removeListener('data', onData);
      const upgraded = new TLSSocket(raw, {
        isServer: true,
        secureContext: createSecureContext({ key: options.tls.key, cert: options.tls.cert }),
      });
      upgraded.on('error', () => raw.destroy());
      upgraded.on('data', onData);
      stream = upgraded;
      secure = true;
      buffer = '';
      session = { mailFrom: '', rcptTo: [], data: '', connection };
      mailAccepted = false;
    };

    const onLine = (line: string): Promise<void> => {
      commands.push({ connection, line: inData ? '(data)' : line });
      if (inData) {
        if (line === '.') {
          inData = false;
          const received = { ...session, rcptTo: [...session.rcptTo] };
          completed.push(received);
          return act('dot', '', '', () => accepted.push(received)).then(() => {
            session = { mailFrom: '', rcptTo: [], data: '', connection };
            mailAccepted = false;
          });
        }
        session.data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`;
        return Promise.resolve();
      }
      if (authLinesWanted > 0) {
        authLinesWanted--;
        if (authLinesWanted === 1) return reply('334 UGFzc3dvcmQ6');
        return act('auth', 'AUTH', line);
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
        case 'HELO':
          return act('ehlo', verb.toUpperCase(), arg);
        case 'STARTTLS':
          if (!options.tls || secure) return reply('502 5.5.1 STARTTLS not offered');
          return act('starttls', 'STARTTLS', '', upgrade);
        case 'AUTH': {
          if (!options.auth) return reply('502 5.5.1 AUTH not offered');
          const [mechanism = '', initial] = rest;
          if (mechanism.toUpperCase() === 'PLAIN') {
            if (initial) return act('auth', 'AUTH', arg);
            authLinesWanted = 1;
            return reply('334 ');
          }
          if (mechanism.toUpperCase() === 'LOGIN') {
            authLinesWanted = 2;
            return reply('334 VXNlcm5hbWU6');
          }
          if (mechanism.toUpperCase() === 'CRAM-MD5') {
            authLinesWanted = 1;
            return reply(`334 ${Buffer.from(CRAM_MD5_CHALLENGE).toString('base64')}`);
          }
          if (mechanism.toUpperCase() === 'XOAUTH2' && initial) return act('auth', 'AUTH', arg);
          return reply('504 5.5.4 Unrecognized authentication type');
        }
        case 'MAIL':
          return act('mail', 'MAIL', arg, () => {
            session.mailFrom = /<([^>]*)>/.exec(arg)?.[1] ?? '';
            mailAccepted = true;
          });
        case 'RCPT':
          // Like a real server: no RCPT before an accepted MAIL, no DATA without a recipient.
          // A script may answer otherwise (a broken server that keeps going after refusing MAIL).
          return act(
            'rcpt',
            'RCPT',
            arg,
            () => session.rcptTo.push(/<([^>]*)>/.exec(arg)?.[1] ?? ''),
            mailAccepted ? undefined : '503 5.5.1 Error: need MAIL command',
          );
        case 'DATA':
          return act(
            'data',
            'DATA',
            arg,
            () => (inData = true),
            session.rcptTo.length > 0 ? undefined : '554 5.5.1 Error: no valid recipients',
          );
        case 'RSET':
          session = { mailFrom: '', rcptTo: [], data: '', connection };
          mailAccepted = false;
          return reply('250 2.0.0 Ok');
        case 'QUIT': {
          sessions.delete(raw);
          // Only a reply (and its delay) is scripted here: the server hangs up after it as ever.
          const action = script('quit', { verb: 'QUIT', arg, connection, session, secure, standard: STANDARD.quit });
          const answer = action && 'reply' in action ? action : { reply: STANDARD.quit };
          return new Promise<void>((resolve) =>
            later(answer.delayMs ?? 0, () => {
              stream.end(`${answer.reply}\r\n`);
              resolve();
            }),
          );
        }
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'VRFY':
          return act('vrfy', 'VRFY', arg);
        case 'EXPN':
          return act('expn', 'EXPN', arg);
        default:
          return reply('502 5.5.2 Command not recognised');
      }
    };

    function onData(chunk: Buffer): void {
      buffer += chunk.toString('utf8');
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // STARTTLS: nothing after it is read as plain text; the handshake takes over the socket.
        queue = queue.then(() => onLine(line));
        if (/^STARTTLS$/i.test(line) && options.tls && !secure) {
          buffer = '';
          break;
        }
        end = buffer.indexOf('\r\n');
      }
    }
    stream.on('data', onData);
    void act('greeting', '', '');
  };

  let server: Server;
  if (options.implicitTls) {
    if (!options.tls) throw new Error('implicitTls needs a certificate');
    server = createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => handle(socket, true));
    server.on('tlsClientError', () => {});
  } else {
    server = createServer((socket) => handle(socket, false));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    completed,
    commands,
    get connections() {
      return connections;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
