import sasl from 'smtp-server/lib/sasl.js';

/**
 * smtp-server knows XOAUTH2 but not OAUTHBEARER (RFC 7628). This adds the mechanism to the
 * real server, the way its own XOAUTH2 is written: the GS2 header and key/value pairs are
 * read, the token goes to the server's `onAuth` (method 'OAUTHBEARER', accessToken), a refusal
 * answers the RFC's 334 error challenge (JSON: status, scope), waits for the client's ^A and
 * ends with 535. Idempotent; tests that offer the mechanism call it before starting a server.
 */
type Connection = {
  send(code: number, text?: string): void;
  _nextHandler: ((data: unknown, callback: () => void) => void) | null;
  _server: {
    onAuth(
      login: { method: string; username: string; accessToken: string },
      session: unknown,
      callback: (error: Error | null, response?: { user?: string; data?: Record<string, string> }) => void,
    ): void;
  };
  session: { user?: string; transmissionType?: string };
  _transmissionType(): string;
};

type Mechanism = (this: Connection, args: string[], callback: () => void) => void;

export function addOauthBearerToSmtpServer(): void {
  const table = sasl as unknown as Record<string, Mechanism>;
  if (table.SASL_OAUTHBEARER) return;
  table.SASL_OAUTHBEARER = function (this: Connection, args, callback) {
    if (args.length !== 1) {
      this.send(501, 'Error: syntax: AUTH OAUTHBEARER initial-response');
      return callback();
    }
    const text = Buffer.from(args[0] ?? '', 'base64').toString('utf8');
    const [gs2 = '', ...pairs] = text.split('\x01');
    const username = /^n,a=([^,]*),$/.exec(gs2)?.[1]?.replace(/=2C/g, ',').replace(/=3D/g, '=');
    const auth = pairs.find((pair) => pair.startsWith('auth='))?.slice('auth='.length) ?? '';
    const accessToken = /^Bearer (.+)$/i.exec(auth)?.[1];
    if (!username || !accessToken) {
      this.send(501, 'Error: invalid OAUTHBEARER initial response');
      return callback();
    }
    this._server.onAuth({ method: 'OAUTHBEARER', username, accessToken }, this.session, (error, response) => {
      if (error) {
        this.send(535, error.message);
        return callback();
      }
      if (!response?.user) {
        // RFC 7628 §3.2.2: the error as a challenge; the client answers ^A, then the final reply.
        this._nextHandler = (_data, done) => {
          this._nextHandler = null;
          this.send(535, '5.7.8 Authentication credentials invalid');
          done();
        };
        this.send(334, Buffer.from(JSON.stringify(response?.data ?? { status: 'invalid_token' })).toString('base64'));
        return callback();
      }
      this.session.user = response.user;
      this.session.transmissionType = this._transmissionType();
      this.send(235, 'Authentication successful');
      return callback();
    });
  };
}
