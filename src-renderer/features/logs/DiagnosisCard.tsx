import { diagnose } from '../../../src-main/shared/reply-codes.ts';

/** What the server's reply means and what to do, beside the line that said it. */
export function DiagnosisCard({ reply }: { reply: string }) {
  const d = diagnose(reply);
  if (!d || d.severity === 'ok') return null;
  return (
    <aside
      className={`notice ${d.severity === 'temporary' ? 'notice-warn' : 'notice-error'} diagnosis`}
      aria-label="What the server's reply means"
    >
      <strong className="notice-title">
        {d.title} <span className="mono">({reply.split(/\s/).slice(0, 2).join(' ')})</span>
      </strong>
      <p>{d.meaning}</p>
      {d.fix ? <p className="notice-hint">{d.fix}</p> : null}
    </aside>
  );
}
