import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** "TLS 1.3 · TLS_AES_256_GCM_SHA384 · CN=smtp.example.org (valid to 2027-02-01)" */
export function describeTlsSocket(socket: Socket | false | null | undefined): string | null {
  if (!(socket instanceof TLSSocket) || !socket.encrypted) return null;
  const protocol = (socket.getProtocol() ?? 'TLS').replace('TLSv', 'TLS ');
  const cipher = socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? 'unknown cipher';
  const cert = socket.getPeerCertificate();
  const parts = [protocol, cipher];
  if (cert && Object.keys(cert).length > 0) {
    const subject = cert.subject?.CN ? `CN=${cert.subject.CN}` : 'certificate';
    const until = cert.valid_to ? new Date(cert.valid_to) : null;
    const validTo = until && !Number.isNaN(until.getTime()) ? until.toISOString().slice(0, 10) : 'unknown';
    parts.push(`${subject} (valid to ${validTo})`);
  }
  return parts.join(' · ');
}
