import { describe, expect, it } from 'vitest';
import { presetForHost } from '../../../src-main/core/accounts/presets.ts';
import { diagnoseFailure, wantsSignIn } from '../../../src-main/core/smtp/diagnose-connection.ts';
import { diagnose } from '../../../src-main/shared/reply-codes.ts';

const failure = (response: string) => ({
  code: 'EAUTH',
  response,
  responseCode: Number(response.slice(0, 3)),
  command: 'AUTH PLAIN',
  message: `Invalid login: ${response}`,
});
const refused = (response: string) => diagnoseFailure(failure(response), 'auth', 587);
const asksForSignIn = (response: string) => wantsSignIn(failure(response), 'auth');

/**
 * Providers that want a sign-in instead of a password say so in their own words (issue 20,
 * point 5): the connection test names the provider and what to do, not "wrong password".
 */
describe('a password refused because the provider wants sign-in', () => {
  it('Microsoft 365 without basic authentication (550 5.7.30)', () => {
    const verdict = refused('550 5.7.30 Basic authentication is not supported for Client Submission.');
    expect(verdict.title).toBe('Microsoft accepts only sign-in here, not a password');
    expect(verdict.fix).toMatch(/Sign in with Microsoft/);
    expect(asksForSignIn('550 5.7.30 Basic authentication is not supported for Client Submission.')).toBe(true);
    expect(diagnose('550 5.7.30 Basic authentication is not supported for Client Submission.')?.title).toBe(
      'Password login not supported: sign-in only',
    );
  });

  it('Microsoft with SMTP AUTH switched off for the mailbox (535 5.7.139)', () => {
    const verdict = refused('535 5.7.139 Authentication unsuccessful, basic authentication is disabled.');
    expect(verdict.title).toBe('Microsoft accepts only sign-in here, not a password');
  });

  it("Gmail's 535 5.7.8 'Username and Password not accepted'", () => {
    const verdict = refused(
      '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-20020a170906 - gsmtp',
    );
    expect(verdict.title).toBe('Google did not accept this password');
    expect(verdict.fix).toMatch(/app password/);
    expect(verdict.fix).toMatch(/sign in with Google/);
    expect(asksForSignIn('535 5.7.8 Username and Password not accepted.')).toBe(true);
  });

  it('an app password or sign-in needed (534 5.7.9)', () => {
    const verdict = refused('534-5.7.9 Application-specific password required.');
    expect(verdict.title).toBe('An app password is needed');
    expect(verdict.fix).toMatch(/sign in with the provider/);
  });

  it('any other refused password is still "wrong username or password"', () => {
    expect(refused('535 5.7.8 Authentication credentials invalid').title).toBe('Wrong username or password');
    expect(asksForSignIn('535 5.7.8 Authentication credentials invalid')).toBe(false);
  });

  it('the test names the provider of the server it talked to, so "Sign in with …" can be offered', () => {
    expect(presetForHost('smtp.office365.com')?.oauth).toBe('microsoft');
    expect(presetForHost('SMTP-MAIL.OUTLOOK.COM.')?.oauth).toBe('microsoft');
    expect(presetForHost('smtp.gmail.com')?.oauth).toBe('google');
    expect(presetForHost('smtp.mail.me.com')?.oauth).toBeUndefined();
    expect(presetForHost('mail.example.org')).toBeUndefined();
  });

  it('a refused access token is explained as such, even in a password-like reply', () => {
    const verdict = diagnoseFailure(
      {
        ...failure('535 5.7.8 Username and Password not accepted'),
        command: 'AUTH XOAUTH2',
        bearer: { challenge: { status: '401', scope: null, schemes: 'bearer' }, signIn: null },
      },
      'auth',
      587,
    );
    expect(verdict.title).toBe('The server refused the access token');
    expect(verdict.explanation).toMatch(/the access token is invalid or has expired/);
  });
});
