import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { fileFor, securityHeaders, TYPES } from '../bridge/static-files.ts';

/**
 * The desktop window loads the interface from app://posthorn/, served here with the CSP as a
 * real response header (frame-ancestors included, which a meta tag cannot carry). Electron
 * may not apply webRequest's response headers to file:// pages, so file:// had only the meta
 * CSP (issue 19). A standard, secure scheme gives the page its own origin: no file:// page
 * or folder beside the renderer can pass for it.
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://posthorn';
/** The prefix every page of ours starts with; it ends with "/", so app://posthorn.evil is not ours. */
export const APP_URL_PREFIX = `${APP_ORIGIN}/`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Before the app is ready: the scheme behaves like https (origin, fetch, storage). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const notFound = () =>
  new Response('Not found.', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() },
  });

/** One request for app://…: a file of the built renderer, or 404; nothing outside its folder, no other host. */
export async function serveAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'posthorn' || request.method !== 'GET') return notFound();
  const base = path.resolve(rendererDir);
  const file = fileFor(base, url.pathname);
  if (file === null) return notFound();
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...securityHeaders(),
      },
    });
  } catch {
    return notFound();
  }
}

/** Once the app is ready: app://posthorn/ serves the renderer. */
export function handleAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
}
