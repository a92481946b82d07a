import type { ConnectionTest } from '../../../src-main/shared/schemas/accounts.ts';
import { LockIcon } from '../../components/LockIcon.tsx';

type Tls = NonNullable<ConnectionTest['tls']>;

const date = (text: string) => {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString().slice(0, 10);
};

/** The TLS session and the certificate the server showed, and whether Posthorn trusts it. */
export function CertificateCard({ tls, onTrust }: { tls: Tls; onTrust?: () => void }) {
  const cert = tls.certificate;
  const status = tls.pinned
    ? 'Trusted for this account (pinned)'
    : tls.trusted
      ? 'Trusted (verified by your system)'
      : `Not trusted: ${tls.problem ?? 'unknown reason'}`;
  return (
    <section className={`card tls-card${tls.trusted ? '' : ' untrusted'}`} aria-label="TLS and certificate">
      <h3 className="card-title">
        <LockIcon /> {(tls.protocol ?? 'TLS').replace('TLSv', 'TLS ')} {tls.cipher ? `· ${tls.cipher}` : ''}
      </h3>
      <p className={tls.trusted ? 'ok-text' : 'danger-text'}>{status}</p>
      {cert ? (
        <dl className="summary">
          <dt>Subject</dt>
          <dd>{cert.subject}</dd>
          <dt>Issuer</dt>
          <dd>{cert.issuer}</dd>
          <dt>Valid</dt>
          <dd>
            {date(cert.validFrom)} to {date(cert.validTo)}
          </dd>
          {cert.altNames ? (
            <>
              <dt>Names</dt>
              <dd>{cert.altNames}</dd>
            </>
          ) : null}
          <dt>SHA-256</dt>
          <dd className="mono fingerprint">{cert.fingerprint256}</dd>
        </dl>
      ) : null}
      {!tls.trusted && cert && onTrust ? (
        <div className="trust-box">
          <p>
            Only trust it if you know this server uses its own certificate and the fingerprint above matches the one
            your administrator gave you. A different certificate will be refused again.
          </p>
          <button type="button" className="button" onClick={onTrust}>
            Trust this certificate for this account
          </button>
        </div>
      ) : null}
    </section>
  );
}
