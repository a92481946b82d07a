import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import { useApi } from '../../api/api-context.tsx';

export type SignInState =
  | { step: 'idle' }
  | { step: 'starting' }
  /** The provider's page is open in the browser; `url` opens it again if the tab was blocked or closed. */
  | { step: 'waiting'; url: string }
  | { step: 'done'; signInId: string }
  | { step: 'failed'; error: AppError };

/**
 * "Sign in with …" (issue 20): the core starts the sign-in and answers with the provider's
 * page, which opens in a new tab (browser mode) or the system browser (desktop: window.open goes
 * to shell.openExternal); the core waits for the browser to come back and keeps the tokens. The
 * page only ever holds the sign-in's id, which a save or a test hands back.
 */
export function useSignIn() {
  const api = useApi();
  const [state, setState] = useState<SignInState>({ step: 'idle' });
  // A later start or a cancel makes an earlier sign-in's answers stale.
  const run = useRef(0);
  // The sign-in the core is waiting on (given up on Cancel, or when the form goes away).
  const waitingFor = useRef<string | null>(null);
  const starting = useRef(false);

  const giveUp = useCallback(() => {
    const signInId = waitingFor.current;
    waitingFor.current = null;
    if (signInId) void api['accounts.signInCancel']({ signInId });
  }, [api]);
  useEffect(() => {
    return giveUp;
  }, [giveUp]);

  // Reloading or closing the page while the provider's page is open would lose the sign-in: ask first.
  useEffect(() => {
    if (state.step !== 'waiting') return undefined;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [state.step]);

  async function start(provider: string, loginHint?: string): Promise<string | null> {
    if (starting.current) return null; // a second press while the first opens the page
    starting.current = true;
    giveUp();
    const mine = ++run.current;
    setState({ step: 'starting' });
    const started = await api['accounts.signInStart']({ provider, ...(loginHint ? { loginHint } : {}) });
    starting.current = false;
    if (mine !== run.current) {
      // Cancelled (or the form closed) while the page was being opened: the core gives it up too.
      if (started.ok) void api['accounts.signInCancel']({ signInId: started.value.signInId });
      return null;
    }
    if (!started.ok) {
      setState({ step: 'failed', error: started.error });
      return null;
    }
    const { signInId, url } = started.value;
    waitingFor.current = signInId;
    // noopener: the provider's page gets no handle on Posthorn's window.
    window.open(url, '_blank', 'noopener');
    setState({ step: 'waiting', url });
    const finished = await api['accounts.signInFinish']({ signInId });
    if (waitingFor.current === signInId) waitingFor.current = null;
    if (mine !== run.current) return null;
    if (!finished.ok) {
      setState({ step: 'failed', error: finished.error });
      return null;
    }
    setState({ step: 'done', signInId });
    return signInId;
  }

  function cancel() {
    run.current++;
    starting.current = false;
    giveUp();
    setState({ step: 'idle' });
  }

  return { state, start, cancel };
}
