import { describe, expect, it } from 'vitest';
import { classifyFailure, enhancedCodeOf } from '../../../src-main/core/smtp/classify.ts';

describe('what a failed attempt means for the message', () => {
  it('a drop after the final "." is uncertain, never retried', () => {
    const c = classifyFailure({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'final-reply', true);
    expect(c.outcome).toBe('uncertain');
    expect(c.error.code).toBe('SMTP_UNCERTAIN');
  });

  it('the same drop before the final "." is retried later', () => {
    expect(classifyFailure({ code: 'ESOCKET', message: 'socket hang up' }, 'data', false).outcome).toBe('deferred');
  });

  it('535 is an authentication failure with a fix', () => {
    const c = classifyFailure(
      {
        code: 'EAUTH',
        responseCode: 535,
        response: '535 5.7.8 Authentication credentials invalid',
        message: 'Invalid login',
      },
      'auth',
      false,
    );
    expect(c).toMatchObject({ outcome: 'failed', replyCode: 535, enhancedCode: '5.7.8', error: { code: 'SMTP_AUTH' } });
    expect(c.error.hint).toMatch(/app password/);
  });

  it('4xx is temporary, 5xx is final', () => {
    expect(
      classifyFailure(
        { code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 Greylisted', message: 'x' },
        'mail',
        false,
      ).outcome,
    ).toBe('deferred');
    expect(
      classifyFailure(
        { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user', message: 'x' },
        'rcpt',
        false,
      ),
    ).toMatchObject({ outcome: 'failed', error: { code: 'SMTP_REJECTED' } });
  });

  it('an untrusted certificate is a TLS problem, not a retry', () => {
    expect(classifyFailure({ code: 'ESOCKET', message: 'self-signed certificate' }, 'starttls', false)).toMatchObject({
      outcome: 'failed',
      error: { code: 'SMTP_TLS' },
    });
  });

  it('reads enhanced status codes (RFC 3463)', () => {
    expect(enhancedCodeOf('250 2.0.0 Ok: queued as 4Q9XkT')).toBe('2.0.0');
    expect(enhancedCodeOf('550 5.7.139 Authentication unsuccessful')).toBe('5.7.139');
    expect(enhancedCodeOf('250 Ok')).toBeNull();
  });
});
