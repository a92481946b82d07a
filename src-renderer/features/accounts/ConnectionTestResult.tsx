import type { ConnectionTest } from '../../../src-main/shared/schemas/accounts.ts';
import type { Capabilities } from '../../../src-main/shared/schemas/smtp.ts';
import { formatBytes } from '../../../src-main/shared/wording.ts';
import { Timeline } from '../logs/Timeline.tsx';
import { Transcript } from '../logs/Transcript.tsx';
import { CertificateCard } from './CertificateCard.tsx';

function chips(c: Capabilities): string[] {
  const out: string[] = [];
  if (c.size !== null) out.push(`SIZE ${formatBytes(c.size)}`);
  if (c.eightBitMime) out.push('8BITMIME');
  if (c.smtpUtf8) out.push('SMTPUTF8');
  if (c.pipelining) out.push('PIPELINING');
  if (c.dsn) out.push('DSN');
  if (c.enhancedStatusCodes) out.push('ENHANCEDSTATUSCODES');
  if (c.startTls) out.push('STARTTLS');
  for (const method of c.auth) out.push(`AUTH ${method}`);
  return out;
}

/** The answer to "Test": a verdict first, then what the server offers, its certificate, and the conversation. */
export function ConnectionTestResult({ result, onTrust }: { result: ConnectionTest; onTrust: () => void }) {
  return (
    <section className="test-result" aria-label="Connection test result" aria-live="polite">
      <div className={`notice ${result.ok ? 'notice-ok' : 'notice-error'}`} role={result.ok ? 'status' : 'alert'}>
        <strong className="notice-title">{result.verdict.title}</strong>
        <p>{result.verdict.explanation}</p>
        {result.verdict.fix ? <p className="notice-hint">{result.verdict.fix}</p> : null}
        <p className="muted">Took {result.durationMs} ms.</p>
      </div>
      {result.capabilities ? (
        <div>
          <h3>What the server offers</h3>
          <ul className="chips" aria-label="Server capabilities">
            {chips(result.capabilities).map((chip) => (
              <li key={chip} className="chip">
                {chip}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result.tls ? <CertificateCard tls={result.tls} onTrust={onTrust} /> : null}
      <details className="card transcript-box" open={!result.ok}>
        <summary>Transcript ({result.lines.length} lines)</summary>
        <Timeline lines={result.lines} failedPhase={result.ok ? null : result.phase} />
        <Transcript lines={result.lines} />
      </details>
    </section>
  );
}
