import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import type { SignInState } from './use-sign-in.ts';

type Props = {
  providerName: string;
  state: SignInState;
  onStart: () => void;
  onCancel: () => void;
  /** What is already stored, said when no new sign-in is under way ("Signed in; kept in …"). */
  kept?: string | null;
  /** Why the stored sign-in cannot be used (another server, or the provider no longer accepts it). */
  again?: string | null;
};

/** The sign-in part of the Login settings: the button first, then what the browser is doing. */
export function SignInPanel({ providerName, state, onStart, onCancel, kept, again }: Props) {
  // The button that had the focus gives way to what the browser is doing: the focus goes there,
  // so keyboard users hear it and carry on from it (Open again, Cancel, then Test and Save).
  const said = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const before = useRef(state.step);
  useEffect(() => {
    if (state.step === 'waiting' || state.step === 'done') said.current?.focus();
    // Cancelled or refused while waiting: back to the button that started it.
    else if (before.current === 'waiting') button.current?.focus();
    before.current = state.step;
  }, [state.step]);
  if (state.step === 'waiting')
    return (
      <div ref={said} tabIndex={-1} className="notice notice-info sign-in" role="status">
        <p>
          <strong>Finish signing in on {providerName}’s page</strong> in the browser tab that opened. Posthorn waits
          here.
        </p>
        <div className="form-actions">
          <a className="button" href={state.url} target="_blank" rel="noopener noreferrer">
            Open the sign-in page again
          </a>
          <button type="button" className="button" onClick={onCancel}>
            Cancel sign-in
          </button>
        </div>
      </div>
    );
  if (state.step === 'done')
    return (
      <div ref={said} tabIndex={-1} className="notice notice-ok sign-in" role="status">
        <p>
          <strong>Signed in with {providerName}.</strong> Save the account to keep the sign-in; your password never
          reached Posthorn.
        </p>
      </div>
    );
  return (
    <div className="sign-in">
      {state.step === 'failed' ? <ErrorNotice error={state.error} title="The sign-in did not finish" /> : null}
      {again ? <p className="notice notice-warn">{again}</p> : null}
      <button
        ref={button}
        type="button"
        className="button primary"
        onClick={onStart}
        aria-disabled={state.step === 'starting'}
      >
        {state.step === 'starting' ? 'Opening the sign-in page…' : `Sign in with ${providerName}`}
      </button>
      <p className="field-help">
        {kept && !again
          ? kept
          : `Opens ${providerName}’s own sign-in page in your browser. Posthorn never sees your password; it keeps only the permission to send mail, in your system keychain.`}
      </p>
    </div>
  );
}
