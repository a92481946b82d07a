import { useEffect, useRef } from 'react';
import type { ConnectionTest } from '../../../src-main/shared/schemas/accounts.ts';
import type { Capabilities } from '../../../src-main/shared/schemas/smtp.ts';
import { formatBytes } from '../../../src-main/shared/wording.ts';
import { VrfyAnswers } from '../../components/VrfyAnswers.tsx';
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
export function ConnectionTestResult({
  result,
  onTrust,
  onSignIn,
  stale = false,
  takeFocus = false,
}: {
  result: ConnectionTest;
  onTrust: () => void;
  /** The provider wants a sign-in instead of the password: switch to it and start. */
  onSignIn?: (offer: { provider: string; name: string }) => void;
  /** The settings changed since this test ran. */
  stale?: boolean;
  /** Move the focus to the verdict (after "Trust", whose button this result replaced). */
  takeFocus?: boolean;
}) {
  const verdict = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) verdict.current?.focus();
  }, [takeFocus, result]);
  return (
    <section className="test-result" aria-label="Connection test result" aria-live="polite">
      <div
        ref={verdict}
        tabIndex={-1}
        className={`notice ${result.ok ? 'notice-ok' : 'notice-error'}`}
        role={result.ok ? 'status' : 'alert'}
      >
        <strong className="notice-title">{result.verdict.title}</strong>
        {stale ? <p className="notice-hint">You changed the settings since this test: test again.</p> : null}
        <p>{result.verdict.explanation}</p>
        {result.verdict.fix ? <p className="notice-hint">{result.verdict.fix}</p> : null}
        {result.signIn && onSignIn ? (
          <div className="form-actions">
            <button type="button" className="button primary" onClick={() => result.signIn && onSignIn(result.signIn)}>
              Sign in with {result.signIn.name} instead
            </button>
          </div>
        ) : null}
        <p className="muted">Took {result.durationMs} ms.</p>
        {result.vrfy || result.expn ? (
          <VrfyAnswers answers={[...(result.vrfy ? [result.vrfy] : []), ...(result.expn ? [result.expn] : [])]} />
        ) : null}
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
