import type { IncomingMessage } from 'node:http';

/**
 * Browser mode listens on loopback, but any web page the person visits can still try to
 * reach 127.0.0.1. So every API call must carry a session token (start-codes.ts), come from our own origin
 * (no cross-site Origin / Sec-Fetch-Site) and name our host (no DNS rebinding).
 */
export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function checkHostAndOrigin(req: IncomingMessage, port: number): GuardVerdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return { ok: false, status: 403, reason: 'Unknown host.' };
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''))) {
    return { ok: false, status: 403, reason: 'Requests from other origins are refused.' };
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { ok: false, status: 403, reason: 'Cross-site requests are refused.' };
  }
  return { ok: true };
}

export function checkToken(req: IncomingMessage, isSession: (token: string) => boolean): GuardVerdict {
  const header = req.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (presented === '' || !isSession(presented)) {
    return {
      ok: false,
      status: 401,
      reason: 'Missing or wrong session. Open the link Posthorn printed (press Enter in its terminal for a new one).',
    };
  }
  return { ok: true };
}
