export const REDACTED_CREDENTIALS = '‹credentials redacted›';

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
