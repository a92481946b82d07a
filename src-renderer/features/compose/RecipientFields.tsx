import { useRef, useState } from 'react';
import type { ComposeState } from './compose-state.ts';
import { RecipientField } from './RecipientField.tsx';

type Lists = Pick<ComposeState, 'to' | 'cc' | 'bcc'>;

type Props = {
  state: Lists;
  onChange: (patch: Partial<Lists>) => void;
  /** What is typed but not yet a chip, per list. */
  onTyping: (patch: Partial<Lists>) => void;
  errors: Record<string, string>;
  /** Cc and Bcc shown from the start (a draft that has them). */
  startOpen: boolean;
  autoFocus: boolean;
};

/** To, and Cc and Bcc once asked for ("Add Cc or Bcc" moves the focus into Cc). */
export function RecipientFields({ state, onChange, onTyping, errors, startOpen, autoFocus }: Props) {
  const [showCopies, setShowCopies] = useState(startOpen);
  const copies = useRef<HTMLDivElement>(null);
  const open = () => {
    setShowCopies(true);
    // After the fields exist: the focus goes to Cc, where the person meant to type.
    requestAnimationFrame(() => {
      copies.current?.querySelector('input')?.focus();
    });
  };
  return (
    <>
      <RecipientField
        label="To"
        value={state.to}
        onChange={(to) => onChange({ to })}
        onTyping={(to) => onTyping({ to })}
        error={errors.to}
        autoFocus={autoFocus}
      />
      {showCopies ? (
        <div ref={copies} className="recipient-copies">
          <RecipientField
            label="Cc"
            value={state.cc}
            onChange={(cc) => onChange({ cc })}
            onTyping={(cc) => onTyping({ cc })}
            error={errors.cc}
          />
          <RecipientField
            label="Bcc"
            value={state.bcc}
            onChange={(bcc) => onChange({ bcc })}
            onTyping={(bcc) => onTyping({ bcc })}
            error={errors.bcc}
          />
        </div>
      ) : (
        <button type="button" className="link-button" onClick={open}>
          Add Cc or Bcc
        </button>
      )}
    </>
  );
}
