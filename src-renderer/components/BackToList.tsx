import { ArrowLeft } from 'lucide-react';
import type { Ref } from 'react';

/** Shown only in a narrow window, where the list and the message take turns (see .split in styles.css). */
export function BackToList({ onBack, ref }: { onBack: () => void; ref?: Ref<HTMLButtonElement> }) {
  return (
    <button ref={ref} type="button" className="button link back-to-list" onClick={onBack}>
      <ArrowLeft aria-hidden="true" size={16} /> Back to the list
    </button>
  );
}
