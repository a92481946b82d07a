import { createHttpApi } from './http-client.ts';
import type { PosthornApi } from './types.ts';

declare global {
  interface Window {
    /** Present inside Electron, exposed by the preload script. */
    posthorn?: PosthornApi;
  }
}

const TOKEN_KEY = 'posthorn.token';

/** A mailto: link the page was opened with (browser mode), read by the App when it starts. */
let pendingCompose: string | null = null;

export function startupCompose(): string | null {
  return pendingCompose;
}

/**
 * Browser mode hands the session token in the address's #fragment (never sent to a server);
 * it is kept for this tab only and removed from the address bar.
 */
function takeBrowserToken(): string | null {
  const compose = /(?:^#|&)compose=([^&]*)/.exec(window.location.hash);
  if (compose?.[1]) {
    try {
      pendingCompose = decodeURIComponent(compose[1]);
    } catch {
      pendingCompose = null;
    }
  }
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export type ApiChoice = { api: PosthornApi; transport: 'electron' | 'browser' } | { api: null; problem: string };

export function getApi(): ApiChoice {
  if (window.posthorn) return { api: window.posthorn, transport: 'electron' };
  const token = takeBrowserToken();
  if (!token)
    return { api: null, problem: 'Open Posthorn with the address it printed when it started (it ends with #token=…).' };
  return { api: createHttpApi(token), transport: 'browser' };
}

export type { PosthornApi } from './types.ts';
