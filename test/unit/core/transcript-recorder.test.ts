import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../../../src-main/core/smtp/secret-scrubber.ts';
import { TranscriptRecorder } from '../../../src-main/core/smtp/transcript-recorder.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const USER = 'alice@example.test';
const PASS = 's3cret-Pa55';

/** Feeds the recorder the way nodemailer's logger calls it: (meta, format, ...args). */
function feed(recorder: TranscriptRecorder, entries: [string, string][]) {
  for (const [tnx, text] of entries) recorder.logger.debug({ tnx }, '%s', text);
}

describe('transcript redaction', () => {
  it('AUTH PLAIN: keeps the mechanism, drops the payload (nodemailer masks only the password)', () => {
    const recorder = new TranscriptRecorder({ scrubber: SecretScrubber.forLogin(USER, PASS) });
    feed(recorder, [
      ['client', `AUTH PLAIN ${b64(`\0${USER}\0/* secret */`)}`],
      ['server', '235 2.7.0 Authentication successful'],
      ['client', 'MAIL FROM:<alice@example.test>'],
    ]);
    expect(recorder.lines.map((l) => l.text)).toEqual([
      'AUTH PLAIN ‹credentials redacted›',
      '235 2.7.0 Authentication successful',
      'MAIL FROM:<alice@example.test>',
    ]);
  });

  it('AUTH LOGIN: the username and password lines after each 334 are redacted', () => {
    const recorder = new TranscriptRecorder({ scrubber: SecretScrubber.forLogin(USER, PASS) });
    feed(recorder, [
      ['client', 'AUTH LOGIN'],
      ['server', '334 VXNlcm5hbWU6'],
      ['client', b64(USER)],
      ['server', '334 UGFzc3dvcmQ6'],
      ['client', '/* secret */'],
      ['server', '235 2.7.0 Authentication successful'],
      ['client', 'MAIL FROM:<alice@example.test>'],
    ]);
    const text = recorder.lines.map((l) => l.text);
    expect(text).toEqual([
      'AUTH LOGIN',
      '334 VXNlcm5hbWU6',
      '‹credentials redacted›',
      '334 UGFzc3dvcmQ6',
      '‹credentials redacted›',
      '235 2.7.0 Authentication successful',
      'MAIL FROM:<alice@example.test>',
    ]);
    expect(text.join('\n')).not.toContain(b64(USER));
  });

  it('XOAUTH2 and CRAM-MD5 responses are redacted, including after a failed challenge', () => {
    const recorder = new TranscriptRecorder();
    feed(recorder, [
      ['client', 'AUTH XOAUTH2 dXNlcj1hbGljZQFhdXRoPUJlYXJlciB5YTI5LnRva2VuAQE='],
      ['server', '334 eyJzdGF0dXMiOiI0MDEifQ=='],
      ['client', ''],
      ['server', '535 5.7.8 Username and Password not accepted'],
      ['client', 'AUTH CRAM-MD5'],
      ['server', '334 PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVkdT4='],
      ['client', 'YWxpY2UgYjkxM2E2MDJjN2VkYTdhNDk1YjRlNmU3MzM0ZDM4OTA='],
      ['server', '235 Authentication successful'],
    ]);
    const text = recorder.lines.map((l) => l.text).join('\n');
    expect(text).toContain('AUTH XOAUTH2 ‹credentials redacted›');
    expect(text).not.toContain('dXNlcj1hbGljZQ');
    expect(text).not.toContain('YWxpY2UgYjkx');
    expect(text).toContain('535 5.7.8 Username and Password not accepted');
  });

  it('scrubs a literal password or base64 username wherever else it appears', () => {
    const recorder = new TranscriptRecorder({ scrubber: SecretScrubber.forLogin(USER, PASS) });
    recorder.logger.error({ tnx: 'smtp' }, 'Something echoed %s and %s', PASS, b64(USER));
    expect(recorder.lines[0]?.text).toBe('Something echoed ‹redacted› and ‹redacted›');
    expect(recorder.lines[0]?.dir).toBe('error');
  });

  it('never records message content; the size summary marks the final "." as sent', () => {
    let dots = 0;
    const recorder = new TranscriptRecorder({ hooks: { onFinalDot: () => dots++ } });
    recorder.logger.debug({ tnx: 'message' }, 'Subject: private\r\n\r\nthe body text');
    expect(recorder.lines).toEqual([]);
    expect(recorder.finalDotSent).toBe(false);
    recorder.logger.info(
      { tnx: 'message', inByteCount: 100, outByteCount: 102 },
      '<%s bytes encoded mime message (source size %s bytes)>',
      102,
      100,
    );
    expect(recorder.finalDotSent).toBe(true);
    expect(dots).toBe(1);
    expect(recorder.phase).toBe('final-reply');
    expect(recorder.lines[0]?.text).toContain('102 bytes encoded mime message');
  });

  it('tracks the phase from the commands sent', () => {
    const recorder = new TranscriptRecorder();
    feed(recorder, [['network', 'Connection established to 127.0.0.1:587']]);
    expect(recorder.phase).toBe('greeting');
    for (const [command, phase] of [
      ['EHLO host', 'ehlo'],
      ['STARTTLS', 'starttls'],
      ['AUTH PLAIN x', 'auth'],
      ['MAIL FROM:<a@b.c>', 'mail'],
      ['RCPT TO:<b@c.d>', 'rcpt'],
      ['DATA', 'data'],
      ['QUIT', 'quit'],
    ] as const) {
      recorder.logger.debug({ tnx: 'client' }, '%s', command);
      expect(recorder.phase).toBe(phase);
    }
  });
});
