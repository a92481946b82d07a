import type { DryRun } from '../../../src-main/shared/schemas/compose.ts';
import { formatBytes } from '../../../src-main/shared/wording.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { VrfyAnswers } from '../../components/VrfyAnswers.tsx';
import { TextDialog } from './SourceDialog.tsx';
import type { MessageSource } from './use-compose-actions.ts';

/** "Preview source": exactly what Send would queue. */
export function SourceDialog({ source, onClose }: { source: MessageSource; onClose: () => void }) {
  return (
    <TextDialog title="Message source" onClose={onClose}>
      <p className="muted">
        Exactly what Send would queue, except the Message-ID and Date, which are fixed when you send.{' '}
        {source.shownBytes < source.size
          ? `The first ${formatBytes(source.shownBytes)} of ${formatBytes(source.size)} are shown; the rest is attachment data.`
          : ''}
      </p>
      <pre className="source" tabIndex={0} aria-label="Message source">
        {source.source}
      </pre>
    </TextDialog>
  );
}

/** "Dry run": what the server said about each recipient, and the conversation. */
export function DryRunDialog({
  dryRun,
  onClose,
  onVrfy,
}: {
  dryRun: DryRun;
  onClose: () => void;
  /** Runs it again, asking about each recipient with VRFY too. */
  onVrfy?: () => void;
}) {
  return (
    <TextDialog title="Dry run: what the server said about each recipient" onClose={onClose}>
      {dryRun.error ? <ErrorNotice error={dryRun.error} title="The dry run stopped" /> : null}
      <ul className="dry-run">
        {dryRun.accepted.map((a) => (
          <li key={a} className="ok">
            <span aria-hidden="true">✓ </span>
            {a} would be accepted
          </li>
        ))}
        {dryRun.refused.map((r) => (
          <li key={r.address} className="refused">
            <span aria-hidden="true">✗ </span>
            {r.address} would be refused: {r.reply}
          </li>
        ))}
      </ul>
      {dryRun.vrfy.length > 0 ? (
        <VrfyAnswers answers={dryRun.vrfy} />
      ) : onVrfy && !dryRun.error ? (
        <p>
          <button type="button" className="button" onClick={onVrfy}>
            Also ask with VRFY
          </button>{' '}
          <span className="muted">Most servers will not say (252) or have VRFY turned off; RCPT above says more.</span>
        </p>
      ) : null}
      <pre className="source" tabIndex={0} aria-label="Transcript of the dry run">
        {dryRun.lines.map((l) => `${l.dir === 'C' ? 'C:' : l.dir === 'S' ? 'S:' : '  '} ${l.text}`).join('\n')}
      </pre>
      <p className="muted">Nothing was sent: Posthorn stopped after RCPT TO and reset the session.</p>
    </TextDialog>
  );
}
