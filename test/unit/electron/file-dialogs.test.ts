import os from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import * as electron from '../../support/electron-stand-in/electron.ts';

/** Someone's home folder (this machine's own, so no made-up path is written into the tests). */
const home = os.homedir();

vi.mock('electron', () => import('../../support/electron-stand-in/electron.ts'));
const { fileDialogs } = await import('../../../src-main/electron/file-dialogs.ts');

/**
 * The question before a drop is attached (issue 19): every path is shown, hidden files and
 * folders first and called so, so a compromised page cannot slip ~/.ssh/id_rsa in at the end.
 */
describe('"Attach these files?"', () => {
  it('names every file, hidden ones first with a warning, and attaches only on "Attach"', async () => {
    electron.app.becomeReady();
    const harmless = Array.from({ length: 12 }, (_, i) => `/usr/share/doc/file-${i}.txt`);
    const paths = [...harmless, `${home}/.ssh/id_rsa`, `${home}/.config/Posthorn/posthorn.sqlite`];
    electron.settings.messageBoxAnswer = 1;
    expect(await fileDialogs(() => null).confirmDrop(paths)).toBe(false);
    const question = electron.record.messageBoxes.at(-1);
    expect(question?.message).toBe('Attach 14 files to the message?');
    const lines = (question?.detail ?? '').split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Hidden files, not usually attached:',
      `${home}/.ssh/id_rsa`,
      `${home}/.config/Posthorn/posthorn.sqlite`,
    ]);
    for (const file of harmless) expect(lines).toContain(file);
    // System and application folders of every platform are called so too, and then "Cancel" is the default.
    electron.settings.messageBoxAnswer = null;
    for (const system of [
      '/Users/ada/Library/Keychains/login.keychain-db',
      'C:\\Users\\ada\\AppData\\Roaming\\Posthorn\\posthorn.sqlite',
      '/proc/self/environ',
      'C:\\Users\\ada\\SSH~1\\id_rsa',
    ]) {
      expect(await fileDialogs(() => null).confirmDrop([system])).toBe(false);
      expect(electron.record.messageBoxes.at(-1)?.detail?.split('\n')[0]).toBe('Hidden files, not usually attached:');
      expect(electron.record.messageBoxes.at(-1)?.defaultId).toBe(1); // Enter says Cancel
    }
    electron.settings.messageBoxAnswer = 0;
    expect(await fileDialogs(() => null).confirmDrop([`${home}/report.pdf`])).toBe(true);
    expect(electron.record.messageBoxes.at(-1)).toMatchObject({
      message: 'Attach "report.pdf" to the message?',
      detail: `${home}/report.pdf`,
    });
    electron.settings.messageBoxAnswer = null;
  });
});
