import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** The phases a script can intervene in. `dot` is the reply to the final "." of DATA. */
export type FaultPhase = 'greeting' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'dot';

/** What the server does at a phase: answer this, hang up, or say nothing at all. */
export type FaultAction = { reply: string; delayMs?: number } | { drop: true } | { silent: true };

export type FaultScript = (phase: FaultPhase, context: { arg: string; connection: number; session: Received }) => FaultAction | undefined;

export type Received = { mailFrom: string; rcptTo: string[]; data: string; connection: number };

export type FaultServer = {
  port: number;
  /** Messages whose final "." was answered 250 (what a real server would have queued). */
  accepted: Received[];
  /** Every message whose data arrived in full, whatever was answered (a drop after "." included). */
  completed: Received[];
  connections: number;
  /** The most SMTP sessions open at the same time (a session ends at QUIT or when its socket closes). */
  maxConcurrent: number;
  close(): Promise<void>;
};

const DEFAULTS: Record<FaultPhase, string> = {
  greeting: '220 fault.test ESMTP ready',
  ehlo: '250-fault.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250 8BITMIME',
  mail: '250 2.1.0 Ok',
  rcpt: '250 2.1.5 Ok',
  data: '354 End data with <CR><LF>.<CR><LF>',
  dot: '250 2.0.0 Ok: queued',
};

/**
 * A scripted SMTP server of our own on 127.0.0.1 (plain, no AUTH): every reply can be replaced,
 * and a connection can be dropped or left silent at any phase. No greeting delay, so batches
 * run fast. Each socket is destroyed on close; nothing outlives the test.
 */
export async function startFaultServer(script: FaultScript = () => undefined): Promise<FaultServer> {
  const accepted: Received[] = [];
  const completed: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let maxConcurrent = 0;
  const sessions = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    sessions.add(socket);
    maxConcurrent = Math.max(maxConcurrent, sessions.size);
    socket.on('close', () => {
      sockets.delete(socket);
      sessions.delete(socket);
    });
    socket.on('error', () => {});
    const connection = ++connections;
    let session: Received = { mailFrom: '', rcptTo: [], data: '', connection };
    let buffer = '';
    let inData = false;
    let mailAccepted = false;
    const reply = (text: string) => {
      socket.write(`${text}\r\n`);
      return Promise.resolve();
    };
    let queue = Promise.resolve();

    const act = (phase: FaultPhase, arg: string, then?: () => void): Promise<void> => {
      const action = script(phase, { arg, connection, session }) ?? { reply: DEFAULTS[phase] };
      if ('drop' in action) {
        socket.destroy();
        return Promise.resolve();
      }
      if ('silent' in action) return new Promise<void>(() => {}); // never answers; the client's timeout ends it
      return new Promise<void>((resolve) => {
        setTimeout(() => {
          if (!socket.destroyed) socket.write(`${action.reply}\r\n`);
          if (/^2|^354/.test(action.reply)) then?.();
          resolve();
        }, action.delayMs ?? 0);
      });
    };

    const onLine = (line: string): Promise<void> => {
      if (inData) {
        if (line === '.') {
          inData = false;
          const received = { ...session, rcptTo: [...session.rcptTo] };
          completed.push(received);
          return act('dot', '', () => accepted.push(received)).then(() => {
            session = { mailFrom: '', rcptTo: [], data: '', connection };
            mailAccepted = false;
          });
        }
        session.data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`;
        return Promise.resolve();
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
        case 'HELO':
          return act('ehlo', arg);
        case 'MAIL':
          return act('mail', arg, () => {
            session.mailFrom = /<([^>]*)>/.exec(arg)?.[1] ?? '';
            mailAccepted = true;
          });
        case 'RCPT':
          // Like a real server: no RCPT before an accepted MAIL, no DATA without a recipient.
          if (!mailAccepted) return reply('503 5.5.1 Error: need MAIL command');
          return act('rcpt', arg, () => session.rcptTo.push(/<([^>]*)>/.exec(arg)?.[1] ?? ''));
        case 'DATA':
          if (session.rcptTo.length === 0) return reply('554 5.5.1 Error: no valid recipients');
          return act('data', arg, () => (inData = true));
        case 'RSET':
          session = { mailFrom: '', rcptTo: [], data: '', connection };
          mailAccepted = false;
          socket.write('250 2.0.0 Ok\r\n');
          return Promise.resolve();
        case 'QUIT':
          sessions.delete(socket);
          socket.end('221 2.0.0 Bye\r\n');
          return Promise.resolve();
        case 'NOOP':
          socket.write('250 2.0.0 Ok\r\n');
          return Promise.resolve();
        default:
          socket.write('502 5.5.2 Command not recognised\r\n');
          return Promise.resolve();
      }
    };

    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        queue = queue.then(() => onLine(line));
        end = buffer.indexOf('\r\n');
      }
    });
    void act('greeting', '');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    completed,
    get connections() {
      return connections;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
