import { useRef, useState } from 'react';
import { connectionSummary } from '../../../src-main/shared/connection-summary.ts';
import type { Attempt } from '../../../src-main/shared/schemas/outbox.ts';
import type { SmtpPhase } from '../../../src-main/shared/schemas/smtp.ts';
import { useApi } from '../../api/api-context.tsx';
import { useQuery } from '../../api/use-query.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { loadOnDemand } from '../../components/load-on-demand.tsx';
import { DiagnosisCard } from './DiagnosisCard.tsx';
import type { Format } from './ExportPanel.tsx';
import { Timeline } from './Timeline.tsx';
import { Transcript } from './Transcript.tsx';

// Export (its preview, the safe-to-share options) is opened by few people and rarely: it loads
// when first opened, so the first view does not carry it (issue 22).
const ExportPanel = loadOnDemand(() => import('./ExportPanel.tsx').then((m) => m.ExportPanel), 'Export');

const OUTCOME = { sent: 'Sent', failed: 'Failed', deferred: 'Will retry', uncertain: 'Uncertain' } as const;

export function AttemptCard({
  attempt,
  number,
  open,
  onToggle,
}: {
  attempt: Attempt;
  number: number;
  open: boolean;
  onToggle: () => void;
}) {
  const started = new Date(attempt.startedAt).toLocaleString();
  const panelId = `attempt-${attempt.id}`;
  const [exporting, setExporting] = useState<Format | null>(null);
  const exportButton = useRef<HTMLButtonElement>(null);
  const closeExport = () => {
    setExporting(null);
    exportButton.current?.focus();
  };
  return (
    <div className="attempt card">
      <button type="button" className="attempt-head" aria-expanded={open} aria-controls={panelId} onClick={onToggle}>
        <span className="attempt-title">
          Attempt {number} · {attempt.outcome ? OUTCOME[attempt.outcome] : 'In progress'}
        </span>
        <span className="muted">
          {started}
          {attempt.response ? ` · ${attempt.response.split('\n')[0]}` : ''}
        </span>
      </button>
      {open ? (
        <div id={panelId}>
          {attempt.facts ? (
            <p
              className="facts mono"
              title={
                attempt.facts.tls
                  ? `Issuer ${attempt.facts.tls.issuer} · valid ${attempt.facts.tls.validFrom} to ${attempt.facts.tls.validTo} · SHA-256 ${attempt.facts.tls.fingerprint256}`
                  : undefined
              }
            >
              {connectionSummary(attempt.facts)}
            </p>
          ) : null}
          {attempt.outcome && attempt.outcome !== 'sent' && attempt.response ? (
            <DiagnosisCard reply={attempt.response} error={attempt.error} />
          ) : null}
          <div className="attempt-tools">
            <button
              ref={exportButton}
              type="button"
              className="button"
              aria-expanded={exporting !== null}
              onClick={() => setExporting((e) => (e ? null : 'txt'))}
              // Esc before the panel has loaded (and taken the focus) closes it too.
              onKeyDown={(event) => {
                if (event.key === 'Escape' && exporting) closeExport();
              }}
            >
              Export…
            </button>
          </div>
          {exporting ? (
            <ExportPanel
              key={exporting}
              outboxId={attempt.outboxId}
              attemptId={attempt.id}
              initialFormat={exporting}
              onClose={closeExport}
            />
          ) : null}
          <TranscriptLoader
            onViewSource={() => setExporting('eml')}
            attemptId={attempt.id}
            revision={attempt.endedAt ?? 0}
            failedPhase={attempt.outcome && attempt.outcome !== 'sent' ? attempt.phase : null}
            failingReply={attempt.outcome && attempt.outcome !== 'sent' ? attempt.response : null}
          />
        </div>
      ) : null}
    </div>
  );
}

/** `revision` changes when the attempt ends, so a transcript opened mid-attempt is fetched again. */
function TranscriptLoader({
  attemptId,
  revision,
  failedPhase,
  failingReply,
  onViewSource,
}: {
  attemptId: string;
  revision: number;
  failedPhase: SmtpPhase | null;
  failingReply: string | null;
  onViewSource: () => void;
}) {
  const api = useApi();
  const lines = useQuery(`transcript:${attemptId}:${revision}`, () => api['attempts.transcript']({ attemptId }));
  if (lines.error) return <ErrorNotice error={lines.error} />;
  if (!lines.data) return <p className="muted">Loading transcript…</p>;
  return (
    <>
      <Timeline lines={lines.data} failedPhase={failedPhase} />
      <Transcript lines={lines.data} failingReply={failingReply} onViewSource={onViewSource} />
    </>
  );
}
