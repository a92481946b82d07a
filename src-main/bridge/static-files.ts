import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';

export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * Serves the built renderer from `root` (relative to the working folder, or absolute). A path
 * without a file extension is a page of the one-page app and gets index.html; a missing asset
 * is 404. Nothing outside root is ever read.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const base = path.resolve(root);
  const file = fileFor(base, urlPath);
  if (file === null) return answer(res, 404, 'text/plain; charset=utf-8', 'Not found.');
  try {
    return answer(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', await readFile(file));
  } catch {
    if (path.extname(file) !== '' && file !== path.join(base, 'index.html'))
      return answer(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    try {
      return answer(res, 200, TYPES['.html']!, await readFile(path.join(base, 'index.html')));
    } catch {
      return answer(
        res,
        500,
        'text/plain; charset=utf-8',
        'The Posthorn interface has not been built. Run: npm run build',
      );
    }
  }
}

/** The file a URL path names inside `base`, index.html for the app's own pages, null for anything outside. */
export function fileFor(base: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(base, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file === base || path.extname(file) === '') return path.join(base, 'index.html');
  return file.startsWith(base + path.sep) ? file : null;
}

function answer(res: ServerResponse, status: number, type: string, body: Buffer | string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...securityHeaders() });
  res.end(body);
}
