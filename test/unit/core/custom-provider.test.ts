import { describe, expect, it } from 'vitest';
import { customProvider } from '../../../src-main/core/oauth/oauth-providers.ts';

const env = (issuer: string) => ({
  POSTHORN_OAUTH_CUSTOM_ISSUER: issuer,
  POSTHORN_OAUTH_CUSTOM_CLIENT_ID: 'posthorn',
  POSTHORN_OAUTH_CUSTOM_DOMAINS: 'Example.org, mail.example.org',
});

describe('a custom sign-in provider from the environment', () => {
  it('is read with its domains, scopes and the consent a refresh token needs', () => {
    const provider = customProvider(env('https://login.example.org'));
    expect(provider).toMatchObject({
      id: 'custom',
      name: 'login.example.org',
      endpoints: { issuer: 'https://login.example.org' },
      scopes: ['openid', 'offline_access'],
      extraParams: { prompt: 'consent' },
      domains: ['example.org', 'mail.example.org'],
    });
    expect(customProvider({ POSTHORN_OAUTH_CUSTOM_ISSUER: 'https://login.example.org' })).toBeNull(); // no client ID
  });

  it('is never offered over plain http except on this computer, nor with an address that is not one', () => {
    for (const issuer of [
      'http://10.255.255.1',
      'http://localhost.',
      'http://127.0.0.2',
      'http://example.invalid',
      'ftp://x',
      'not a url',
    ])
      expect(customProvider(env(issuer)), issuer).toBeNull();
    expect(customProvider(env('http://127.0.0.1:8080'))?.endpoints).toEqual({ issuer: 'http://127.0.0.1:8080' });
  });
});
