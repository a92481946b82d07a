import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type KeychainSession = {
  /** The environment a process needs to use this Secret Service. */
  env: { DBUS_SESSION_BUS_ADDRESS: string; XDG_DATA_HOME: string; XDG_RUNTIME_DIR: string };
  stop(): Promise<void>;
};

const script = fileURLToPath(new URL('./keychain-session.sh', import.meta.url));

/**
 * A real, private, unlocked Secret Service (gnome-keyring) on its own D-Bus session bus,
 * with its keyrings in a fresh temporary folder. Nothing touches the person's own keychain.
 */
export async function startKeychainSession(timeoutMs = 15_000): Promise<KeychainSession> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'posthorn-keyring-'));
  const runtime = path.join(home, 'run');
  const data = path.join(home, 'data');
  // gnome-keyring insists on a private runtime folder.
  mkdirSync(runtime, { mode: 0o700 });
  mkdirSync(data, { mode: 0o700 });
  const child = spawn('dbus-run-session', ['--', 'bash', script], {
    env: { ...process.env, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: data, DISPLAY: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const address = await new Promise<string>((resolve, reject) => {
    let found: string | null = null;
    const timer = setTimeout(() => reject(new Error(`The test keychain did not start within ${timeoutMs} ms. ${stderr}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('DBUS_SESSION_BUS_ADDRESS=')) found = line.slice('DBUS_SESSION_BUS_ADDRESS='.length);
      if (line === 'READY' && found) {
        clearTimeout(timer);
        resolve(found);
      }
      if (line.startsWith('KEYRING_FAILED')) {
        clearTimeout(timer);
        reject(new Error(`gnome-keyring-daemon did not start: ${line}`));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`dbus-run-session could not be started (install the dbus package): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The test keychain stopped early (exit ${code}). ${stderr}`));
    });
  });

  return {
    env: { DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: data, XDG_RUNTIME_DIR: runtime },
    stop: async () => {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
