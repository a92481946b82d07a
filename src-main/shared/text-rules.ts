import { z } from 'zod';

/** CR, LF and NUL in a header value could start a new header or SMTP command. */
const HEADER_BREAKERS = /[\r\n\0]/;

export function singleLine(field: string, max: number) {
  return z
    .string()
    .max(max, `${field} is longer than ${max} characters.`)
    .refine((value) => !HEADER_BREAKERS.test(value), `${field} can't contain line breaks.`);
}

/**
 * Text that came from outside (a server's reply) shortened to `max` characters, saying how
 * much was left out, so a hostile or broken server cannot fill the store or the screen.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)} … (${(text.length - max).toLocaleString('en')} more characters not kept)`;
}
