import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startAuthorizationServer } from '../support/oauth-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

/** Typing an address fills the server settings: presets, then DNS SRV, then a guess. */
describe('account autoconfig', () => {
  let dns: DnsServer;
  let core: Core;
  const data = tempDataDir('autoconfig');

  beforeAll(async () => {
    dns = await startDnsServer({
      '_submissions._tcp.implicit.test': [
        { priority: 10, weight: 1, port: 465, target: 'backup.implicit.test' },
        { priority: 0, weight: 5, port: 465, target: 'mail.implicit.test' },
      ],
      '_submission._tcp.implicit.test': [{ priority: 0, weight: 1, port: 587, target: 'starttls.implicit.test' }],
      '_submission._tcp.starttls.test': [{ priority: 0, weight: 1, port: 2587, target: 'smtp.starttls.test' }],
      '_submissions._tcp.disabled.test': [{ priority: 0, weight: 0, port: 0, target: '.' }],
    });
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
    });
  });

  afterAll(async () => {
    await core?.close();
    await dns?.close();
    data.remove();
  });

  const detect = async (email: string) => unwrap(await core.dispatch('accounts.autoconfig', { email }));

  it.each([
    ['someone@gmail.com', 'Gmail', 'smtp.gmail.com', 465, 'tls'],
    ['someone@outlook.com', 'Outlook.com / Microsoft 365', 'smtp-mail.outlook.com', 587, 'starttls'],
    ['someone@icloud.com', 'iCloud Mail', 'smtp.mail.me.com', 587, 'starttls'],
    ['someone@yahoo.com', 'Yahoo Mail', 'smtp.mail.yahoo.com', 465, 'tls'],
    ['someone@fastmail.com', 'Fastmail', 'smtp.fastmail.com', 465, 'tls'],
    ['someone@zoho.com', 'Zoho Mail', 'smtp.zoho.com', 465, 'tls'],
    ['someone@gmx.net', 'GMX', 'mail.gmx.net', 587, 'starttls'],
    ['someone@mailbox.org', 'mailbox.org', 'smtp.mailbox.org', 465, 'tls'],
    ['someone@proton.me', 'Proton Mail (Bridge)', '127.0.0.1', 1025, 'starttls'],
  ])('%s → preset %s', async (email, provider, host, port, security) => {
    const found = await detect(email);
    expect(found).toMatchObject({ source: 'preset', sourceDetail: provider, host, port, security, username: email });
  });

  it('Google, Microsoft, Yahoo and AOL addresses offer sign-in only where this build has a client ID', async () => {
    // No client ID is configured here: nothing is offered, the password settings stand.
    expect((await detect('a@gmail.com')).signIn).toBeNull();
    const withIds = tempDataDir('autoconfig-oauth');
    const signingIn = createTestCore({
      dataDir: withIds.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      oauthProviders: [
        {
          id: 'microsoft',
          name: 'Microsoft',
          endpoints: {
            authorization: 'https://login.example.test/authorize',
            token: 'https://login.example.test/token',
          },
          scopes: ['https://outlook.office.com/SMTP.Send', 'offline_access'],
          smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
          clientIdVariable: 'POSTHORN_OAUTH_MICROSOFT_CLIENT_ID',
          clientId: 'a-client-id-of-this-build',
        },
      ],
    });
    try {
      const found = unwrap(await signingIn.dispatch('accounts.autoconfig', { email: 'ada@outlook.com' }));
      expect(found.signIn).toEqual({ provider: 'microsoft', name: 'Microsoft' });
      expect(unwrap(await signingIn.dispatch('accounts.autoconfig', { email: 'ada@fastmail.com' })).signIn).toBeNull();
    } finally {
      await signingIn.close();
      withIds.remove();
    }
  });

  it('a custom provider from the environment: its domains are offered sign-in, its discovery document names the endpoints', async () => {
    const server = await startAuthorizationServer();
    const folder = tempDataDir('autoconfig-custom');
    const custom = createTestCore({
      dataDir: folder.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
      env: {
        POSTHORN_OAUTH_CUSTOM_ISSUER: server.issuer,
        POSTHORN_OAUTH_CUSTOM_CLIENT_ID: 'posthorn-desktop',
        POSTHORN_OAUTH_CUSTOM_DOMAINS: 'starttls.test, corp.test',
        POSTHORN_OAUTH_CUSTOM_SCOPES: 'openid offline_access mail.send',
        POSTHORN_OAUTH_CUSTOM_NAME: 'Corp Login',
      },
    });
    try {
      const found = unwrap(await custom.dispatch('accounts.autoconfig', { email: 'bob@starttls.test' }));
      expect(found).toMatchObject({ source: 'srv', signIn: { provider: 'custom', name: 'Corp Login' } });
      expect(unwrap(await custom.dispatch('accounts.autoconfig', { email: 'ann@implicit.test' })).signIn).toBeNull();
      const started = unwrap(await custom.dispatch('accounts.signInStart', { provider: 'custom' }));
      const url = new URL(started.url);
      expect(`${url.origin}${url.pathname}`).toBe(`${server.issuer}/auth`);
      expect(url.searchParams.get('scope')).toBe('openid offline_access mail.send');
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      // OpenID Connect grants offline_access (the refresh token) only with prompt=consent.
      expect(url.searchParams.get('prompt')).toBe('consent');
    } finally {
      await custom.close();
      await server.close();
      folder.remove();
    }
  });

  it('presets carry the notes people trip over', async () => {
    expect((await detect('a@gmail.com')).notes.join(' ')).toMatch(/app password/);
    expect((await detect('a@proton.me')).notes.join(' ')).toMatch(/Bridge/);
  });

  it('prefers _submissions (implicit TLS, RFC 8314), lowest priority first', async () => {
    const found = await detect('ann@implicit.test');
    expect(found).toMatchObject({ source: 'srv', host: 'mail.implicit.test', port: 465, security: 'tls' });
    expect(found.sourceDetail).toBe('_submissions._tcp.implicit.test → mail.implicit.test:465');
  });

  it('falls back to _submission (STARTTLS, RFC 6186)', async () => {
    expect(await detect('bob@starttls.test')).toMatchObject({
      source: 'srv',
      host: 'smtp.starttls.test',
      port: 2587,
      security: 'starttls',
    });
    expect(dns.queries).toContain('SRV _submissions._tcp.starttls.test');
    expect(dns.queries).toContain('SRV _submission._tcp.starttls.test');
  });

  it('a "." target means no service; then it guesses, and says so', async () => {
    const found = await detect('cy@disabled.test');
    expect(found).toMatchObject({ source: 'guess', host: 'smtp.disabled.test', port: 587, security: 'starttls' });
    expect(found.notes[0]).toMatch(/A guess/);
  });

  it('an address without a domain is bad input with what to type', async () => {
    const result = await core.dispatch('accounts.autoconfig', { email: 'nobody' });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
