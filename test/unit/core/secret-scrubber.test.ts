import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDACTED, REDACTED_WHOLE, SecretScrubber } from '../../../src-main/core/smtp/secret-scrubber.ts';

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
    // Found by the attacker review (issue 19): forms a hostile server can pick.
    ['hex after 0x', `0x${Buffer.from(SECRET).toString('hex')}`],
    ['hex of UTF-16BE', Buffer.from(SECRET, 'utf16le').swap16().toString('hex')],
    ['base64 of UTF-16BE', Buffer.from(SECRET, 'utf16le').swap16().toString('base64')],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
    ['base64 of base64', b64(b64(SECRET))],
    ['reversed', [...SECRET].reverse().join('')],
    ['percent-encoded', encodeURIComponent(SECRET).replace(/-/g, '%2D')],
    ['quoted-printable', [...SECRET].map((c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')],
    [
      'colon-separated hex',
      Buffer.from(SECRET)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1:'),
    ],
    ['spaced letters', [...SECRET].join(' ')],
    ['upper case', SECRET.toUpperCase()],
    [
      'rot13',
      SECRET.replace(/[a-z]/gi, (c) =>
        String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 84) % 26) + (c === c.toLowerCase() ? 97 : 65)),
      ),
    ],
    ['\\u escapes', [...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
    ['HTML entities', [...SECRET].map((c) => `&#${c.charCodeAt(0)};`).join('')],
  ])('%s', (_form, leaked) => {
    const scrubbed = scrubber.text(`535 5.7.8 Authentication failed for ${leaked} (try again)`);
    // Found whole: only the secret goes; found in disguise: the whole text goes, its reply code kept.
    expect(
      scrubbed === `535 5.7.8 ${REDACTED_WHOLE}` ||
        /^535 5\.7\.8 Authentication failed for \S*‹redacted›/.test(scrubbed),
    ).toBe(true);
    // Nothing is left to find: scrubbing again changes nothing.
    expect(scrubber.text(scrubbed)).toBe(scrubbed);
    expect(scrubbed).not.toContain(SECRET);
    for (const part of [leaked, b64(SECRET)]) expect(scrubbed).not.toContain(part);
  });

  it('split over the lines of a multi-line reply (the whole reply goes), or base64 wrapped across two lines', () => {
    const half = Math.floor(SECRET.length / 2);
    const split = `535-5.7.8 nope ${SECRET.slice(0, half)}\r\n535 5.7.8 ${SECRET.slice(half)} again`;
    const blob = b64(`\0${USER}\0${SECRET}`);
    const wrapped = `535-5.7.8 ${blob.slice(0, 12)}\r\n535 5.7.8 ${blob.slice(12)}`;
    // Each line keeps its reply code: what the server decided still reads.
    expect(scrubber.text(split)).toBe(`535-5.7.8 ${REDACTED_WHOLE}\n535 5.7.8 ${REDACTED_WHOLE}`);
    // The wrapped blob: the half that holds the password goes (the other only names the user).
    const scrubbed = scrubber.text(wrapped);
    expect(scrubbed).not.toContain(blob.slice(12));
    expect(scrubber.text(scrubbed)).toBe(scrubbed);
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

  it('learns a token renewed in the middle of a login, and scrubs it from then on (text seen before included)', () => {
    const scrubber = SecretScrubber.forLogin(USER, 'first-access-token-0001');
    const renewed = 'second-access-token-0002';
    const line = `535 5.7.8 token ${renewed}`;
    expect(scrubber.text(line)).toBe(line); // not known yet
    scrubber.learn(renewed);
    expect(scrubber.text(line)).toBe(`535 5.7.8 token ${REDACTED}`);
    expect(scrubber.text(`535 ${b64(`user=${USER}\x01auth=Bearer ${renewed}\x01\x01`)}`)).toBe(`535 ${REDACTED}`);
    expect(scrubber.text('535 first-access-token-0001')).toBe(`535 ${REDACTED}`);
    expect(() => SecretScrubber.none.learn(renewed)).toThrow();
  });
});
