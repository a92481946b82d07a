import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type WebApp = { url: string; output: () => string; stop(): Promise<void> };

const cli = fileURLToPath(new URL('../../dist/main/bridge/cli.js', import.meta.url));

/** Starts `npm run web`'s server (the built app) as a person would, and reads its address. */
export async function startWebApp(options: { dataDir: string; env: Record<string, string>; timeoutMs?: number }): Promise<WebApp> {
  if (!existsSync(cli)) throw new Error('The app is not built: run npm run build before the end-to-end tests.');
  const child: ChildProcess = spawn(process.execPath, [cli, '--data-dir', options.dataDir], {
    env: { ...process.env, ...options.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Posthorn did not start within ${options.timeoutMs ?? 15_000} ms:\n${output}`)), options.timeoutMs ?? 15_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      if (line.startsWith('POSTHORN_URL=')) {
        clearTimeout(timer);
        resolve(line.slice('POSTHORN_URL='.length));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Posthorn exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
