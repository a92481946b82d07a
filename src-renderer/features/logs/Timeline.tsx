import type { SmtpPhase, TranscriptLine } from '../../../src-main/shared/schemas/smtp.ts';
import { phasesOf, type TimelinePhase } from '../../../src-main/shared/transcript-phases.ts';

const LABEL: Record<TimelinePhase, string> = {
  dns: 'DNS',
  connect: 'connect',
  greeting: 'greeting',
  ehlo: 'EHLO',
  starttls: 'TLS',
  auth: 'AUTH',
  mail: 'MAIL',
  rcpt: 'RCPT',
  data: 'DATA',
  'final-reply': 'reply',
  quit: 'QUIT',
  done: 'done',
};

const ms = (value: number) => (value < 10 ? value.toFixed(1) : String(Math.round(value)));

/** The phases of an attempt as bars proportional to their time; the phase that failed is marked. */
export function Timeline({ lines, failedPhase }: { lines: readonly TranscriptLine[]; failedPhase: SmtpPhase | null }) {
  const { spans, reused } = phasesOf(lines);
  if (spans.length === 0) return null;
  const total = Math.max(...spans.map((s) => s.end), 1);
  return (
    <figure className="timeline" aria-label="Timeline of this attempt">
      <div className="timeline-bars" aria-hidden="true">
        {spans.map((span) => (
          <span
            key={span.phase}
            className={`bar bar-${span.phase}${span.phase === failedPhase ? ' bar-failed' : ''}`}
            style={{
              left: `${(span.start / total) * 100}%`,
              width: `max(3px, ${((span.end - span.start) / total) * 100}%)`,
            }}
          />
        ))}
      </div>
      <figcaption>
        <ol className="timeline-legend">
          {reused ? <li className="muted">reused connection</li> : null}
          {spans.map((span) => (
            <li key={span.phase} className={span.phase === failedPhase ? 'failed' : undefined}>
              <span className={`swatch bar-${span.phase}`} aria-hidden="true" />
              {LABEL[span.phase]} {ms(span.end - span.start)} ms{span.phase === failedPhase ? ' · failed here' : ''}
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
