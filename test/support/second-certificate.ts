import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestCertificate } from './certs.ts';

/** Another self-signed certificate for the same names: what a swapped (or intercepted) server shows. */
export function anotherSelfSignedCertificate(names = 'DNS:localhost,IP:127.0.0.1'): TestCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-cert2-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', `subjectAltName=${names}`], { stdio: 'pipe' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
