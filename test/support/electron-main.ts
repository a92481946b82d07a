import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StandInRecord } from './electron-stand-in/electron.ts';
import type { StandInCommand, StandInReply } from './electron-stand-in/protocol.ts';

export type ElectronMain = {
  /** One request to the stand-in process (see protocol.ts). */
  ask<T = unknown>(command: StandInCommand): Promise<T>;
  record(): Promise<StandInRecord>;
  /** Polls the record until `check` holds, or fails with the process's output. */
  waitFor(check: (record: StandInRecord) => boolean, what: string, timeoutMs?: number): Promise<StandInRecord>;
  /** The process's end: its exit code and the record it wrote as it ended. */
  exited: Promise<{ code: number | null; record: StandInRecord | null }>;
  output(): string;
  kill(): Promise<void>;
};

const boot = fileURLToPath(new URL('./electron-stand-in/boot.ts', import.meta.url));

/**
 * Starts the built Electron main process (`<appRoot>/dist/main/electron/main.js`) in a child
 * Node process on the stand-in `electron` module, with `args` as its command-line arguments.
 */
export async function bootElectronMain(options: {
  appRoot: string;
  userData: string;
  env: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
}): Promise<ElectronMain> {
  const mainJs = path.join(options.appRoot, 'dist', 'main', 'electron', 'main.js');
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run npm run build first.`);
  const recordFile = path.join(options.userData, '..', `stand-in-record-${process.pid}-${Date.now()}.json`);
  const child = fork(boot, [options.appRoot, ...(options.args ?? [])], {
    cwd: options.appRoot,
    execArgv: ['--disable-warning=ExperimentalWarning'],
    env: { ...options.env, POSTHORN_STANDIN_USER_DATA: options.userData, POSTHORN_STANDIN_RECORD: recordFile },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Structured clone, as Electron's IPC uses: an answer it could not carry fails here too.
    serialization: 'advanced',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<{ code: number | null; record: StandInRecord | null }>((resolve) => {
    child.once('exit', (code) => {
      for (const waiting of pending.values())
        waiting.reject(new Error(`The Electron main process ended (exit ${code}):\n${output}`));
      pending.clear();
      resolve({
        code,
        record: existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as StandInRecord) : null,
      });
    });
  });
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`The Electron main process did not load within ${options.timeoutMs ?? 15_000} ms:\n${output}`),
        ),
      options.timeoutMs ?? 15_000,
    );
    child.on('message', (reply: StandInReply) => {
      if (reply.id === 0) {
        clearTimeout(timer);
        resolve();
        return;
      }
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(new Error(reply.error));
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`The Electron main process ended (exit ${code}) before it loaded:\n${output}`));
    });
  });
  await loaded;

  const ask = <T>(command: StandInCommand) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, command });
    });
  const record = () => ask<StandInRecord>({ op: 'record' });
  return {
    ask,
    record,
    waitFor: async (check, what, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = await record();
        if (check(now)) return now;
        if (Date.now() > deadline)
          throw new Error(
            `The Electron main process never got to: ${what}.\nRecord: ${JSON.stringify(now).slice(0, 2000)}\nOutput:\n${output}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    exited,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
