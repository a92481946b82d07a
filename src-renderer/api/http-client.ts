import {
  channelNames as channels,
  eventNames,
  isEventNameLiteral as isEventName,
} from '../../src-main/shared/channel-names.ts';
import type { Channel, EventName } from '../../src-main/shared/contract.ts';
import type { AppError } from '../../src-main/shared/errors.ts';
import type { Result } from '../../src-main/shared/result.ts';
import { followEventStream } from './sse-reader.ts';
import type { PosthornApi } from './types.ts';

type Listener = (payload: unknown) => void;

/**
 * Browser mode: the same calls over HTTP to the loopback bridge. Events arrive through a
 * fetch-read SSE stream (not EventSource) so the token travels in a header, never a URL.
 */
export function createHttpApi(token: string, base = ''): PosthornApi {
  const listeners = new Map<EventName, Set<Listener>>(eventNames.map((name) => [name, new Set<Listener>()]));
  const headers = { Authorization: `Bearer ${token}` };

  async function call(channel: Channel, input: unknown): Promise<Result<unknown>> {
    try {
      const response = await fetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as Result<unknown>;
    } catch {
      const error: AppError = {
        code: 'INTERNAL',
        message: 'Posthorn is not running anymore.',
        hint: 'Start it again with npm run web, then reload this page.',
      };
      return { ok: false, error };
    }
  }

  const listen = () =>
    followEventStream(`${base}/api/events`, headers, ({ event, data }) => {
      if (!isEventName(event)) return;
      const payload: unknown = JSON.parse(data);
      for (const listener of listeners.get(event) ?? []) listener(payload);
    });

  let listening = false;
  const on = Object.fromEntries(
    eventNames.map((name) => [
      name,
      (listener: Listener) => {
        if (!listening) {
          listening = true;
          void listen();
        }
        listeners.get(name)?.add(listener);
        return () => listeners.get(name)?.delete(listener);
      },
    ]),
  );
  async function addFile(file: File): Promise<Result<unknown>> {
    try {
      const response = await fetch(`${base}/api/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': file.type || 'application/octet-stream' },
        body: file,
      });
      return (await response.json()) as Result<unknown>;
    } catch {
      const error: AppError = {
        code: 'INTERNAL',
        message: `"${file.name}" could not be handed to Posthorn.`,
        hint: 'Check that Posthorn is still running, then add the file again.',
      };
      return { ok: false, error };
    }
  }

  // The page's own file picker is used in the browser (see AttachmentList); there is no OS dialog to open.
  async function pickFiles(): Promise<Result<unknown>> {
    const error: AppError = {
      code: 'UNSUPPORTED',
      message: 'This window cannot open the file dialog.',
      hint: 'Drag the files onto the message, or use "Add files".',
    };
    return { ok: false, error };
  }

  const calls = Object.fromEntries(channels.map((channel) => [channel, (input: unknown) => call(channel, input)]));
  return { ...calls, addFile, pickFiles, on } as unknown as PosthornApi;
}
