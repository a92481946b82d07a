import { makeSelfSignedCertificate, type TestCertificate } from './certs.ts';

/** Another self-signed certificate for the same (or other) names: what a swapped or intercepted server shows. */
export function anotherSelfSignedCertificate(names = 'DNS:localhost,IP:127.0.0.1'): TestCertificate {
  return makeSelfSignedCertificate(names, 'posthorn-cert2-');
}
