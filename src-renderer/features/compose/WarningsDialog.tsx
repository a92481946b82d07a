import type { ComposeWarning, WarningFix } from '../../../src-main/shared/schemas/compose.ts';
import { useModal } from '../../components/use-modal.ts';

type Props = {
  warnings: ComposeWarning[];
  onSendAnyway: () => void;
  onBack: () => void;
  /** A warning's one-click fix ("Use gmail.com", "Add a subject"). */
  onFix: (fix: WarningFix) => void;
};

/** Pre-send warnings in a modal dialog (native <dialog>: focus is trapped, Esc goes back). */
export function WarningsDialog({ warnings, onSendAnyway, onBack, onFix }: Props) {
  const ref = useModal();
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="warnings-title"
      onCancel={(e) => {
        e.preventDefault();
        onBack();
      }}
    >
      <h2 id="warnings-title">Before this goes out</h2>
      <ul className="warnings">
        {warnings.map((w) => (
          <li key={w.code + w.message} className="warning">
            <strong>{w.message}</strong>
            <span className="muted">{w.hint}</span>
            {w.fix ? (
              <button type="button" className="button small warning-fix" onClick={() => w.fix && onFix(w.fix)}>
                {w.fix.label}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onBack} autoFocus>
          Go back and fix
        </button>
        <button type="button" className="button" onClick={onSendAnyway}>
          Send anyway
        </button>
      </div>
    </dialog>
  );
}
