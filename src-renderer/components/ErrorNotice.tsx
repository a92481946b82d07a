import type { AppError } from '../../src-main/shared/errors.ts';

/** An error as a person should see it: what happened, and what to do about it. */
export function ErrorNotice({ error, title }: { error: AppError; title?: string }) {
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong className="notice-title">{title}</strong> : null}
      <p>{error.message}</p>
      {error.hint ? <p className="notice-hint">{error.hint}</p> : null}
    </div>
  );
}
