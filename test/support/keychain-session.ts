import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export type KeychainSession = {
  /** The environment a process needs to use this keychain (a Secret Service's bus, or a service name of its own). */
  env: Record<string, string>;
  /**
   * A stored secret as the OS itself reports it (secret-tool, macOS `security`), not through keytar where a tool
   * exists.
   */
  lookupFromOutside(service: string, accountName: string): Promise<string | null>;
  /** A keychain service name for one test's store; removed with the session where the keychain is the person's own. */
  service(label: string): string;
  /** Whether "no keychain at all" can be staged (only a Secret Service's bus can be pointed nowhere). */
  canBeUnreachable: boolean;
  stop(): Promise<void>;
};

const run = promisify(execFile);

const script = fileURLToPath(new URL('./keychain-session.sh', import.meta.url));

/**
 * Linux: a real, private, unlocked Secret Service (gnome-keyring) on its own D-Bus session bus,
 * with its keyrings in a fresh temporary folder. Nothing touches the person's own keychain.
 * macOS and Windows have one keychain per user and no way to start a private one: there the
 * OS keychain itself is used, under a service name of this session's own
 * (POSTHORN_KEYCHAIN_SERVICE, which Posthorn's default keychain store honours), and every entry
 * under that name is removed when the session stops.
 */
export async function startKeychainSession(timeoutMs = 15_000): Promise<KeychainSession> {
  if (process.platform !== 'linux') return osKeychainSession();
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
    const timer = setTimeout(
      () => reject(new Error(`The test keychain did not start within ${timeoutMs} ms. ${stderr}`)),
      timeoutMs,
    );
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

  const env = { DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: data, XDG_RUNTIME_DIR: runtime };
  return {
    env,
    service: (label) => `Posthorn-${label}-${process.pid}`,
    canBeUnreachable: true,
    lookupFromOutside: async (service, accountName) => {
      try {
        return (
          await run('secret-tool', ['lookup', 'service', service, 'account', accountName], {
            env: { ...process.env, ...env },
          })
        ).stdout;
      } catch {
        return null; // secret-tool exits 1 when nothing matches
      }
    },
    stop: async () => {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

type KeytarApi = {
  getPassword(service: string, account: string): Promise<string | null>;
  findCredentials(service: string): Promise<{ account: string }[]>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

function osKeychainSession(): KeychainSession {
  const keytar = createRequire(import.meta.url)('keytar') as KeytarApi;
  const service = `Posthorn-test-${randomBytes(6).toString('hex')}`;
  const used = new Set([service]);
  return {
    env: { POSTHORN_KEYCHAIN_SERVICE: service },
    service: (label) => {
      const name = `${service}-${label}`;
      used.add(name);
      return name;
    },
    canBeUnreachable: false,
    // macOS asks before another program (the `security` tool) reads an item keytar made, and
    // Windows has no command that reveals one: both are read back through the OS's own API.
    lookupFromOutside: async (name, accountName) => {
      used.add(name);
      return keytar.getPassword(name, accountName);
    },
    stop: async () => {
      // Bounded: an item another program (the Electron app under test) made may need the person's
      // permission to read on macOS; a test run must not wait for it.
      const cleanup = (async () => {
        for (const name of used)
          for (const { account } of await keytar.findCredentials(name)) await keytar.deletePassword(name, account);
      })();
      const limit = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
      await Promise.race([cleanup.catch(() => undefined), limit]);
    },
  };
}
