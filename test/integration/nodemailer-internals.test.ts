import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionSocket,
  messageStillQueued,
  NODEMAILER_CHECKED,
  observeIncoming,
  sendRawCommand,
  serverOffers,
} from '../../src-main/core/smtp/nodemailer-internals.ts';
import { selfSignedCertificate } from '../support/certs.ts';

/**
 * nodemailer's private members that Posthorn relies on, against a real smtp-server: if an
 * update renames or reshapes one, this fails here, naming it, instead of a dry run or a
 * transcript quietly breaking in the app.
 */
describe('nodemailer internals used by Posthorn', () => {
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    const certificate = selfSignedCertificate();
    server = new SMTPServer({
      key: certificate.key,
      cert: certificate.cert,
      authOptional: true,
      disableReverseLookup: true,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it(`the installed nodemailer is the minor version they were checked against (${NODEMAILER_CHECKED})`, () => {
    const installed = (
      JSON.parse(readFileSync(createRequire(import.meta.url).resolve('nodemailer/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(installed.split('.').slice(0, 2).join('.'), 'check nodemailer-internals.ts against the new version').toBe(
      NODEMAILER_CHECKED,
    );
    const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> })
      .dependencies.nodemailer;
    expect(pinned).toBe(`~${NODEMAILER_CHECKED}.0`);
  });

  it('_socket, _supportedExtensions, _responseActions and _sendCommand still work as Posthorn uses them', async () => {
    const conn = new SMTPConnection({ host: '127.0.0.1', port, tls: { rejectUnauthorized: false } });
    conn.on('error', () => {});
    expect(connectionSocket(conn)).toBeNull();
    await new Promise<void>((resolve, reject) => conn.connect((error?: Error) => (error ? reject(error) : resolve())));
    try {
      // After STARTTLS the socket is the TLS one, with the server's certificate.
      const socket = connectionSocket(conn);
      expect(socket, '_socket').toBeInstanceOf(TLSSocket);
      expect((socket as TLSSocket).getPeerCertificate().subject?.CN).toBe('localhost');
      expect(serverOffers(conn, 'PIPELINING'), '_supportedExtensions').toBe(true);
      expect(serverOffers(conn, 'NO-SUCH-EXTENSION')).toBe(false);
      const reply = await new Promise<string>((resolve) => sendRawCommand(conn, 'MAIL FROM:<a@example.test>', resolve));
      expect(reply, '_responseActions / _sendCommand').toMatch(/^250 /);
      const rcpt = await new Promise<string>((resolve) => sendRawCommand(conn, 'RCPT TO:<b@example.test>', resolve));
      expect(rcpt).toMatch(/^250 /);
    } finally {
      conn.close();
    }
  });

  it('_onData sees every chunk from the server before nodemailer, after STARTTLS too, and can hold one back', async () => {
    const conn = new SMTPConnection({ host: '127.0.0.1', port, tls: { rejectUnauthorized: false } });
    conn.on('error', () => {});
    const seen: string[] = [];
    let holdBack = false;
    observeIncoming(conn, (data) => {
      seen.push(data);
      return !holdBack;
    });
    await new Promise<void>((resolve, reject) => conn.connect((error?: Error) => (error ? reject(error) : resolve())));
    try {
      expect(seen.join(''), '_onData before TLS').toMatch(/^220 /);
      expect(connectionSocket(conn)).toBeInstanceOf(TLSSocket);
      const reply = await new Promise<string>((resolve) => sendRawCommand(conn, 'NOOP', resolve));
      expect(reply).toMatch(/^250 /);
      expect(seen.at(-1), '_onData after TLS').toMatch(/^250 /);
      // Held back: nodemailer never hears the reply.
      holdBack = true;
      let heard = false;
      sendRawCommand(conn, 'NOOP', () => (heard = true));
      const before = seen.length;
      for (let i = 0; i < 100 && seen.length === before; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen.length).toBe(before + 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(heard, 'a held-back chunk reaches nodemailer').toBe(false);
    } finally {
      conn.close();
    }
  });

  it('_currentDataStream and the socket buffer tell whether a message is still going out', async () => {
    const conn = new SMTPConnection({ host: '127.0.0.1', port, tls: { rejectUnauthorized: false } });
    conn.on('error', () => {});
    await new Promise<void>((resolve, reject) => conn.connect((error?: Error) => (error ? reject(error) : resolve())));
    try {
      expect(messageStillQueued(conn)).toBe(false);
      const body = `Subject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(60_000); // about 4.7 MB
      const sent = new Promise<void>((resolve, reject) =>
        conn.send({ from: 'a@example.test', to: ['b@example.test'] }, body, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      let seenQueued = false;
      for (let i = 0; i < 200 && !seenQueued; i++) {
        seenQueued = messageStillQueued(conn);
        if (!seenQueued) await new Promise((r) => setTimeout(r, 5));
      }
      expect(seenQueued, '_currentDataStream while the body goes').toBe(true);
      await sent;
      expect(messageStillQueued(conn)).toBe(false);
    } finally {
      conn.close();
    }
  });
});
