import type { TranscriptLine } from '../../../src-main/shared/schemas/smtp.ts';
import { LockIcon } from '../../components/LockIcon.tsx';

const DIR_MARK: Record<TranscriptLine['dir'], { mark: string; spoken: string }> = {
  C: { mark: 'C', spoken: 'client' },
  S: { mark: 'S', spoken: 'server' },
  info: { mark: '·', spoken: 'info' },
  tls: { mark: '', spoken: 'TLS' },
  error: { mark: '!', spoken: 'error' },
};

/** "+12 ms"; the set-up of a reused connection happened before the attempt: "−3200 ms". */
function formatT(t: number): string {
  const size = Math.abs(t);
  return `${t < 0 ? '\u2212' : '+'}${size < 10 ? size.toFixed(1) : Math.round(size)} ms`;
}

/** The conversation, line by line: time, direction, text; lines inside TLS carry a lock. */
export function Transcript({
  lines,
  failingReply = null,
  onViewSource,
}: {
  lines: TranscriptLine[];
  failingReply?: string | null;
  onViewSource?: () => void;
}) {
  const tlsFrom = lines.findIndex((line) => line.dir === 'tls');
  // The server line that sank the attempt, highlighted (the last one that says it).
  const failingIndex = failingReply
    ? lines.findLastIndex((line) => line.dir === 'S' && line.text === failingReply.trim())
    : -1;
  return (
    <>
      <ol className="transcript" aria-label="SMTP transcript">
        {lines.map((line, index) => {
          const secure = tlsFrom >= 0 && index > tlsFrom;
          const look = DIR_MARK[line.dir];
          const redacted = line.text.includes('‹');
          // A refusal in an attempt that went on (a recipient refused, a message sent to the others).
          const refused = index !== failingIndex && line.dir === 'S' && /^[45]\d\d/.test(line.text);
          return (
            <li
              key={index}
              className={`line line-${line.dir}${redacted ? ' line-redacted' : ''}${index === failingIndex ? ' line-failing' : ''}${refused ? ' line-refused' : ''}`}
              aria-current={index === failingIndex ? 'true' : undefined}
            >
              <span className="t">{formatT(line.t)}</span>
              <span className="dir" title={look.spoken}>
                <span aria-hidden="true">{look.mark}</span>
                {line.dir === 'tls' || (secure && (line.dir === 'C' || line.dir === 'S')) ? <LockIcon /> : null}
                <span className="sr-only">
                  {secure && line.dir !== 'tls' ? `${look.spoken}, encrypted` : look.spoken}
                  {refused ? ', refused' : ''}
                </span>
              </span>
              <span className="text">
                {line.text}
                {onViewSource && line.dir === 'info' && /bytes encoded mime message/.test(line.text) ? (
                  <>
                    {' '}
                    <button type="button" className="button link inline" onClick={onViewSource}>
                      View message source
                    </button>
                  </>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}
