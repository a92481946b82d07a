import { z } from 'zod';
import { addressProblem } from '../address-list.ts';

/**
 * The id of something Posthorn made (UUIDs): letters, digits, "-" and "_" only, so an id can
 * never be a path ("..", "/"), hold a NUL, or carry anything else into a query or a file name.
 */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'That is not an id Posthorn made.');

/** Milliseconds since 1970. */
export const timestamp = z.number().int().nonnegative();

/**
 * An address Posthorn can send from or to: the same loose rules as the composer's chips
 * (shared/address-list.ts), so `you@localhost` and `you@[192.0.2.1]` are allowed for local servers.
 */
export const emailAddress = (what: string) =>
  z
    .string()
    .trim()
    .max(320, `${what} is longer than 320 characters.`)
    .refine((value) => addressProblem(value) === null, {
      error: (issue) =>
        `${what} must be an email address, for example you@example.org ("${String(issue.input)}" ${addressProblem(String(issue.input))}).`,
    });

/** A recipient the server refused for good, with its words ("550 5.1.1 No such user"). */
export const refusalSchema = z.object({ address: z.string(), reply: z.string() });
export type Refusal = z.infer<typeof refusalSchema>;

/**
 * A file on this computer named by its full path (only the shells hand these in: from the OS
 * dialog, a drop, the OS opening a file, or an upload they saved). POSIX "/…", Windows "C:\…"
 * or "\\server\share\…"; no NUL, which would cut the path short.
 */
export const absolutePath = z
  .string()
  .max(4096, 'The path is longer than 4096 characters.')
  .refine((value) => !value.includes('\0'), 'A path cannot contain NUL.')
  .refine((value) => /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(value), 'Give the full path of the file.');
