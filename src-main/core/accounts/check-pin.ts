import { fail } from '../../shared/errors.ts';
import type { PinnedCertificate } from '../../shared/schemas/accounts.ts';
import { fingerprintOfPem } from '../smtp/certificate-info.ts';

/** A certificate the person chose to trust, checked: it reads, and the fingerprint is its own. */
export function checkPin(pin: PinnedCertificate | null): PinnedCertificate | null {
  if (!pin) return null;
  let actual: string;
  try {
    actual = fingerprintOfPem(pin.pem);
  } catch {
    fail(
      'BAD_INPUT',
      'pinnedCertificate: The certificate to trust could not be read.',
      'Run the test again and choose "Trust this certificate" once more.',
    );
  }
  if (actual !== pin.fingerprint256)
    fail(
      'BAD_INPUT',
      'pinnedCertificate: The fingerprint does not belong to that certificate.',
      'Run the test again and trust the certificate it shows.',
    );
  return pin;
}
