export const REDACTED_CREDENTIALS = '‹credentials redacted›';
export const REDACTED = '‹redacted›';

/**
 * Redacts SASL traffic line by line. After the client sends `AUTH <mechanism>`, every client
 * line until the server's final (non-334) reply is credential material: base64 usernames,
 * passwords, CRAM-MD5 digests, XOAUTH2 tokens. Only the mechanism name is kept.
 */
export class AuthRedactor {
  private inAuth = false;

  client(line: string): string {
    const auth = /^AUTH\s+(\S+)(\s+\S.*)?$/i.exec(line);
    if (auth) {
      this.inAuth = true;
      return auth[2] ? `AUTH ${auth[1]} ${REDACTED_CREDENTIALS}` : `AUTH ${auth[1]}`;
    }
    if (this.inAuth) return REDACTED_CREDENTIALS;
    return line;
  }

  server(line: string): string {
    if (this.inAuth && !/^334[ -]/.test(line)) this.inAuth = false;
    return line;
  }
}

/**
 * Second line of defence: whatever slipped past the protocol-aware redaction, the literal
 * secret and the base64 forms a client sends are replaced wherever they appear.
 */
export function secretForms(username: string, password: string | null): string[] {
  const forms = new Set<string>();
  const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
  if (password) {
    forms.add(password);
    forms.add(b64(password));
    forms.add(b64(`\u0000${username}\u0000${password}`));
  }
  if (username) {
    forms.add(b64(username));
    forms.add(b64(`\u0000${username}\u0000/* secret */`));
  }
  // Very short strings would redact ordinary words; they are covered by AuthRedactor instead.
  return [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

export function scrubSecrets(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/**
 * Scrubs secrets however they are wrapped: as typed, and inside any hex or base64 run that
 * decodes to text containing one (the AUTH PLAIN "\0user\0pass" and XOAUTH2
 * "user=…\x01auth=Bearer …" blobs, a base64 or hex-dumped password). For text whose origin is
 * unknown, such as an error's message.
 */
export function scrubSecretsDeep(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const plain = scrubSecrets(
    text,
    [...secrets].sort((a, b) => b.length - a.length),
  );
  const hides = (decoded: string) => secrets.some((secret) => decoded.includes(secret));
  return plain
    .replace(/\b(?:[0-9a-fA-F]{2}){4,}\b/g, (run) => (hides(Buffer.from(run, 'hex').toString('utf8')) ? REDACTED : run))
    .replace(/[A-Za-z0-9+/]{8,}={0,2}/g, (run) =>
      hides(Buffer.from(run, 'base64').toString('utf8')) ? REDACTED : run,
    );
}
