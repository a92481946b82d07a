import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';

const TYPES: Record<string, string> = {
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

/** Serves the built renderer; unknown paths get index.html (one-page app), never files outside root. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const relative = path.normalize(decoded).replace(/^([/\\])+/, '');
  let file = path.join(root, relative);
  if (!file.startsWith(path.resolve(root)) || relative === '' || relative.endsWith(path.sep))
    file = path.join(root, 'index.html');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    file = path.join(root, 'index.html');
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() });
      res.end('The Posthorn interface has not been built. Run: npm run build');
      return;
    }
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...securityHeaders() });
  res.end(body);
}
