import os from 'node:os';
import path from 'node:path';

/**
 * Where Posthorn keeps its database and spool outside Electron: `--data-dir`, then
 * POSTHORN_DATA_DIR, then the same per-user folder Electron's userData would use.
 */
export function resolveDataDir(dataDirFlag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (dataDirFlag) return path.resolve(dataDirFlag);
  if (env.POSTHORN_DATA_DIR) return path.resolve(env.POSTHORN_DATA_DIR);
  return defaultUserDataDir(env);
}

function defaultUserDataDir(env: NodeJS.ProcessEnv): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Posthorn');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Posthorn');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Posthorn');
  }
}
