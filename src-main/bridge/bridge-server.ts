import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core/create-core.ts';
import { isPageChannel } from '../shared/contract.ts';
import { AppFailure, appError } from '../shared/errors.ts';
import { createEventStream } from './event-stream.ts';
import { checkHostAndOrigin, checkToken } from './request-guard.ts';
import { StartCodes } from './start-codes.ts';
import { securityHeaders, serveStatic } from './static-files.ts';
import { saveUpload, type SavedUpload } from './upload.ts';

export const MAX_BODY_BYTES = 12 * 1024 * 1024;
const LOOPBACK = '127.0.0.1';

/** A slow request (headers and body) holds a socket at most this long, session or not. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Headers are a few hundred bytes: a connection that sends none is let go sooner. */
const HEADERS_TIMEOUT_MS = 10_000;
/** One person's browser tabs need a handful; more is someone else knocking. */
const MAX_CONNECTIONS = 64;

export type BridgeOptions = {
  core: Pick<Core, 'dispatch' | 'subscribe'>;
  staticDir: string;
  port?: number;
  /** The clock start codes expire by (tests). */
  now?: () => number;
  requestTimeoutMs?: number;
  maxConnections?: number;
  /** A browser traded a start code for a session: how many sessions there are now (the console says so). */
  onAdmitted?: (sessions: number) => void;
};

export type Bridge = {
  url: string;
  port: number;
  /** The address to open, with a new single-use start code (one minute, one browser). */
  newStartLink(): string;
  close(): Promise<void>;
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...securityHeaders(),
    // A refused caller gets no kept-alive socket to try again on.
    ...(status === 401 || status === 403 || status === 413 ? { Connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, reason: string): void {
  sendJson(res, status, { ok: false, error: appError('BAD_INPUT', reason) });
}

async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The page trades the start code from its address for a session token, once. */
async function admit(
  codes: StartCodes,
  onAdmitted: BridgeOptions['onAdmitted'],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // Anyone may knock here without a session: a code is 43 characters, so the body stays small.
  const body = await readBody(req, 1024);
  if (body === null) {
    sendJson(res, 413, { ok: false, error: appError('BAD_INPUT', 'The request is too large.') });
    req.destroy();
    return;
  }
  let code: unknown;
  try {
    code = (JSON.parse(body ?? '') as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  const redeemed = codes.redeem(typeof code === 'string' ? code : '');
  if (!redeemed.ok) return sendJson(res, 401, { ok: false, error: redeemed.error });
  onAdmitted?.(codes.sessionCount);
  sendJson(res, 200, { ok: true, value: { session: redeemed.session } });
}

/**
 * A file added in the browser (file picker or drag and drop), saved as it arrives and then
 * handed to the core by path, the way the desktop app hands it a chosen or dropped file.
 */
async function upload(core: BridgeOptions['core'], req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.searchParams.get('name') ?? 'attachment';
  const type = req.headers['content-type'] ?? 'application/octet-stream';
  let saved: SavedUpload;
  try {
    saved = await saveUpload(req, name);
  } catch (error) {
    if (error instanceof AppFailure) return sendJson(res, 200, { ok: false, error: error.error });
    throw error;
  }
  let added: Awaited<ReturnType<typeof core.dispatch<'attachments.addPaths'>>>;
  try {
    added = await core.dispatch('attachments.addPaths', { files: [{ path: saved.path, name, type }] });
  } finally {
    await saved.remove(); // before answering: nothing of the upload outlives the call
  }
  sendJson(res, 200, added.ok ? { ok: true, value: added.value[0] } : added);
}

/**
 * Browser mode: the very same dispatch as Electron's IPC, as `POST /api/<channel>` with a
 * JSON body, and core events as server-sent events on `GET /api/events`. Loopback only.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const codes = new StartCodes(options.now);
  const events = createEventStream(options.core);
  let port = 0;

  const timeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const server = createServer(
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default): checked often enough to hold.
    {
      requestTimeout: timeout,
      headersTimeout: Math.min(timeout, HEADERS_TIMEOUT_MS),
      connectionsCheckingInterval: Math.max(250, Math.min(timeout, HEADERS_TIMEOUT_MS) / 4),
    },
    (req, res) => {
      void handle(req, res).catch(() => {
        if (!res.headersSent) refuse(res, 500, 'Posthorn could not answer this request.');
        else res.end();
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostCheck = checkHostAndOrigin(req, port);
    if (!hostCheck.ok) return refuse(res, hostCheck.status, hostCheck.reason);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
      return serveStatic(options.staticDir, url.pathname, res);
    }
    if (url.pathname === '/api/session' && req.method === 'POST') return admit(codes, options.onAdmitted, req, res);
    const tokenCheck = checkToken(req, (presented) => codes.isSession(presented));
    if (!tokenCheck.ok) return refuse(res, tokenCheck.status, tokenCheck.reason);
    if (url.pathname === '/api/events' && req.method === 'GET') return events.open(res);
    if (req.method !== 'POST') return refuse(res, 405, 'Use POST for API calls.');
    if (url.pathname === '/api/upload') return upload(options.core, req, res, url);
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Connections beyond the cap are closed as they arrive.
  server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  const url = `http://${LOOPBACK}:${port}/`;

  return {
    url,
    port,
    newStartLink: () => `${url}#code=${codes.issue()}`,
    close: async () => {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
