import { ArrowLeft } from 'lucide-react';

/** Shown only in a narrow window, where the list and the message take turns (see .split in styles.css). */
export function BackToList({ onBack }: { onBack: () => void }) {
  return (
    <button type="button" className="button link back-to-list" onClick={onBack}>
      <ArrowLeft aria-hidden="true" size={16} /> Back to the list
    </button>
  );
}
