import { describe, expect, it } from 'vitest';
import { diagnose, parseReply } from '../../../src-main/shared/reply-codes.ts';

/** Every code the issue names, explained with a fix, from the one table. */
describe('reply code diagnosis', () => {
  it.each([
    ['535 5.7.8 Username and Password not accepted', /Wrong password/, /app password/],
    ['535 5.7.139 Authentication unsuccessful, basic authentication is disabled', /OAuth only/, /XOAUTH2/],
    ['550 5.7.1 Relaying denied', /Relay denied or sender not allowed/, /Log in/],
    ['552 5.3.4 Message size exceeds fixed limit', /too large/, /attachments/],
    ['554 5.7.1 Message rejected as spam', /spam/, /Do not resend unchanged/],
    ['421 4.7.0 Try again later, closing connection', /Rate limited/, /retries later/],
    ['451 4.7.1 Greylisted, please try again', /Greylisting/, /retries after a few minutes/],
    ['550 5.1.1 <nobody@example.org>: Recipient address rejected', /No such user/, /typos/],
    ['534 5.7.9 Application-specific password required', /App password needed/, /app password/],
    ['530 5.7.0 Must issue a STARTTLS command first', /encryption required first/, /STARTTLS/],
  ])('%s', (reply, title, fix) => {
    const d = diagnose(reply);
    expect(d?.title).toMatch(title);
    expect(d?.fix ?? '').toMatch(fix);
    expect(d?.meaning.length).toBeGreaterThan(20);
  });

  it('falls back from enhanced to basic code to the class', () => {
    expect(diagnose('550 5.9.9 Something new')?.title).toBe('Refused');
    expect(diagnose('452 Too many recipients')?.title).toMatch(/Not enough storage/);
    expect(diagnose('499 odd')?.severity).toBe('temporary');
    expect(diagnose('250 2.0.0 Ok: queued as X')).toMatchObject({ title: 'Accepted', fix: null, severity: 'ok' });
    expect(diagnose('not a reply')).toBeNull();
  });

  it('reads basic and enhanced codes', () => {
    expect(parseReply('250-PIPELINING')).toEqual({ basic: 250, enhanced: null });
    expect(parseReply('550 5.7.139 x')).toEqual({ basic: 550, enhanced: '5.7.139' });
  });
});
