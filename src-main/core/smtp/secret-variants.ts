/**
 * The disguises a hostile server can put a secret in, undone, for SecretScrubber. Two kinds:
 * bytes an encoded run decodes to (read as UTF-8, UTF-16LE and UTF-16BE), and whole-text
 * readings (lines joined, escapes decoded, reversed, rot13, separators dropped). None of this
 * changes what is shown: it only finds out whether a secret is in there.
 */

/** Hex pairs (a 0x in front is fine), and base64 or base64url runs. */
export const HEX_RUN = /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}){4,}(?![0-9a-fA-F])/g;
export const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

/** The texts some bytes could be, in the encodings a server might use. */
export function textsOfBytes(bytes: Buffer): string[] {
  const texts = [bytes.toString('utf8'), bytes.toString('utf16le')];
  if (bytes.length >= 2) {
    const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
    texts.push(even.swap16().toString('utf16le'));
  }
  return texts;
}

/** Base64 starting mid-group (glued to other letters): every alignment; Node reads base64url too. */
export function bytesOfBase64Run(run: string): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < 4 && run.length - offset >= 8; offset++)
    out.push(Buffer.from(run.slice(offset), 'base64'));
  return out;
}

const fromCode = (code: number) =>
  Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';

export const rot13 = (text: string) =>
  text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });

export const reversed = (text: string) => text.split('').reverse().join('');

/**
 * Readings of a text in which a secret split or escaped would show, each only where the text
 * could need it: a multi-line reply's lines joined without their reply codes; percent,
 * quoted-printable, HTML and backslash escapes decoded; separators (spaces, colons) dropped.
 * Encoded runs can form anew in each (base64 not in the separator-free one, where ordinary words
 * run together). Reversed and rot13 secrets are looked for in the text itself: SecretScrubber
 * turns the secrets instead of every text.
 */
export function readingsOf(text: string): { text: string; base64: boolean }[] {
  const readings: { text: string; base64: boolean }[] = [];
  if (text.includes('\n'))
    readings.push({
      text: text.replace(/(^|\r?\n)\d{3}[ -](?:[245]\.\d{1,3}\.\d{1,3} )?/g, '').replace(/\r?\n/g, ''),
      base64: true,
    });
  if (/[%=&\\]/.test(text))
    readings.push({
      text: text
        .replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => fromCode(parseInt(hex, 16)))
        .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => fromCode(parseInt(hex, 16)))
        .replace(/&#x([0-9a-fA-F]{1,6});/g, (_m, hex: string) => fromCode(parseInt(hex, 16)))
        .replace(/&#(\d{1,7});/g, (_m, dec: string) => fromCode(parseInt(dec, 10)))
        .replace(/\\u\{?([0-9a-fA-F]{4,6})\}?/g, (_m, hex: string) => fromCode(parseInt(hex, 16)))
        .replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => fromCode(parseInt(hex, 16))),
      base64: true,
    });
  // Spaced-out letters and colon-separated hex; dropping every space makes base64-like runs of
  // ordinary words, so no base64 is looked for here.
  if (/[\s:]/.test(text)) readings.push({ text: text.replace(/[\s:]/g, ''), base64: false });
  return readings;
}
