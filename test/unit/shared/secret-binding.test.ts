import { describe, expect, it } from 'vitest';
import { refuseStoredSecret } from '../../../src-main/core/accounts/refuse-stored-secret.ts';
import type { AppFailure } from '../../../src-main/shared/errors.ts';
import { bindingChanges, type SecretBinding } from '../../../src-main/shared/secret-binding.ts';

const saved: SecretBinding = {
  auth: 'auto',
  host: 'smtp.example.org',
  port: 587,
  security: 'starttls',
  username: 'ada@example.org',
  pinnedCertificate: null,
  allowPlaintextAuth: false,
};
const pin = (fingerprint256: string) => ({ fingerprint256, pem: '', subject: '' });

describe('what a stored secret is bound to', () => {
  it('the same server in other letter case is no change', () => {
    expect(bindingChanges(saved, { ...saved, host: 'SMTP.Example.org' })).toEqual([]);
  });

  it('a final dot is another server: an address becomes a name to look up', () => {
    expect(bindingChanges({ ...saved, host: '192.0.2.77' }, { ...saved, host: '192.0.2.77.' })).toEqual(['the server']);
  });

  it('another login method is a change (CRAM-MD5 to PLAIN sends the password itself)', () => {
    expect(bindingChanges({ ...saved, auth: 'CRAM-MD5' }, { ...saved, auth: 'PLAIN' })).toEqual(['the login method']);
  });

  it('names every change', () => {
    expect(
      bindingChanges(saved, {
        auth: 'auto',
        host: 'evil.example',
        port: 25,
        security: 'none',
        username: 'ADA@example.org',
        pinnedCertificate: pin('AA'),
        allowPlaintextAuth: true,
      }),
    ).toEqual([
      'the server',
      'the port',
      'the security',
      'the username',
      'the trusted certificate',
      'login without encryption',
    ]);
  });

  it('another pin, or a pin removed, is a change; turning plain-text login off is not', () => {
    const pinned = { ...saved, pinnedCertificate: pin('AA') };
    expect(bindingChanges(pinned, { ...saved, pinnedCertificate: pin('BB') })).toEqual(['the trusted certificate']);
    expect(bindingChanges(pinned, saved)).toEqual(['the trusted certificate']);
    expect(bindingChanges({ ...saved, allowPlaintextAuth: true }, saved)).toEqual([]);
  });

  it('the refusal says where the secret goes, what changed and what to do', () => {
    try {
      refuseStoredSecret(saved, ['the server', 'the port'], 'XOAUTH2');
      expect.unreachable();
    } catch (error) {
      expect((error as AppFailure).error).toEqual({
        code: 'SECRET_REQUIRED',
        message:
          'The saved access token is only sent to the server it was saved for (smtp.example.org, port 587, STARTTLS).',
        hint: 'You changed the server and the port. Type the access token again to use it with the new settings.',
        details: {
          'field:password': 'Type the access token again: the saved one is only sent to smtp.example.org:587.',
          changed: 'the server, the port',
        },
      });
    }
  });
});
