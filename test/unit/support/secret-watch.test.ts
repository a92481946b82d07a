import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoSecretsInPayload, secret } from '../../support/secret-watch.ts';
import { tempDataDir } from '../../support/temp-dir.ts';

/** The leak checks themselves: each must see a secret in every form it is registered in. */
describe('secret watch', () => {
  const USER = 'watch@example.test';
  const PASSWORD = secret('watch-Pa55', USER);

  it('a data folder holding the password, the base64 username or the PLAIN blob fails its removal (and is still removed)', () => {
    for (const leaked of [
      PASSWORD,
      Buffer.from(USER).toString('base64'),
      Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64'),
    ]) {
      const data = tempDataDir('watch');
      writeFileSync(
        path.join(data.dir, 'posthorn.sqlite-wal'),
        Buffer.concat([Buffer.from('junk'), Buffer.from(leaked, 'utf16le')]),
      );
      expect(() => data.remove()).toThrow(/A secret was written to the data folder/);
      expect(() => data.remove()).not.toThrow(); // gone
    }
    const clean = tempDataDir('watch');
    writeFileSync(path.join(clean.dir, 'file'), `user ${USER} is not a secret by itself`);
    expect(() => clean.remove()).not.toThrow();
  });

  it('a payload for the renderer holding a token fails', () => {
    const token = secret('ya29.watch-token', USER);
    expect(() =>
      assertNoSecretsInPayload('a result', {
        ok: true,
        value: {
          lines: [
            { text: `AUTH XOAUTH2 ${Buffer.from(`user=${USER}\x01auth=Bearer ${token}\x01\x01`).toString('base64')}` },
          ],
        },
      }),
    ).toThrow(/handed to the renderer/);
    expect(() =>
      assertNoSecretsInPayload('a result', { ok: true, value: { text: 'AUTH PLAIN [hidden]' } }),
    ).not.toThrow();
  });
});
