import { BASE64_RUN, bytesOfBase64Run, HEX_RUN, readingsOf, reversed, rot13, textsOfBytes } from './secret-variants.ts';

export const REDACTED = '‹redacted›';
/** What replaces a whole text in which a secret was found only in pieces or in disguise. */
export const REDACTED_WHOLE = '‹redacted: this text held a secret in pieces›';

/** Shorter strings would redact ordinary words; AuthRedactor covers the protocol's own lines. */
const MIN_SECRET_CHARS = 4;
/**
 * Secrets at least this long are also looked for in disguise (case, reversed, split…): for a
 * shorter one ("mail") that would wipe ordinary replies.
 */
const MIN_DISGUISED_CHARS = 8;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const utf16le = (text: string) => Buffer.from(text, 'utf16le').toString('latin1');
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16().toString('latin1');

/**
 * Every way a client sends a secret, so a server that repeats it (in a 535, a 235, a 250) is
 * caught: as typed, base64 (AUTH LOGIN), the AUTH PLAIN blob with and without an authorisation
 * identity, the XOAUTH2 and OAUTHBEARER blobs, and the same in UTF-16 (bytes read as text). The
 * username's base64 form too: nodemailer's logger writes it.
 */
function literalForms(secret: string, username: string): string[] {
  const forms = [secret, utf16le(secret), utf16be(secret), b64(secret)];
  if (username) {
    forms.push(
      b64(username),
      b64(`\u0000${username}\u0000${secret}`),
      b64(`${username}\u0000${username}\u0000${secret}`),
      b64(`user=${username}\u0001auth=Bearer ${secret}\u0001\u0001`),
      b64(`n,a=${username},\u0001auth=Bearer ${secret}\u0001\u0001`),
      b64(`n,,\u0001auth=Bearer ${secret}\u0001\u0001`),
    );
  }
  return forms;
}

/**
 * A text replaced whole keeps each line's reply code ("535-5.7.8 "): what the server decided is
 * read from the transcript, and a reply without its code would read as a broken server.
 */
function keepingReplyCodes(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `${/^\d{3}[ -](?:[245]\.\d{1,3}\.\d{1,3} )?/.exec(line)?.[0] ?? ''}${REDACTED_WHOLE}`)
    .join('\n');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes a login's secrets from text that came from a server or was built from what it said
 * (replies, error messages, connection facts, exports, the app log): the literal forms above,
 * and any base64 or hex run that decodes (UTF-8 or UTF-16, at any alignment) to text holding a
 * secret or a CRAM-MD5 answer ("username <32 hex digits>", from which the password can be
 * guessed offline).
 */
export class SecretScrubber {
  static readonly none = new SecretScrubber([]);

  /**
   * For one login: its username and its password or token (null: nothing secret but the
   * username's forms). Only its own: scrubbing other accounts' secrets from a server the caller
   * chose would tell the caller whether a guess is one of them (a dictionary in a greeting).
   */
  static forLogin(username: string, secret: string | null, earlier: readonly string[] = []): SecretScrubber {
    return new SecretScrubber([...(secret ? [secret] : []), ...earlier], username);
  }

  private readonly username: string;
  private secrets: string[] = [];
  private disguisable: string[] = [];
  private turned: string[] = [];
  private literals: string[] = [];
  private cramAnswer: RegExp | null = null;
  private cramAnswers: RegExp | null = null;
  /**
   * The shortest hex and base64 runs that could decode to a secret (one byte per character at
   * best): shorter words (PIPELINING, localhost) are not decoded at all.
   */
  private minHexRun = 0;
  private minBase64Run = 0;
  /** Lines repeat on a connection (EHLO, 354, 250 Accepted): each distinct text is scrubbed once. */
  private readonly seen = new Map<string, string>();

  constructor(secrets: readonly string[], username = '') {
    this.username = username;
    this.prepare(secrets);
  }

  /**
   * A secret this login came to hold later (an access token renewed in the middle of a login,
   * issue 20): from now on it is scrubbed like the first.
   */
  learn(secret: string): void {
    // The shared empty scrubber scrubs for nobody: learning on it would be a leak left unscrubbed.
    if (this === SecretScrubber.none) throw new Error('A login without its own scrubber cannot learn a secret.');
    if (this.secrets.includes(secret)) return;
    this.prepare([...this.secrets, secret]);
    this.seen.clear();
  }

