import { randomUUID } from 'node:crypto';
import { fail } from '../../shared/errors.ts';
import { AccessTokens, type TokenSource } from './access-tokens.ts';
import { clientIdFor, customProvider, OAUTH_PROVIDERS, smtpHostsOf, type OAuthProvider } from './oauth-providers.ts';
import { signIn, type SignedIn } from './sign-in.ts';

/** Where a sign-in's tokens are about to go. */
export type SignInServer = { host: string; port: number };

const serverName = (server: SignInServer) => `${server.host.toLowerCase().replace(/\.$/, '')}:${server.port}`;

/** A provider as this build knows it: its presets and the client ID to sign in with. */
export type ConfiguredProvider = OAuthProvider & { clientId?: string };

export type OAuthServiceDeps = {
  /** Extra or replacing providers (tests, a custom provider with a discovery document). */
  providers?: readonly ConfiguredProvider[];
  env: Readonly<Record<string, string | undefined>>;
  now?: () => number;
};

/** How long a finished sign-in waits to be saved with its account. */
const FINISHED_KEPT_MS = 10 * 60_000;
/** Sign-ins started and not finished at once; starting another drops the oldest. */
const MAX_PENDING = 3;

type Pending = { provider: ConfiguredProvider; done: Promise<SignedIn>; abort: AbortController };

/**
 * Signing in with providers for accounts (issue 20): sign-ins started by the page (which opens
 * the URL it is given, in a new tab or the system browser), finished, and kept until the account
 * is saved; and the accounts' access tokens, kept in memory only.
 */
export class OAuthService {
  readonly tokens: AccessTokens;
  private readonly deps: OAuthServiceDeps;
  private readonly pending = new Map<string, Pending>();
  private readonly finished = new Map<
    string,
    { provider: string; signedIn: SignedIn; at: number; server: string | null }
  >();

  constructor(deps: OAuthServiceDeps) {
    this.deps = deps;
    this.tokens = new AccessTokens(deps.now);
  }

  /** Every provider this build knows: given ones (tests), the custom one from the environment, the presets. */
  private known(): ConfiguredProvider[] {
    const custom = customProvider(this.deps.env);
    return [...(this.deps.providers ?? []), ...(custom ? [custom] : []), ...OAUTH_PROVIDERS];
  }

  provider(id: string): ConfiguredProvider & { clientId: string } {
    const provider = this.known().find((p) => p.id === id);
    if (!provider) fail('BAD_INPUT', `Posthorn does not know the sign-in provider "${id.slice(0, 40)}".`);
    const configured: string | undefined = (provider as ConfiguredProvider).clientId;
    const clientId = configured ?? clientIdFor(provider, this.deps.env);
    if (!clientId)
      fail(
        'UNSUPPORTED',
        `Signing in with ${provider.name} is not set up in this build of Posthorn (no client ID).`,
        `Set ${provider.clientIdVariable} as docs/OAUTH.md describes, or choose XOAUTH2 and paste an access token.`,
      );
    return { ...provider, clientId };
  }

  /** "Sign in with …" can be offered for this provider: it is known and has a client ID here. */
  offer(providerId: string): { provider: string; name: string } | null {
    try {
      const provider = this.provider(providerId);
      return { provider: provider.id, name: provider.name };
    } catch {
      return null;
    }
  }

  /** "Sign in with …" for an address: its preset's provider, else one that names the address's domain. */
  offerFor(presetProvider: string | null, domain: string): { provider: string; name: string } | null {
    if (presetProvider) return this.offer(presetProvider);
    const claimed = this.known().find((p) => p.domains?.includes(domain.toLowerCase()));
    return claimed ? this.offer(claimed.id) : null;
  }

