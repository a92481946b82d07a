import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appError, type AppError } from '../shared/errors.ts';

/** How long a start link works: long enough to open a browser, short enough to be worthless in a history file. */
export const START_CODE_LIFETIME_MS = 60_000;
const MAX_CODES = 50;

const random = () => randomBytes(32).toString('base64url');

const NEW_LINK = 'For a new link, press Enter in the terminal where Posthorn runs (npm run web).';

/**
 * Browser mode's admission (issue 19): the address printed and opened carries a single-use start
 * code, valid for a minute, never the session credential. The page trades the code for a
 * session token that lives only in its tab; the code is useless afterwards. Sessions last until
 * Posthorn stops. A second browser needs a new link.
 */
export class StartCodes {
  private readonly codes = new Map<string, number>();
  /** Codes already traded, so the person is told "already used" (a sign someone else was first). */
  private readonly used = new Set<string>();
  private readonly sessions: Buffer[] = [];
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** A new single-use code. */
  issue(): string {
    const code = random();
    if (this.codes.size >= MAX_CODES) this.codes.delete(this.codes.keys().next().value as string);
    this.codes.set(code, this.now() + START_CODE_LIFETIME_MS);
    return code;
  }

  /** Trades a code for a new session token, once. */
  redeem(code: string): { ok: true; session: string } | { ok: false; error: AppError } {
    const expires = this.codes.get(code);
    if (expires === undefined) {
      if (this.used.has(code))
        return {
          ok: false,
          error: appError(
            'BAD_INPUT',
            'This link was already used.',
            `${NEW_LINK} If you did not open it yourself, stop Posthorn with Ctrl+C: another program on this computer may have used it.`,
          ),
        };
      return {
        ok: false,
        error: appError('BAD_INPUT', 'This link is not valid (Posthorn may have been restarted).', NEW_LINK),
      };
    }
    this.codes.delete(code);
    this.used.add(code);
    if (this.used.size > MAX_CODES * 4) this.used.delete(this.used.values().next().value as string);
    if (this.now() > expires)
      return {
        ok: false,
        error: appError('BAD_INPUT', 'This link has expired.', `Links work for one minute. ${NEW_LINK}`),
      };
    const session = random();
    this.sessions.push(Buffer.from(session));
    return { ok: true, session };
  }

  get sessionCount(): number {
    return this.sessions.length;
  }

  /** Whether a presented token is one of the sessions, compared in constant time. */
  isSession(presented: string): boolean {
    const candidate = Buffer.from(presented);
    let found = false;
    for (const session of this.sessions)
      if (session.length === candidate.length && timingSafeEqual(session, candidate)) found = true;
    return found;
  }
}