  private prepare(secrets: readonly string[]): void {
    const { username } = this;
    this.secrets = secrets.filter((s) => s.length >= MIN_SECRET_CHARS);
    this.disguisable = this.secrets
      .filter((s) => s.length >= MIN_DISGUISED_CHARS)
      .flatMap((s) => [s.toLowerCase(), s.replace(/[\s:]/g, '').toLowerCase()]);
    // Turned once here rather than every text: a reversed or rot13 text holds the secret turned.
    this.turned = this.disguisable.flatMap((s) => [reversed(s), rot13(s)]);
    const forms = new Set(this.secrets.flatMap((secret) => literalForms(secret, username)));
    if (username) forms.add(b64(username));
    this.literals = [...forms].filter((f) => f.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
    const cram = `${escapeRegExp(username)} [0-9a-f]{32}`;
    this.cramAnswer = username ? new RegExp(cram, 'i') : null;
    this.cramAnswers = username ? new RegExp(cram, 'gi') : null;
    const shortest = Math.min(
      ...this.secrets.map((secret) => Buffer.byteLength(secret)),
      username ? username.length + 33 : Infinity,
    );
    this.minHexRun = 2 * shortest;
    this.minBase64Run = Math.floor((4 * shortest) / 3);
  }

  get empty(): boolean {
    return this.literals.length === 0;
  }

  text(text: string): string {
    if (this.empty || text.length === 0) return text;
    const known = this.seen.get(text);
    if (known !== undefined) return known;
    const scrubbed = this.scrubbed(text);
    if (this.seen.size >= 500) this.seen.clear();
    this.seen.set(text, scrubbed);
    return scrubbed;
  }

  /**
   * Text Posthorn wrote itself (a command it sent, a note): a secret can only be in it as given
   * (a password typed into a subject, say), never disguised by a server, so only the literal
   * forms are looked for. Keeps the per-message cost of sending low.
   */
  ours(text: string): string {
    if (this.empty || text.length === 0) return text;
    let out = text;
    for (const form of this.literals) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  private scrubbed(text: string): string {
    // Whole encoded runs first: a literal form replaced inside a blob would leave the rest of it behind.
    let out = text
      .replace(HEX_RUN, (run) =>
        this.mayHide(run, this.minHexRun) && this.hidesIn(Buffer.from(run, 'hex')) ? REDACTED : run,
      )
      .replace(BASE64_RUN, (run) => (this.mayHide(run, this.minBase64Run) && this.hidesInBase64(run) ? REDACTED : run));
    for (const form of this.literals) if (out.includes(form)) out = out.split(form).join(REDACTED);
    if (this.cramAnswers) out = out.replace(this.cramAnswers, REDACTED);
    // What is left may still hold one in pieces or disguised: then none of the text is kept.
    return this.disguisedIn(out) ? keepingReplyCodes(out) : out;
  }

  private disguisedIn(text: string): boolean {
    if (this.disguisable.length === 0) return false;
    const lower = text.toLowerCase();
    if (
      this.disguisable.some((secret) => lower.includes(secret)) ||
      this.turned.some((secret) => lower.includes(secret))
    )
      return true;
    return readingsOf(text).some(({ text: reading, base64 }) => {
      const low = reading.toLowerCase();
      return (
        this.disguisable.some((secret) => low.includes(secret)) ||
        (base64 &&
          [...reading.matchAll(BASE64_RUN)].some(
            ([run]) => this.mayHide(run, this.minBase64Run) && this.hidesInBase64(run, true),
          )) ||
        [...reading.matchAll(HEX_RUN)].some(
          ([run]) => this.mayHide(run, this.minHexRun) && this.hidesIn(Buffer.from(run, 'hex'), true),
        )
      );
    });
  }

  private mayHide(run: string, shortest: number): boolean {
    return run.length >= shortest;
  }

  /**
   * A copy of a value (a report, a result) with every string in it scrubbed; `keep` names
   * top-level fields already scrubbed (a transcript's lines, scrubbed as they were recorded).
   */
  deep<T>(value: T, keep: readonly string[] = []): T {
    if (this.empty) return value;
    if (keep.length === 0 || value === null || typeof value !== 'object' || Array.isArray(value))
      return this.walk(value) as T;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = keep.includes(key) ? item : this.walk(item);
    return out as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.walk(item);
      return out;
    }
    return value;
  }

  /** A base64 run may start mid-group when a server glued it to other letters: every alignment is tried. */
  private hidesInBase64(run: string, anyCase = false): boolean {
    return bytesOfBase64Run(run).some((bytes) => this.hidesIn(bytes, anyCase));
  }

  /** Whether decoded bytes hold a secret, a CRAM-MD5 answer, or base64 that does (base64 of base64). */
  private hidesIn(bytes: Buffer, anyCase = false): boolean {
    return textsOfBytes(bytes).some((decoded) => {
      const text = anyCase ? decoded.toLowerCase() : decoded;
      const secrets = anyCase ? this.disguisable : this.secrets;
      if (secrets.some((secret) => text.includes(secret)) || (this.cramAnswer?.test(decoded) ?? false)) return true;
      const nested = /^[A-Za-z0-9+/_-]{8,}={0,2}$/.exec(decoded.trim());
      return (
        nested !== null &&
        bytesOfBase64Run(nested[0]).some((inner) =>
          textsOfBytes(inner).some((t) => this.secrets.some((secret) => t.includes(secret))),
        )
      );
    });
  }
}
