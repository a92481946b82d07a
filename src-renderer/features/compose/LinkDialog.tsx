import { useId, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { useModal } from '../../components/use-modal.ts';

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
  // "https://https://example.com" parses, with a host called "https": never what was meant.
  if (/^https?:\/\/(https?|mailto)(:|\/|$)/i.test(href))
    return 'The address names its scheme twice. Keep one "https://" at the start.';
  return null;
}

/**
 * What the person typed or pasted, as the link they meant: "example.com/a" is a web address,
 * "ada@example.com" a mail address, and a scheme typed after one already there is said once.
 */
export function linkFromInput(raw: string): string {
  let value = raw.trim();
  const doubled = /^(?:https?:\/\/)+((?:https?:\/\/|mailto:).*)$/i.exec(value);
  if (doubled?.[1]) value = doubled[1];
  if (value === '' || /^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) return `mailto:${value}`;
  if (/^(www\.|[^\s/@]+\.[a-z]{2,}(?:[/:?#]|$))/i.test(value)) return `https://${value}`;
  return value;
}

/**
 * Adding or changing a link: a native modal dialog (focus stays in it, Esc cancels), with the
 * address checked before it goes into the text. Replaces window.prompt, which Electron does
 * not offer at all.
 */
export function LinkDialog({ current, onApply, onRemove, onClose }: Props) {
  const ref = useModal();
  const id = useId();
  // Empty, not "https://": a pasted full address would land after it (issue 18). The scheme is
  // added when the person leaves it out (linkFromInput).
  const [href, setHref] = useState(current ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    // React passes events up its own tree, through the portal: the message's form must not see this one.
    event.stopPropagation();
    const value = linkFromInput(href);
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
            placeholder="https://example.com"
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
