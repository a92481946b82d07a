import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';

const child = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));
const TRIALS = 12;
const BATCH = 60;

/** A small seeded generator, so a failing trial can be replayed from the printed seed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Run = { ids: string[]; code: number | null; killed: boolean };

function runChild(args: string[], killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Type stripping is on by default from Node 22.18; the flag covers earlier 22.x.
    const proc = spawn(process.execPath, ['--experimental-strip-types', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ids: string[] = [];
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      let end = out.indexOf('\n');
      while (end >= 0) {
        const line = out.slice(0, end);
        out = out.slice(end + 1);
        if (line === 'READY') armKiller();
        if (line.startsWith('ENQUEUED ')) ids.push(line.slice('ENQUEUED '.length));
        end = out.indexOf('\n');
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    let killed = false;
    let killer: NodeJS.Timeout | null = null;
    const armKiller = () => {
      if (killAfterMs === null || killer) return;
      killer = setTimeout(() => {
        killed = true;
        proc.kill('SIGKILL');
      }, killAfterMs);
    };
    const limit = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`crash child did not finish in 30 s: ${err}`));
    }, 30_000);
    proc.on('exit', (code) => {
      if (killer) clearTimeout(killer);
      clearTimeout(limit);
      if (!killed && code !== 0) return reject(new Error(`crash child failed (${code}): ${err}`));
      resolve({ ids, code, killed });
    });
  });
}

/**
 * SIGKILL at random moments while a batch is queued and sent, then restart until it is done:
 * no message the caller was told about is lost, none reaches the server twice unless it is
 * `uncertain`, and the database is intact.
 */
describe('crash trials', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`${TRIALS} trials of ${BATCH} messages, killed twice each at random moments`, async () => {
    const seeds: number[] = [];
    const tally = { killsLanded: 0, messages: 0, sent: 0, uncertain: 0, duplicates: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const seed = 1000 + trial;
      seeds.push(seed);
      const next = random(seed);
      const data = tempDataDir(`crash-${seed}`);
      const before = server.accepted.length;
      try {
        const first = await runChild(['enqueue', data.dir, String(server.port), String(BATCH)], 5 + Math.floor(next() * 250));
        const second = await runChild(['resume', data.dir, String(server.port)], Math.floor(next() * 60));
        await runChild(['resume', data.dir, String(server.port)], null);
        const promised = [...first.ids, ...second.ids];
        tally.killsLanded += Number(first.killed) + Number(second.killed);

        const db = new Database(path.join(data.dir, DATABASE_FILE), { readonly: true });
        try {
          expect(db.pragma('integrity_check', { simple: true }), `seed ${seed}`).toBe('ok');
          const rows = db.prepare('SELECT id, subject, state FROM outbox').all() as { id: string; subject: string; state: string }[];
          const byId = new Map(rows.map((r) => [r.id, r]));
          for (const id of promised) expect(byId.has(id), `seed ${seed}: message ${id} was lost`).toBe(true);
          const mine = server.accepted.slice(before);
          tally.messages += rows.length;
          for (const row of rows) {
            if (row.state === 'sent') tally.sent++;
            if (row.state === 'uncertain') tally.uncertain++;
            expect(['sent', 'uncertain'], `seed ${seed}: ${row.subject} ended ${row.state}`).toContain(row.state);
            const copies = mine.filter((m) => m.data.includes(`Subject: ${row.subject}\r\n`)).length;
            if (row.state === 'sent') expect(copies, `seed ${seed}: ${row.subject} sent but not received`).toBeGreaterThanOrEqual(1);
            if (copies > 1) tally.duplicates++;
            if (row.state !== 'uncertain') expect(copies, `seed ${seed}: ${row.subject} received ${copies} times`).toBeLessThanOrEqual(1);
          }
        } finally {
          db.close();
        }
      } finally {
        data.remove();
      }
    }
    console.log(`crash trials: ${TRIALS} (seeds ${seeds[0]}..${seeds.at(-1)}), ${tally.killsLanded} kills landed, ${tally.messages} messages: ${tally.sent} sent, ${tally.uncertain} uncertain, ${tally.duplicates} received twice (all uncertain)`);
    expect(tally.killsLanded).toBeGreaterThanOrEqual(TRIALS);
    // The kills must land while there is work: messages queued and in flight, not before start-up.
    expect(tally.messages).toBeGreaterThan(TRIALS * 5);
  }, 240_000);
});
