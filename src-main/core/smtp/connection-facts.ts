import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ConnectionFacts } from '../../shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';
import { capabilitiesFromTranscript } from './capabilities.ts';
import { describeCertificate } from './certificate-info.ts';

/** A connection's facts, read off its socket and its set-up transcript (the queue id comes per message). */
export function observeConnection(socket: Socket | null, lines: readonly TranscriptLine[]): ConnectionFacts {
  const cert = socket instanceof TLSSocket ? describeCertificate(socket.getPeerCertificate(true)) : null;
  return {
    remoteAddress: socket ? (socket.remoteAddress ?? null) : null,
    remotePort: socket ? (socket.remotePort ?? null) : null,
    greeting: lines.find((line) => line.dir === 'S')?.text ?? null,
    capabilities: capabilitiesFromTranscript(lines),
    tls:
      socket instanceof TLSSocket && cert
        ? {
            protocol: socket.getProtocol(),
            cipher: socket.getCipher()?.standardName ?? null,
            subject: cert.subject,
            issuer: cert.issuer,
            validFrom: cert.validFrom,
            validTo: cert.validTo,
            fingerprint256: cert.fingerprint256,
          }
        : null,
    queueId: null,
  };
}
