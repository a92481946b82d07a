import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestCertificate = { key: string; cert: string };

let cached: TestCertificate | undefined;

/** A fresh self-signed certificate (EC P-256) for the given names, made with openssl; nothing is left on disk. */
export function makeSelfSignedCertificate(
  names = 'DNS:localhost,IP:127.0.0.1',
  prefix = 'posthorn-cert-',
): TestCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        `subjectAltName=${names}`,
      ],
      { stdio: 'pipe' },
    );
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

/**
 * A self-signed certificate for localhost / 127.0.0.1 that expired in January 2020 (`openssl
 * ca`, the one openssl 3.0 command that takes explicit dates); nothing is left on disk.
 */
export function makeExpiredCertificate(): TestCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-expired-'));
  try {
    const file = (name: string) => path.join(dir, name);
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        file('key.pem'),
        '-out',
        file('req.csr'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    writeFileSync(file('index.txt'), '');
    writeFileSync(file('serial'), '01\n');
    // In OpenSSL's config files a backslash escapes: Windows paths go in with forward slashes, which it accepts.
    const forConfig = (value: string) => value.replaceAll('\\', '/');
    writeFileSync(
      file('ca.cnf'),
      [
        '[ca]',
        'default_ca = this',
        '[this]',
        `database = ${forConfig(file('index.txt'))}`,
        `new_certs_dir = ${forConfig(dir)}`,
        `serial = ${forConfig(file('serial'))}`,
        'default_md = sha256',
        'policy = any',
        'copy_extensions = copy',
        'unique_subject = no',
        '[any]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    execFileSync(
      'openssl',
      [
        'ca',
        '-batch',
        '-config',
        file('ca.cnf'),
        '-selfsign',
        '-keyfile',
        file('key.pem'),
        '-in',
        file('req.csr'),
        '-out',
        file('cert.pem'),
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200102000000Z',
        '-notext',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(file('key.pem'), 'utf8'), cert: readFileSync(file('cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The environment that makes a Posthorn process trust this certificate, as a person adds a
 * private CA: the certificate (public) written into the data folder and named to Node.
 */
export function trustCertificateEnv(dataDir: string, certificate: TestCertificate): { NODE_EXTRA_CA_CERTS: string } {
  const caFile = path.join(dataDir, 'test-ca.pem');
  writeFileSync(caFile, certificate.cert);
  return { NODE_EXTRA_CA_CERTS: caFile };
}
