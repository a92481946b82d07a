import { z } from 'zod';

/**
 * Errors cross every boundary as plain values: Electron's IPC keeps only an Error's message,
 * and the renderer needs the code to decide what to show, so nothing here is a class.
 */
export const errorCodes = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_LOCKED',
  'KEYCHAIN_FAILED',
  // A saved password or token is used only with the server it was saved for: the settings changed, type it again.
  'SECRET_REQUIRED',
  // Signing in with a mail provider (OAuth) did not finish: refused, cancelled, expired, or unreachable.
  'SIGN_IN',
  'SMTP_CONNECTION',
  'SMTP_TLS',
  'SMTP_AUTH',
  'SMTP_REJECTED',
  'SMTP_TEMPORARY',
  'SMTP_UNCERTAIN',
  // The server's reply could not be read: a line that is not SMTP, which puts every later reply in doubt.
  'SMTP_PROTOCOL',
  'OFFLINE',
  'SPOOL_MISSING',
  'STORE',
  'TOO_LARGE',
  'UNSUPPORTED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

export type AppError = z.infer<typeof appErrorSchema>;
export type ErrorDetails = NonNullable<AppError['details']>;

export function appError(code: ErrorCode, message: string, hint?: string, details?: ErrorDetails): AppError {
  const error: AppError = { code, message };
  if (hint !== undefined) error.hint = hint;
  if (details !== undefined) error.details = details;
  return error;
}

/** Thrown inside the core so deep code can stop a call; dispatch turns it back into a value. */
export class AppFailure extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.message);
    this.name = 'AppFailure';
    this.error = error;
  }
}

export function fail(code: ErrorCode, message: string, hint?: string, details?: ErrorDetails): never {
  throw new AppFailure(appError(code, message, hint, details));
}

/**
 * An error as a person reads it outside the app's screens (a start-up dialog, a terminal): what happened, then what
 * to do.
 */
export function describeForPerson(error: unknown): string {
  if (error instanceof AppFailure)
    return error.error.hint ? `${error.error.message}\n\n${error.error.hint}` : error.error.message;
  return error instanceof Error ? error.message : String(error);
}
