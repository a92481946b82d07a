import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Channel, ChannelInput, ChannelOutput } from '../../src-main/shared/contract.ts';
import type { Result } from '../../src-main/shared/result.ts';
import { sessionFromLink } from './bridge-session.ts';
import { assertNoSecretsInPayload } from './secret-watch.ts';

export type WebApp = {
  /** The address without a start code (static files, not the API). */
  base: string;
  /** A new one-time start link, as pressing Enter in the terminal prints it: one per page opened. */
  link(): Promise<string>;
  output: () => string;
  /** One API call as the page makes it (token in the header), for set-up the screen's own test covers. */
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  stop(): Promise<void>;
};

const cli = fileURLToPath(new URL('../../dist/main/bridge/cli.js', import.meta.url));

/**
 * Starts `npm run web`'s server (the built app) as a person would, and reads its address.
 * `appRoot` runs another copy of the built app (a production-only install, say).
 */
export async function startWebApp(options: {
  dataDir: string;
  env: Record<string, string>;
  timeoutMs?: number;
  appRoot?: string;
}): Promise<WebApp> {
  const entry = options.appRoot ? path.join(options.appRoot, 'dist', 'main', 'bridge', 'cli.js') : cli;
  if (!existsSync(entry)) throw new Error('The app is not built: run npm run build before the end-to-end tests.');
  const child: ChildProcess = spawn(process.execPath, [entry, '--data-dir', options.dataDir], {
    env: { ...process.env, ...options.env, CI: '1' },
    // Standard input open: a line asks for a new start link, as Enter does in a terminal.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Every link the app prints, in order; each waiter takes the next one.
  const links: string[] = [];
  const waiting: ((link: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output += `${line}\n`;
    if (!line.startsWith('POSTHORN_URL=')) return;
    const link = line.slice('POSTHORN_URL='.length);
    const waiter = waiting.shift();
    if (waiter) waiter(link);
    else links.push(link);
  });
  const nextLink = (what: string) =>
    new Promise<string>((resolve, reject) => {
      const early = links.shift();
      if (early) return resolve(early);
      const timer = setTimeout(
        () => reject(new Error(`Posthorn printed no ${what} within ${options.timeoutMs ?? 15_000} ms:\n${output}`)),
        options.timeoutMs ?? 15_000,
      );
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`Posthorn exited (${code}) before it was ready:\n${output}`));
      };
      child.once('exit', onExit);
      waiting.push((link) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(link);
      });
    });
  const first = await nextLink('address');
  const base = first.split('#')[0] ?? '';
  let unused: string | null = first;
  const link = async () => {
    if (unused) {
      const fresh = unused;
      unused = null;
      return fresh;
    }
    child.stdin?.write('\n');
    return nextLink('new link');
  };
  // The harness's own session, from a link of its own, as a second browser would get one.
  child.stdin?.write('\n');
  const session = await sessionFromLink(await nextLink('new link'));
  return {
    base,
    link,
    output: () => output,
    call: async (channel, input) => {
      const response = await fetch(`${base}api/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = await response.text();
      assertNoSecretsInPayload(`the answer to ${channel}`, body);
      return JSON.parse(body) as never;
    },
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      // What the app printed (its log, unexpected errors included) holds no secret either.
      assertNoSecretsInPayload('the output of npm run web', output);
    },
  };
}
