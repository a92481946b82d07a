import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppFailure, appError } from '../../shared/errors.ts';

/** How long the person has to sign in in the browser before Posthorn stops waiting. */
export const SIGN_IN_WAIT_MS = 5 * 60_000;

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body></html>`;

export type LoopbackRedirect = {
  /** http://127.0.0.1:<port>/callback, a port chosen by the system for this sign-in only (RFC 8252 §7.3). */
  redirectUri: string;
  /** The redirect's query, once the browser comes back; rejects when the wait ends. */
  result: Promise<URLSearchParams>;
  close(): Promise<void>;
};

const sameState = (given: string | null, expected: string) =>
  given !== null &&
  Buffer.byteLength(given) === Buffer.byteLength(expected) &&
  timingSafeEqual(Buffer.from(given), Buffer.from(expected));

/**
 * A one-shot listener on 127.0.0.1 for the provider's redirect after sign-in. It takes the first
 * request to /callback that carries this sign-in's `state`, answers the browser with a page that
 * says the tab can be closed, and closes. A request with another state (a stray or forged one,
 * from any program on this computer) is answered 400 and changes nothing: it cannot end the
 * sign-in under way. Other paths get 404; nothing else is ever served.
 */
export async function openLoopbackRedirect(state: string, waitMs = SIGN_IN_WAIT_MS): Promise<LoopbackRedirect> {
  let settle: { resolve(params: URLSearchParams): void; reject(error: unknown): void } | null = null;
  const result = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => {}); // the caller may close before it awaits
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.');
      return;
    }
    if (!sameState(url.searchParams.get('state'), state)) {
      res
        .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
        .end('This does not belong to the sign-in under way in Posthorn.');
      return;
    }
    const failed = url.searchParams.has('error');
    res
      .writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        Connection: 'close',
      })
      .end(
        failed
          ? PAGE('Sign-in did not finish', 'You can close this tab. Posthorn says what happened.')
          : PAGE('Signed in', 'You can close this tab and go back to Posthorn.'),
      );
    settle?.resolve(url.searchParams);
    void close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new AppFailure(
          appError(
            'SIGN_IN',
            `Posthorn could not wait for the sign-in on this computer (${(error as Error).message}).`,
            'Try again; if it keeps failing, another program may be blocking local connections.',
          ),
        ),
      ),
    );
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(
    () =>
      settle?.reject(
        new AppFailure(
          appError(
            'SIGN_IN',
            'The sign-in was not finished in the browser within 5 minutes.',
            'Choose "Sign in" again and finish it in the browser tab that opens.',
          ),
        ),
      ),
    waitMs,
  );
  let closed: Promise<void> | null = null;
  const close = () => {
    clearTimeout(timer);
    closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return closed;
  };
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}/callback`, result, close };
}