  /** Starts a sign-in: answers with the URL for the page to open, and goes on waiting for the browser. */
  async start(providerId: string, loginHint?: string): Promise<{ signInId: string; url: string }> {
    const provider = this.provider(providerId);
    if (this.pending.size >= MAX_PENDING) this.drop(this.pending.keys().next().value as string);
    const abort = new AbortController();
    let opened: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => (opened = resolve));
    const done = signIn({
      provider,
      clientId: provider.clientId,
      openBrowser: (address) => opened(address),
      signal: abort.signal,
      ...(loginHint ? { loginHint } : {}),
      ...(this.deps.now ? { now: this.deps.now } : {}),
    });
    done.catch(() => {}); // said by finish()
    const signInId = randomUUID();
    // Finished in the browser but never collected (the page was reloaded or closed): not kept.
    const forget = () => setTimeout(() => this.drop(signInId), FINISHED_KEPT_MS).unref();
    void done.then(forget, forget);
    this.pending.set(signInId, { provider, done, abort });
    // The URL, or the reason there is none (a provider that cannot be reached).
    return { signInId, url: await Promise.race([url, done.then(() => '')]) };
  }

  /** Waits for the person to finish in the browser; the tokens are kept for accounts.save, never handed out. */
  async finish(signInId: string): Promise<{ provider: string; expiresAt: number }> {
    const pending = this.pending.get(signInId);
    if (!pending)
      fail('NOT_FOUND', 'That sign-in is no longer waiting.', 'Choose "Sign in" again and finish it in the browser.');
    try {
      const signedIn = await pending.done;
      // Cancelled (or dropped) while the tokens were being exchanged: they are not kept.
      if (this.pending.get(signInId) !== pending)
        fail('SIGN_IN', 'That sign-in was cancelled.', 'Choose "Sign in" again if you want to sign in.', {
          reason: 'cancelled',
        });
      if (!signedIn.refreshToken)
        fail(
          'SIGN_IN',
          `${pending.provider.name} did not allow Posthorn to stay signed in (no refresh token).`,
          'Sign in again and allow offline access when asked.',
          { reason: 'no_refresh_token' },
        );
      this.finished.set(signInId, { provider: pending.provider.id, signedIn, at: Date.now(), server: null });
      return { provider: pending.provider.id, expiresAt: signedIn.expiresAt };
    } finally {
      this.pending.delete(signInId);
    }
  }

  /** The person gave up: the listener closes (the provider's redirect finds nobody) and nothing is kept. */
  cancel(signInId: string): boolean {
    const known = this.pending.has(signInId) || this.finished.has(signInId);
    this.drop(signInId);
    this.finished.delete(signInId);
    return known;
  }

  /** Gives up every sign-in still waiting: no listener outlives the core. */
  close(): void {
    for (const id of [...this.pending.keys()]) this.drop(id);
  }

  private drop(signInId: string): void {
    this.pending.get(signInId)?.abort.abort();
    this.pending.delete(signInId);
  }

  /**
   * A finished sign-in, left for the save (a connection test before Save uses its access token).
   * Its tokens go only to the provider's own SMTP servers, and only to the first server it is
   * used with: a page cannot try one sign-in on server after server.
   */
  peek(signInId: string, providerId: string, server: SignInServer): SignedIn {
    for (const [id, kept] of this.finished) if (Date.now() - kept.at > FINISHED_KEPT_MS) this.finished.delete(id);
    const kept = this.finished.get(signInId);
    if (!kept || kept.provider !== providerId)
      fail('SIGN_IN', 'That sign-in is not finished or has expired.', 'Choose "Sign in" again.', {
        reason: 'sign_in_missing',
      });
    this.checkServer(providerId, server.host);
    const where = serverName(server);
    if (kept.server !== null && kept.server !== where)
      fail(
        'SIGN_IN',
        `This sign-in was used with ${kept.server}; it is not sent to another server (${where}).`,
        'Sign in again to use these settings.',
        { reason: 'other_server' },
      );
    kept.server = where;
    return kept.signedIn;
  }

  /** A finished sign-in, once, for the account being saved with it. */
  take(signInId: string, providerId: string, server: SignInServer): SignedIn {
    const signedIn = this.peek(signInId, providerId, server);
    this.finished.delete(signInId);
    return signedIn;
  }

  /** A provider that names its SMTP servers gets its tokens sent to no other host. */
  checkServer(providerId: string, host: string): void {
    const provider = this.provider(providerId);
    const hosts = smtpHostsOf(provider);
    if (hosts && !hosts.includes(host.toLowerCase().replace(/\.$/, '')))
      fail(
        'SIGN_IN',
        `A sign-in with ${provider.name} is sent only to ${hosts.join(' or ')}, not to ${host}.`,
        `Use ${hosts[0]} as the SMTP server, or choose another login for ${host}.`,
        { reason: 'other_server', 'field:host': `${provider.name} sign-ins go only to ${hosts.join(' or ')}.` },
      );
  }

  /** A current access token for an account signed in with `providerId`. */
  accessToken(
    accountId: string,
    providerId: string,
    source: Omit<TokenSource, 'provider' | 'clientId'>,
    host: string,
  ): Promise<string> {
    this.checkServer(providerId, host);
    const provider = this.provider(providerId);
    return this.tokens.get(accountId, { ...source, provider, clientId: provider.clientId });
  }
}
