import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export type Format = 'txt' | 'json' | 'eml';

/**
 * Export with a preview of exactly what will be written; "safe to share" hides addresses, the login and (if asked)
 * host names.
 */
export function ExportPanel({
  outboxId,
  attemptId,
  initialFormat = 'txt',
  onClose,
}: {
  outboxId: string;
  attemptId: string;
  initialFormat?: Format;
  /** Close (the button, or Esc anywhere in the panel). */
  onClose: () => void;
}) {
  const api = useApi();
  const [format, setFormat] = useState<Format>(initialFormat);
  const [safe, setSafe] = useState(true);
  const [hideHosts, setHideHosts] = useState(false);
  const [file, setFile] = useState<{ fileName: string; mimeType: string; content: string } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [copied, setCopied] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const formatSelect = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    // Chromium 156 returns a Promise here; it must not become the effect's cleanup.
    void panel.current?.scrollIntoView({ block: 'nearest' });
    // Into the panel the person opened: Esc closes it at once, and the keyboard is where the choices are.
    formatSelect.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    let live = true;
    void api['logs.export']({
      outboxId,
      attemptId,
      format,
      safe: format !== 'eml' && safe,
      hideHosts: format !== 'eml' && safe && hideHosts,
    }).then((result) => {
      if (!live) return;
      if (!result.ok) return setError(result.error);
      setError(null);
      setFile(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, outboxId, attemptId, format, safe, hideHosts]);

  function save() {
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function copy() {
    if (!file) return;
    await navigator.clipboard.writeText(file.content);
    setCopied(true);
  }

  return (
    <section
      ref={panel}
      className="export-panel"
      aria-label="Export"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="form-actions">
        <label>
          Format{' '}
          <select ref={formatSelect} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="txt">Transcript (.txt)</option>
            <option value="json">Transcript (.json)</option>
            <option value="eml">Message (.eml)</option>
          </select>
        </label>
        {format !== 'eml' ? (
          <>
            <label className="check">
              <input type="checkbox" checked={safe} onChange={(e) => setSafe(e.target.checked)} /> Safe to share
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={hideHosts}
                disabled={!safe}
                onChange={(e) => setHideHosts(e.target.checked)}
              />{' '}
              Also hide host names
            </label>
          </>
        ) : null}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {file ? (
        <>
          <pre className="export-preview" aria-label={`Preview of ${file.fileName}`} tabIndex={0}>
            {file.content}
          </pre>
          <div className="form-actions">
            <button type="button" className="button primary" onClick={save}>
              Save {file.fileName}
            </button>
            <button type="button" className="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
