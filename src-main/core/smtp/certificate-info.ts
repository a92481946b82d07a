import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { CertificateInfo } from '../../shared/schemas/smtp.ts';

/** A certificate date as ISO text; a date Node cannot read is shown as it came, never a crash. */
function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

function name(entity: Record<string, string | string[] | undefined> | undefined): string {
  if (!entity) return '';
  return Object.entries(entity)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** What a person (and the pinning code) needs to know about the certificate the server showed. */
export function describeCertificate(cert: PeerCertificate): CertificateInfo | null {
  if (!cert || !cert.raw) return null;
  const pem = new X509Certificate(cert.raw).toString();
  return {
    subject: name(cert.subject as unknown as Record<string, string>),
    issuer: name(cert.issuer as unknown as Record<string, string>),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: cert.fingerprint256,
    altNames: cert.subjectaltname ?? '',
    pem,
  };
}

/** The fingerprint computed from the PEM itself, so a pin cannot claim a fingerprint it lacks. */
export function fingerprintOfPem(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
