import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestCertificate = { key: string; cert: string };

let cached: TestCertificate | undefined;

/** A fresh self-signed certificate (EC P-256) for the given names, made with openssl; nothing is left on disk. */
export function makeSelfSignedCertificate(names = 'DNS:localhost,IP:127.0.0.1', prefix = 'posthorn-cert-'): TestCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', `subjectAltName=${names}`], { stdio: 'pipe' });
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The self-signed certificate for localhost / 127.0.0.1 that the test servers use, made once per
 * process at test time (no key is ever committed). Tests trust it explicitly; verification is
 * never switched off.
 */
export function selfSignedCertificate(): TestCertificate {
  cached ??= makeSelfSignedCertificate();
  return cached;
}
