import { useModal } from '../../components/use-modal.ts';
import { lossWording, type FormattingLoss } from './formatting-summary.ts';

type Props = { loss: FormattingLoss; onSwitch: () => void; onKeep: () => void };

/** Asked before plain text throws formatting away: never silently (issue 18). */
export function PlainTextDialog({ loss, onSwitch, onKeep }: Props) {
  const ref = useModal();
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="plain-text-title"
      onCancel={(e) => {
        e.preventDefault();
        onKeep();
      }}
    >
      <h2 id="plain-text-title">Switch to plain text?</h2>
      <ul className="warnings">
        {lossWording(loss).map((line) => (
          <li key={line} className="warning">
            {line}
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={onKeep} autoFocus>
          Keep formatting
        </button>
        <button type="button" className="button" onClick={onSwitch}>
          Switch to plain text
        </button>
      </div>
    </dialog>
  );
}
