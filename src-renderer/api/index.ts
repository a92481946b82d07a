import { createHttpApi } from './http-client.ts';
import type { PosthornApi } from './types.ts';

declare global {
  interface Window {
    /** Present inside Electron, exposed by the preload script. */
    posthorn?: PosthornApi;
  }
}

/** The tab's session (per origin, so per port, and per tab): a reload keeps working, another tab needs a link. */
const SESSION_KEY = 'posthorn.session';

/** A mailto: link the page was opened with (browser mode), read by the App when it starts. */
let pendingCompose: string | null = null;

export function startupCompose(): string | null {
  return pendingCompose;
}

export type ApiChoice = { api: PosthornApi; transport: 'electron' | 'browser' } | { api: null; problem: string };

const NO_LINK =
  'Open Posthorn with the link it printed when it started. A link works once, within a minute: press Enter in the terminal where Posthorn runs for a new one.';

/** Trades the start link's one-time code for this tab's session (issue 19); the answer says why not. */
async function redeem(code: string): Promise<{ session: string } | { problem: string }> {
  try {
    const response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const answer = (await response.json()) as {
      ok: boolean;
      value?: { session: string };
      error?: { message: string; hint?: string };
    };
    if (answer.ok && answer.value) return { session: answer.value.session };
    return { problem: [answer.error?.message, answer.error?.hint].filter(Boolean).join(' ') || NO_LINK };
  } catch {
    return { problem: 'Posthorn is not running. Start it again with npm run web and open the link it prints.' };
  }
}

/**
 * Browser mode's address carries a one-time start code in its #fragment (never sent to a
 * server by the browser); it leaves the address bar at once, whatever happens next, and is
 * traded for a session kept for this tab only.
 */
async function browserSession(): Promise<{ session: string } | { problem: string }> {
  const hash = window.location.hash;
  const compose = /(?:^#|&)compose=([^&]*)/.exec(hash);
  if (compose?.[1]) {
    try {
      pendingCompose = decodeURIComponent(compose[1]);
    } catch {
      pendingCompose = null;
    }
  }
  const code = /(?:^#|&)code=([A-Za-z0-9_-]+)/.exec(hash)?.[1];
  if (hash !== '') history.replaceState(null, '', window.location.pathname + window.location.search);
  const kept = sessionStorage.getItem(SESSION_KEY);
  if (!code) return kept ? { session: kept } : { problem: NO_LINK };
  const redeemed = await redeem(code);
  if ('session' in redeemed) sessionStorage.setItem(SESSION_KEY, redeemed.session);
  // A refused code is said even in a tab that has a session: someone else may have used it.
  return redeemed;
}

export async function getApi(): Promise<ApiChoice> {
  if (window.posthorn) return { api: window.posthorn, transport: 'electron' };
  const session = await browserSession();
  if ('problem' in session) return { api: null, problem: session.problem };
  return { api: createHttpApi(session.session), transport: 'browser' };
}

export type { PosthornApi } from './types.ts';
