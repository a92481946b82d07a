import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoSecretsIn } from './secret-watch.ts';

export { filesUnder, findInFiles } from './files-under.ts';

/**
 * A fresh data folder for one test. Before it is removed, every file in it is searched for
 * every secret the test registered (see secret-watch.ts): a leak fails the test that made it.
 */
export function tempDataDir(label = 'data'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `posthorn-${label}-`));
  return {
    dir,
    remove: () => {
      try {
        if (existsSync(dir)) assertNoSecretsIn(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
