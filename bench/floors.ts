// The floors the targets stand on, measured on this machine: what one flush to this disk costs
// (a small file written and flushed; a SQLite commit with synchronous=FULL against one with
// NORMAL, in WAL mode, as the store uses them); how long the sink takes to greet a new
// connection (smtp-server waits 100 ms before its greeting on purpose); and what the durable
// record of one attempt costs on its own, through the outbox's own repositories with no SMTP at
// all (the claim with the previous outcome in one commit, then the final-dot mark).
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AttemptStore } from '../src-main/core/logs/attempt-store.ts';
import { OutboxRepo } from '../src-main/core/outbox/outbox-repo.ts';
import { openStore } from '../src-main/core/services.ts';
import type { TranscriptLine } from '../src-main/shared/schemas/smtp.ts';
import { selfSignedCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { startBenchSink } from './sink.ts';

const ROUNDS = 200;

export type Floors = {
  /** A 4 KB file written and flushed (fdatasync), p50. */
  fileFlushMs: number;
  /** A SQLite commit of one small row in WAL mode with synchronous=FULL (one flush of the WAL), p50. */
  fullCommitMs: number;
  /** The same commit with synchronous=NORMAL (no flush), p50. */
  normalCommitMs: number;
  /** From connecting to the sink to its 220 greeting, p50 of 5. */
  greetingMs: number;
  /**
   * The durable record of one attempt alone, p50 over 1,000 messages: the claim (outbox row to
   * "sending", the attempt row) in one commit with the previous message's outcome (its attempt
   * with a 15-line transcript, its outbox row), then the final-dot mark; NORMAL commits, as the
   * sender writes them.
   */
  recordMs: number;
};

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function timed(rounds: number, work: (i: number) => void): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    work(i);
    times.push(performance.now() - started);
  }
  return p50(times);
}

function diskFloors(dir: string): Pick<Floors, 'fileFlushMs' | 'fullCommitMs' | 'normalCommitMs'> {
  const bytes = Buffer.alloc(4096, 97);
  const fileFlushMs = timed(ROUNDS, (i) => {
    const fd = openSync(path.join(dir, `flush-${i}.tmp`), 'w');
    writeSync(fd, bytes);
    fdatasyncSync(fd);
    closeSync(fd);
  });
  const db = new Database(path.join(dir, 'floor.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const commit = () => db.transaction(() => insert.run(bytes))();
    db.pragma('synchronous = FULL');
    const fullCommitMs = timed(ROUNDS, commit);
    db.pragma('synchronous = NORMAL');
    const normalCommitMs = timed(ROUNDS, commit);
    return { fileFlushMs, fullCommitMs, normalCommitMs };
  } finally {
    db.close();
  }
}

function greeting(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', () => {
      resolve(performance.now() - started);
      socket.destroy();
    });
    socket.once('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no greeting in 5 s')));
  });
}

/** A transcript of the size a real attempt on a kept connection has (15 lines). */
const TRANSCRIPT: TranscriptLine[] = Array.from({ length: 15 }, (_, i) => ({
  t: i * 0.05,
  dir: i % 2 === 0 ? 'C' : 'S',
  text: i % 2 === 0 ? `RCPT TO:<recipient${i}@example.test>` : '250 2.1.5 Ok',
}));

async function recordFloor(dir: string): Promise<number> {
  const store = openStore(dir);
  try {
    // The bench writes the rows the sender writes, without an account row behind them.
    store.db.pragma('foreign_keys = OFF');
    const repo = new OutboxRepo(store.db);
    const attempts = new AttemptStore(store.db);
    const count = 1000;
    for (let i = 0; i < count; i++)
      repo.insert({
        id: `m${i}`,
        accountId: 'bench',
        messageId: `<m${i}@example.test>`,
        from: 'bench@example.test',
        envelopeFrom: 'bench@example.test',
        to: [`r${i}@example.test`],
        subject: `Message ${i}`,
        spoolFile: `m${i}.eml`,
        size: 400,
        createdAt: i,
        notBefore: i,
        expiresAt: i + 86_400_000,
        draft: null,
        dsn: null,
        route: 'account',
        legDomain: null,
        legOf: null,
      });
    return timed(count, (i) => {
      store.db.transaction(() => {
        if (i > 0) {
          attempts.finish(`a${i - 1}`, {
            outcome: 'sent',
            phase: 'final-reply',
            replyCode: 250,
            enhancedCode: '2.0.0',
            response: '250 2.0.0 Ok: queued',
            finalDotSent: true,
            error: null,
            facts: null,
            lines: TRANSCRIPT,
            endedAt: i,
          });
          repo.settle(`m${i - 1}`, {
            state: 'sent',
            lastReply: '250 2.0.0 Ok: queued',
            lastError: null,
            nextAttemptAt: null,
            now: i,
          });
        }
        repo.markSending(`m${i}`, i);
        attempts.start(`a${i}`, `m${i}`, i);
      })();
      attempts.markFinalDot(`a${i}`);
    });
  } finally {
    await store.close();
  }
}

export async function runFloors(): Promise<Floors> {
  const data = tempDataDir('bench-floors');
  const sink = await startBenchSink(selfSignedCertificate(), 'floor@example.test', 'floor');
  try {
    const greetings: number[] = [];
    for (let i = 0; i < 5; i++) greetings.push(await greeting(sink.port));
    return {
      ...diskFloors(data.dir),
      greetingMs: p50(greetings),
      recordMs: await recordFloor(path.join(data.dir, 'record')),
    };
  } finally {
    await sink.close();
    data.remove();
  }
}
