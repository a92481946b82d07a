import { describe, expect, it } from 'vitest';
import {
  bearerMechanism,
  explainChallenge,
  oauthBearerResponse,
  readChallenge,
  xoauth2Response,
} from '../../../src-main/core/smtp/bearer-sasl.ts';
import { classifyFailure } from '../../../src-main/core/smtp/classify.ts';
import { appError } from '../../../src-main/shared/errors.ts';

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const challenge = (json: object) => `334 ${Buffer.from(JSON.stringify(json)).toString('base64')}`;

describe('logging in with a bearer token', () => {
  it('builds XOAUTH2 and RFC 7628 OAUTHBEARER initial responses', () => {
    expect(decode(xoauth2Response('ada@example.test', 'tok'))).toBe('user=ada@example.test\x01auth=Bearer tok\x01\x01');
    expect(
      decode(oauthBearerResponse({ user: 'a,b=c@example.test', host: 'smtp.example.test', port: 587 }, 'tok')),
    ).toBe('n,a=a=2Cb=3Dc@example.test,\x01host=smtp.example.test\x01port=587\x01auth=Bearer tok\x01\x01');
  });

  it('prefers XOAUTH2, and speaks OAUTHBEARER where only it is offered', () => {
    expect(bearerMechanism(['PLAIN', 'XOAUTH2', 'OAUTHBEARER'])).toBe('XOAUTH2');
    expect(bearerMechanism(['OAUTHBEARER'])).toBe('OAUTHBEARER');
    expect(bearerMechanism([])).toBe('XOAUTH2');
  });

  it('reads the 334 error challenge and says what it means', () => {
    const expired = readChallenge(challenge({ status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' }));
    expect(expired).toEqual({ status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' });
    expect(explainChallenge(expired!)).toBe('the access token is invalid or has expired');
    const scope = readChallenge(challenge({ status: 'insufficient_scope', scope: 'mail.send' }));
    expect(explainChallenge(scope!)).toBe('the sign-in does not allow sending mail (it needs the scope mail.send)');
    expect(explainChallenge(readChallenge(challenge({ status: 400 }))!)).toBe(
      'the server could not use the access token (status 400)',
    );
    expect(readChallenge('334 VXNlcm5hbWU6')).toBeNull(); // "Username:", not JSON
    expect(readChallenge('535 5.7.8 no')).toBeNull();
  });

  it('a refused token is explained with the challenge; a revoked sign-in makes the message wait', () => {
    const refused = classifyFailure(
      {
        code: 'EAUTH',
        responseCode: 535,
        response: '535 5.7.8 Username and Password not accepted',
        command: 'AUTH XOAUTH2',
        message: 'Invalid login',
        bearer: { challenge: { status: 'insufficient_scope', scope: 'mail.send', schemes: null }, signIn: null },
      },
      'auth',
      false,
    );
    expect(refused.outcome).toBe('failed');
    expect(refused.error.message).toContain('the sign-in does not allow sending mail');
    expect(refused.error.hint).toContain('allow Posthorn to send mail');
    const waiting = classifyFailure(
      {
        code: 'EAUTH',
        responseCode: 535,
        response: '535 5.7.8 no',
        command: 'AUTH XOAUTH2',
        message: 'Invalid login',
        bearer: {
          challenge: null,
          signIn: appError('SIGN_IN', 'Google no longer accepts this sign-in.', 'Sign in again.', {
            reason: 'sign_in_again',
          }),
        },
      },
      'auth',
      false,
    );
    expect(waiting.outcome).toBe('deferred');
    expect(waiting.error).toMatchObject({ code: 'SIGN_IN', details: { reason: 'sign_in_again', phase: 'auth' } });
  });
});

describe('the bearer login handler', () => {
  it('takes a multi-line 235 as success', async () => {
    const { bearerAuthHandlers } = await import('../../../src-main/core/smtp/bearer-sasl.ts');
    const handlers = bearerAuthHandlers({
      user: 'ada@example.test',
      token: 'tok',
      host: 'smtp.example.test',
      port: 587,
    });
    const sent: string[] = [];
    const context = {
      sendCommand: async (cmd: string) => {
        sent.push(cmd);
        return { command: cmd, response: '235-2.7.0 Accepted\n235 2.7.0 ok', status: 0, text: '' };
      },
    } as unknown as Parameters<NonNullable<(typeof handlers)['XOAUTH2']>>[0];
    await expect(handlers.XOAUTH2?.(context)).resolves.toBe(true);
    expect(sent).toHaveLength(1);
  });
});
