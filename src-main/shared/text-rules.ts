import { z } from 'zod';

/** CR, LF and NUL in a header value could start a new header or SMTP command. */
const HEADER_BREAKERS = /[\r\n\0]/;

export function singleLine(field: string, max: number) {
  return z
    .string()
    .max(max, `${field} is longer than ${max} characters.`)
    .refine((value) => !HEADER_BREAKERS.test(value), `${field} can't contain line breaks.`);
}
