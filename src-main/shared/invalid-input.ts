import type { z } from 'zod';
import { appError, type AppError } from './errors.ts';

/** What a person reads when a call (or a form) does not fit its schema. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join(' ');
}

/** The first message per field, so a form can show each next to its input. */
function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? `field:${issue.path.join('.')}` : 'field:';
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * The BAD_INPUT error for input that does not fit: the same for the core's dispatcher and for a
 * form that checks itself first (the account form, before it runs a test).
 */
export function invalidInput(error: z.ZodError): AppError {
  return appError(
    'BAD_INPUT',
    describeIssues(error),
    'Check the highlighted fields and try again.',
    fieldMessages(error),
  );
}
