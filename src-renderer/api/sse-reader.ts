export type SseMessage = { event: string; data: string };

/** Splits a server-sent-events stream into messages (comments and keep-alives skipped). */
export function createSseParser(onMessage: (message: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.replace(/\r\n/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onMessage({ event, data: data.join('\n') });
      end = buffer.indexOf('\n\n');
    }
  };
}

/**
 * Reads the bridge's event stream for as long as the page lives, reconnecting 2 s after it
 * breaks (Posthorn restarted, the network blipped). Read with fetch, not EventSource, so the
 * token travels in a header, never in a URL.
 */
export async function followEventStream(
  url: string,
  headers: Record<string, string>,
  onMessage: (message: SseMessage) => void,
): Promise<never> {
  for (;;) {
    try {
      const response = await fetch(url, { headers });
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      const parse = createSseParser(onMessage);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
    } catch {
      // Try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
