import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core/create-core.ts';
import { isPageChannel } from '../shared/contract.ts';
import { AppFailure, appError } from '../shared/errors.ts';
import { createEventStream } from './event-stream.ts';
import { checkHostAndOrigin, checkToken } from './request-guard.ts';
import { securityHeaders, serveStatic } from './static-files.ts';
import { saveUpload, type SavedUpload } from './upload.ts';

export const MAX_BODY_BYTES = 12 * 1024 * 1024;
const LOOPBACK = '127.0.0.1';

export type BridgeOptions = {
  core: Pick<Core, 'dispatch' | 'subscribe'>;
  staticDir: string;
  port?: number;
  token?: string;
};

export type Bridge = { url: string; port: number; token: string; close(): Promise<void> };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...securityHeaders(),
  });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, reason: string): void {
  sendJson(res, status, { ok: false, error: appError('BAD_INPUT', reason) });
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Browser mode: the very same dispatch as Electron's IPC, as `POST /api/<channel>` with a
 * JSON body, and core events as server-sent events on `GET /api/events`. Loopback only.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const events = createEventStream(options.core);
  let port = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'Posthorn could not answer this request.');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostCheck = checkHostAndOrigin(req, port);
    if (!hostCheck.ok) return refuse(res, hostCheck.status, hostCheck.reason);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
      return serveStatic(options.staticDir, url.pathname, res);
    }
    const tokenCheck = checkToken(req, token);
    if (!tokenCheck.ok) return refuse(res, tokenCheck.status, tokenCheck.reason);
    if (url.pathname === '/api/events' && req.method === 'GET') return events.open(res);
    if (req.method !== 'POST') return refuse(res, 405, 'Use POST for API calls.');
    if (url.pathname === '/api/upload') return upload(req, res, url);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return refuse(res, 415, 'API calls must send JSON.');
    let channel: string;
    try {
      channel = decodeURIComponent(url.pathname.slice('/api/'.length));
    } catch {
      return refuse(res, 400, 'The address of this call is not valid.');
    }
    const body = await readBody(req);
    if (body === null)
      return sendJson(res, 413, { ok: false, error: appError('BAD_INPUT', 'The request is too large.') });
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      return sendJson(res, 400, { ok: false, error: appError('BAD_INPUT', 'The request body is not valid JSON.') });
    }
    // Calls that name files by path are the shells' own; the page cannot make them (contract.ts).
    if (!isPageChannel(channel))
      return sendJson(res, 404, { ok: false, error: appError('BAD_INPUT', `Unknown call "${channel.slice(0, 80)}".`) });
    const result = await options.core.dispatch(channel, input);
    sendJson(res, 200, result);
  }

  /**
   * A file added in the browser (file picker or drag and drop), saved as it arrives and then
   * handed to the core by path, the way the desktop app hands it a chosen or dropped file.
   */
  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name') ?? 'attachment';
    const type = req.headers['content-type'] ?? 'application/octet-stream';
    let saved: SavedUpload;
    try {
      saved = await saveUpload(req, name);
    } catch (error) {
      if (error instanceof AppFailure) return sendJson(res, 200, { ok: false, error: error.error });
      throw error;
    }
    let added: Awaited<ReturnType<typeof options.core.dispatch<'attachments.addPaths'>>>;
    try {
      added = await options.core.dispatch('attachments.addPaths', { files: [{ path: saved.path, name, type }] });
    } finally {
      await saved.remove(); // before answering: nothing of the upload outlives the call
    }
    sendJson(res, 200, added.ok ? { ok: true, value: added.value[0] } : added);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    token,
    close: async () => {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
