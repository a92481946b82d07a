import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppLog, LOG_FILE } from '../../../src-main/core/logs/app-log.ts';

describe('the app log', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-applog-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps unexpected errors with their stack in logs/posthorn.log, readable by this user only', () => {
    const log = new AppLog(dataDir());
    log.error('outbox', new Error('database is locked'));
    const text = readFileSync(path.join(log.dir, LOG_FILE), 'utf8');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR \[outbox\] Error: database is locked\n\s+at /);
    if (process.platform !== 'win32') {
      expect(statSync(path.join(log.dir, LOG_FILE)).mode & 0o777).toBe(0o600);
      expect(statSync(log.dir).mode & 0o777).toBe(0o700);
    }
  });

  it('scrubs every secret it was given, as typed and inside base64 AUTH blobs', () => {
    const log = new AppLog(dataDir());
    const password = 'Hunter2-correct-horse';
    log.scrubWith(() => [password]);
    const plain = Buffer.from(`\0me@example.test\0${password}`).toString('base64');
    const xoauth = Buffer.from(`user=me@example.test\x01auth=Bearer ${password}\x01\x01`).toString('base64');
    log.error('send', new Error(`535 5.7.8 rejected ${plain} and ${xoauth}; password was ${password}`));
    const text = readFileSync(path.join(log.dir, LOG_FILE), 'utf8');
    for (const secret of [password, plain, xoauth, Buffer.from(password).toString('base64')])
      expect(text).not.toContain(secret);
    expect(text).toContain('535 5.7.8 rejected ‹redacted› and ‹redacted›; password was ‹redacted›');
  });

  it('scrubs before it cuts a long entry, and finds a secret in a hex dump', () => {
    const log = new AppLog(dataDir());
    const password = 'Cut-in-two-by-the-cap-31-chars!';
    log.scrubWith(() => [password]);
    // The password straddles the 8,000-character cap of an entry.
    log.error('send', new Error(`${'x'.repeat(7985 - 'Error: '.length)}${password} and more`));
    log.write('warn', 'send', `socket bytes ${Buffer.from(`AUTH ${password}`).toString('hex')}`);
    const text = readFileSync(path.join(log.dir, LOG_FILE), 'utf8');
    for (let cut = 8; cut <= password.length; cut++) expect(text).not.toContain(password.slice(0, cut));
    expect(text).not.toContain(Buffer.from(password).toString('hex'));
    expect(text).toContain('socket bytes ‹redacted›');
  });

  it('rotates at its size limit, keeping the newest three files', () => {
    const log = new AppLog(dataDir(), { maxBytes: 2000 });
    for (let i = 0; i < 40; i++) log.write('info', 'test', `entry ${i} ${'x'.repeat(200)}`);
    const files = readdirSync(log.dir).sort();
    expect(files).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    for (const file of files) expect(statSync(path.join(log.dir, file)).size).toBeLessThanOrEqual(2000);
    expect(readFileSync(path.join(log.dir, LOG_FILE), 'utf8')).toContain('entry 39 ');
    expect(readFileSync(path.join(log.dir, `${LOG_FILE}.2`), 'utf8')).not.toContain('entry 0 ');
  });

  it('never throws, even where the folder cannot be written', () => {
    const dir = dataDir();
    const log = new AppLog(path.join(dir, 'missing', '\0bad'));
    expect(() => log.error('x', new Error('y'))).not.toThrow();
  });
});
