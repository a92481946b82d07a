import { useEffect, useRef } from 'react';

/**
 * Asked when Save meets a failed test: keeping settings that do not work is allowed (the
 * server may be down just now) but never silent. Focus moves here so the question is read.
 */
export function SaveAnywayQuestion({
  verdict,
  onSaveAnyway,
  onKeepEditing,
}: {
  verdict: string;
  onSaveAnyway: () => void;
  onKeepEditing: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div ref={ref} className="notice notice-warn save-anyway" role="alert" tabIndex={-1}>
      <p>
        <strong className="notice-title">Not saved: the test failed ({verdict}).</strong>
      </p>
      <p>Mail from this account will fail until its settings work. Fix them and save again, or keep them anyway.</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={onSaveAnyway}>
          Save anyway
        </button>
        <button type="button" className="button" onClick={onKeepEditing}>
          Keep editing
        </button>
      </div>
    </div>
  );
}
