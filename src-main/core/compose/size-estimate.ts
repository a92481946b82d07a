import type { ComposedMessage } from './build-message.ts';

/** Bytes of base64 for `n` bytes of data, in lines of 76 characters plus CRLF. */
export function base64Size(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  return chars + Math.ceil(chars / 76) * 2;
}

/**
 * The size of the message once encoded, as a server's SIZE limit counts it: attachments in
 * base64, text and HTML as written (quoted-printable adds a little), headers a few KB.
 */
export function estimatedSize(message: ComposedMessage): number {
  const text = Buffer.byteLength(message.text) + Buffer.byteLength(message.html ?? '');
  const files = (message.attachments ?? []).reduce((sum, file) => sum + base64Size(file.size) + 300, 0);
  return 2048 + Math.ceil(text * 1.1) + files;
}
