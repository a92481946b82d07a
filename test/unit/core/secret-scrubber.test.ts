import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDACTED, SecretScrubber } from '../../../src-main/core/smtp/secret-scrubber.ts';

const USER = 'ada@example.org';
const SECRET = 'Correct-Horse-9';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const scrubber = SecretScrubber.forLogin(USER, SECRET);

describe('scrubbing a login out of what a server said', () => {
  const cram = b64(`${USER} ${createHmac('md5', SECRET).update('<1.2@x>').digest('hex')}`);
  it.each([
    ['as typed', SECRET],
    ['base64 (AUTH LOGIN)', b64(SECRET)],
    ['the AUTH PLAIN blob', b64(`\0${USER}\0${SECRET}`)],
    ['the AUTH PLAIN blob with an authorisation identity', b64(`${USER}\0${USER}\0${SECRET}`)],
    ['the XOAUTH2 blob', b64(`user=${USER}\x01auth=Bearer ${SECRET}\x01\x01`)],
    ['the OAUTHBEARER blob', b64(`n,a=${USER},\x01auth=Bearer ${SECRET}\x01\x01`)],
    ['the CRAM-MD5 answer', cram],
    ['the CRAM-MD5 answer decoded', Buffer.from(cram, 'base64').toString('utf8')],
    ['UTF-16LE bytes read as text', Buffer.from(SECRET, 'utf16le').toString('latin1')],
    ['UTF-16BE bytes read as text', Buffer.from(SECRET, 'utf16le').swap16().toString('latin1')],
    ['base64 of UTF-16', Buffer.from(SECRET, 'utf16le').toString('base64')],
    ['hex', Buffer.from(SECRET).toString('hex')],
    ['a base64 run glued to other letters', `xy${b64(`\0${USER}\0${SECRET}`)}`],
  ])('%s', (_form, leaked) => {
    const scrubbed = scrubber.text(`535 5.7.8 Authentication failed for ${leaked} (try again)`);
    expect(scrubbed).toContain(REDACTED);
    expect(scrubbed).toMatch(/^535 5\.7\.8 Authentication failed for .*\(try again\)$/);
    expect(scrubbed).not.toContain(SECRET);
    for (const part of [leaked, b64(SECRET)]) expect(scrubbed).not.toContain(part);
  });

  it('ordinary replies are left alone, long words and queue ids included', () => {
    const reply = '250 2.0.0 Ok: queued as 4QXkT9Lm2Bz AuthenticationSucceeded 0123456789abcdef';
    expect(scrubber.text(reply)).toBe(reply);
  });

  it('a whole report: every string in it, nested, and nothing else changed', () => {
    const report = { code: 535, error: { message: `failed for ${SECRET}` }, lines: [{ t: 1, text: b64(SECRET) }] };
    expect(scrubber.deep(report)).toEqual({
      code: 535,
      error: { message: `failed for ${REDACTED}` },
      lines: [{ t: 1, text: REDACTED }],
    });
  });

  it('a login without a password has nothing to scrub but the base64 username nodemailer logs', () => {
    const none = SecretScrubber.forLogin(USER, null);
    expect(none.text(`334 ${b64(USER)}`)).toBe(`334 ${REDACTED}`);
    expect(SecretScrubber.none.deep({ a: SECRET })).toEqual({ a: SECRET });
  });
});
