import type { Socket } from 'node:net';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * Every private member of nodemailer's SMTPConnection that Posthorn uses, in one place.
 * They were checked against nodemailer 10.6 (package.json pins ~10.6), and
 * test/integration/nodemailer-internals.test.ts fails loudly, naming the member, if an update
 * renames or reshapes one. Why each is needed:
 *   _socket               the TLS session and certificate of the connection (facts, the test screen)
 *   _sendCommand          a dry run sends MAIL and RCPT without DATA; nodemailer's envelope step
 *   _responseActions        always goes on to DATA, so the commands use its own queue
 *   _supportedExtensions  whether the server offered SMTPUTF8, for the dry run's MAIL
 *   _onData               the server's bytes as they arrive (plain and TLS alike), so a reply
 *                         during the message body is caught before nodemailer acts on it
 *   _currentDataStream    whether the body (and its final ".") is still being handed to the
 *                         socket: a reply before it has all gone is a reply out of turn
 */
export const NODEMAILER_CHECKED = '10.6';

type Internals = {
  _socket?: Socket | false | null;
  _responseActions: ((reply: string) => void)[];
  _sendCommand(line: string): void;
  _supportedExtensions: string[];
  _onData(chunk: Buffer): void;
  _currentDataStream?: unknown;
};

const internals = (conn: SMTPConnection) => conn as unknown as Internals;

/** The connection's socket (a TLSSocket once encrypted), or null before it connects. */
export function connectionSocket(conn: SMTPConnection): Socket | null {
  return internals(conn)._socket || null;
}

/** Sends one command line through nodemailer's own queue (logged like any other); the reply goes to `onReply`. */
export function sendRawCommand(conn: SMTPConnection, line: string, onReply: (reply: string) => void): void {
  internals(conn)._responseActions.push(onReply);
  internals(conn)._sendCommand(line);
}

/** Whether the server named this extension in its EHLO reply (upper case, as nodemailer keeps them). */
export function serverOffers(conn: SMTPConnection, extension: string): boolean {
  return internals(conn)._supportedExtensions.includes(extension);
}

/**
 * Lets `look` see every chunk from the server first; when it returns false the chunk never
 * reaches nodemailer (the session is closing the connection over it).
 */
export function observeIncoming(conn: SMTPConnection, look: (data: string) => boolean): void {
  const inner = internals(conn);
  const original = inner._onData.bind(conn);
  inner._onData = (chunk: Buffer) => {
    if (chunk && chunk.length > 0 && !look(chunk.toString('latin1'))) return;
    original(chunk);
  };
}

/**
 * Whether any of the message, its final "." included, is still inside this process: in
 * nodemailer's body stream or in the socket's write buffer, not yet handed to the operating
 * system. While it is, the server cannot have the "." and any reply is early.
 */
export function messageStillQueued(conn: SMTPConnection): boolean {
  const inner = internals(conn);
  const socket = inner._socket || null;
  return Boolean(inner._currentDataStream) || (socket !== null && socket.writableLength > 0);
}

/**
 * Ends the connection at once and throws away whatever is still queued to be written (the rest
 * of a body, its "."). nodemailer's close() ends the socket gracefully, which would flush it.
 */
export function abortConnection(conn: SMTPConnection): void {
  const socket = internals(conn)._socket || null;
  socket?.destroy();
  conn.close();
}
