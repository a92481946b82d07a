import type { ServerResponse } from 'node:http';
import type { Core } from '../core/create-core.ts';
import { securityHeaders } from './static-files.ts';

/** A comment line every 15 s keeps proxies and the browser from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/**
 * The core's events as server-sent events to every open `GET /api/events` (the page reads it
 * with fetch, so the token stays in a header). Each event is one `event:` + `data:` frame.
 */
export function createEventStream(core: Pick<Core, 'subscribe'>): { open(res: ServerResponse): void; close(): void } {
  const clients = new Set<ServerResponse>();
  const unsubscribe = core.subscribe((event) => {
    const frame = `event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`;
    for (const client of clients) client.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    open: (res) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        ...securityHeaders(),
      });
      res.write(': connected\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },
    close: () => {
      clearInterval(heartbeat);
      unsubscribe();
      for (const client of clients) client.end();
    },
  };
}
