import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';

type Props = {
  /** The link at the cursor, if there is one (then it can also be removed). */
  current: string | null;
  onApply: (href: string) => void;
  onRemove: () => void;
  onClose: () => void;
};

/** Links go out only as web or mail addresses; the core's sanitiser says the same again. */
export function linkProblem(href: string): string | null {
  if (!/^(https?:\/\/[^\s/$.?#][^\s]*|mailto:[^\s@]+@[^\s@]+)$/i.test(href))
    return 'Use a web address (https://…) or a mail address (mailto:name@example.com).';
  return null;
}

/**
 * Adding or changing a link: a native modal dialog (focus stays in it, Esc cancels), with the
 * address checked before it goes into the text. Replaces window.prompt, which Electron does
 * not offer at all.
 */
export function LinkDialog({ current, onApply, onRemove, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [href, setHref] = useState(current ?? 'https://');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    // React passes events up its own tree, through the portal: the message's form must not see this one.
    event.stopPropagation();
    const value = href.trim();
    const wrong = linkProblem(value);
    if (wrong) {
      setProblem(wrong);
      return;
    }
    onApply(value);
  };

  // In document.body: a <form> may not sit inside the message's own <form>.
  return createPortal(
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={apply} noValidate>
        <h2 id={`${id}-title`}>{current ? 'Change link' : 'Add link'}</h2>
        <div className={`field${problem ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-href`}>Link address</label>
          <input
            id={`${id}-href`}
            type="url"
            value={href}
            autoFocus
            onChange={(e) => {
              setHref(e.target.value);
              setProblem(null);
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
          {problem ? (
            <p className="field-error" id={`${id}-problem`}>
              {problem}
            </p>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary">
            {current ? 'Change link' : 'Add link'}
          </button>
          {current ? (
            <button type="button" className="button" onClick={onRemove}>
              Remove link
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
