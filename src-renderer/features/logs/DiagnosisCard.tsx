import type { AppError } from '../../../src-main/shared/errors.ts';
import { diagnose } from '../../../src-main/shared/reply-codes.ts';

/**
 * A login with an access token, or a sign-in: the attempt's own error says more than the reply
 * table (which would say "wrong password").
 */
function signInTrouble(error: AppError | null | undefined): AppError | null {
  return error && (error.code === 'SIGN_IN' || error.details?.login === 'token') ? error : null;
}

/** What the server's reply means and what to do, beside the line that said it. */
export function DiagnosisCard({ reply, error }: { reply: string; error?: AppError | null }) {
  const code = <span className="mono">({reply.split(/\s/).slice(0, 2).join(' ')})</span>;
  const signIn = signInTrouble(error);
  if (signIn)
    return (
      <aside
        className={`notice ${signIn.code === 'SIGN_IN' ? 'notice-warn' : 'notice-error'} diagnosis`}
        aria-label="What the server's reply means"
      >
        <strong className="notice-title">
          {signIn.code === 'SIGN_IN' ? 'The sign-in is needed again' : 'The access token was refused'} {code}
        </strong>
        <p>{signIn.message}</p>
        {signIn.hint ? <p className="notice-hint">{signIn.hint}</p> : null}
      </aside>
    );
  const d = diagnose(reply);
  if (!d || d.severity === 'ok') return null;
  return (
    <aside
      className={`notice ${d.severity === 'temporary' ? 'notice-warn' : 'notice-error'} diagnosis`}
      aria-label="What the server's reply means"
    >
      <strong className="notice-title">
        {d.title} {code}
      </strong>
      <p>{d.meaning}</p>
      {d.fix ? <p className="notice-hint">{d.fix}</p> : null}
    </aside>
  );
}
