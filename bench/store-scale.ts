// Benchmark: a store with 100,000 sent messages and their transcripts. Opening it, the first
// page of the logs, and a full-text search (targets 200 ms, 50 ms, 100 ms).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { DATABASE_FILE } from '../src-main/core/store/database.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';

const COUNT = Number(process.env.BENCH_STORE_COUNT ?? 100_000);

export type StoreScaleResult = {
  messages: number;
  transcriptLines: number;
  fillSeconds: number;
  openMs: number;
  firstPageMs: number;
  searchMs: number;
  searchHits: number;
  filterMs: number;
};

const WORDS = [
  'invoice',
  'report',
  'meeting',
  'holiday',
  'contract',
  'quarterly',
  'release',
  'party',
  'update',
  'newsletter',
];

/** Writes the rows the app would have written for `count` sent messages, straight into SQLite. */
export function fill(dataDir: string, count = COUNT): number {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // filling a benchmark fixture, not the app at work
  const account = (db.prepare('SELECT id FROM accounts LIMIT 1').get() as { id: string }).id;
  const outbox =
    db.prepare(`INSERT INTO outbox (id, account_id, state, message_id, from_addr, envelope_from, recipients, subject, spool_file, size, attempt_count, last_reply,
    next_attempt_at, delivered, rejected, pending, expires_at, created_at, updated_at) VALUES (?, ?, 'sent', ?, 'me@bench.test', 'me@bench.test', ?, ?, ?, 400, 1, ?, NULL, ?, '[]', '[]', ?, ?, ?)`);
  const attempt = db.prepare(
    "INSERT INTO attempts (id, outbox_id, started_at, ended_at, outcome, phase, reply_code, enhanced_code, response, final_dot_sent, lines) VALUES (?, ?, ?, ?, 'sent', 'done', 250, '2.0.0', ?, 1, ?)",
  );
  const search = db.prepare('INSERT INTO log_search (outbox_id, subject, addresses, transcript) VALUES (?, ?, ?, ?)');
  const linkSearch = db.prepare('UPDATE outbox SET search_rowid = ? WHERE id = ?');
  let lines = 0;
  const start = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const to = `person${i % 5000}@client${i % 97}.test`;
      const subject = `${WORDS[i % WORDS.length]} ${i}`;
      const reply = `250 2.0.0 Ok: queued as Q${i.toString(36).toUpperCase()}`;
      const at = start + i * 60_000;
      outbox.run(
        id,
        account,
        `<${id}@bench.test>`,
        JSON.stringify([to]),
        subject,
        `${id}.eml`,
        reply,
        JSON.stringify([to]),
        at + 259_200_000,
        at,
        at,
      );
      const attemptId = randomUUID();
      const transcript = [
        ['S', '220 smtp.bench.test ESMTP'],
        ['C', 'EHLO laptop'],
        ['S', '250-smtp.bench.test\n250-PIPELINING\n250 AUTH PLAIN'],
        ['C', 'STARTTLS'],
        ['S', '220 Go ahead'],
        ['tls', 'TLS 1.3 · TLS_AES_256_GCM_SHA384 · CN=smtp.bench.test'],
        ['C', 'AUTH PLAIN ‹credentials redacted›'],
        ['S', '235 2.7.0 Authentication successful'],
        ['C', 'MAIL FROM:<me@bench.test>'],
        ['C', `RCPT TO:<${to}>`],
        ['C', 'DATA'],
        ['S', '250 2.1.0 Ok'],
        ['S', '250 2.1.5 Ok'],
        ['S', '354 Go'],
        ['S', reply],
      ] as const;
      // As the app stores it: the whole transcript as one value on the attempt.
      attempt.run(
        attemptId,
        id,
        at,
        at + 120,
        reply,
        JSON.stringify(transcript.map(([dir, text], seq) => ({ t: seq * 3, dir, text }))),
      );
      lines += transcript.length;
      const { lastInsertRowid } = search.run(
        id,
        subject,
        `me@bench.test ${to}`,
        transcript.map(([, text]) => text).join('\n'),
      );
      linkSearch.run(lastInsertRowid, id);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return lines;
}

const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
};

/** A data folder with one account, ready to be filled. */
export async function prepareStore(dataDir: string): Promise<void> {
  const setup = createCore({ dataDir, secrets: new MemorySecretStore(), mode: 'test' });
  await setup.dispatch('accounts.save', {
    name: 'Bench',
    email: 'me@bench.test',
    host: 'smtp.bench.test',
    port: 587,
    security: 'starttls',
    username: '',
  });
  await setup.close();
}

export async function runStoreScale(): Promise<StoreScaleResult> {
  const data = tempDataDir('bench-store');
  try {
    await prepareStore(data.dir);
    const fillStarted = performance.now();
    const transcriptLines = fill(data.dir);
    const fillSeconds = (performance.now() - fillStarted) / 1000;

    // Each figure: best of three, on a freshly opened store for "open".
    let openMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const [core, ms] = await time(() =>
        createCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' }),
      );
      openMs = Math.min(openMs, ms);
      await core.close();
    }
    const core = createCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    try {
      let firstPageMs = Infinity;
      let searchMs = Infinity;
      let filterMs = Infinity;
      let searchHits = 0;
      for (let i = 0; i < 3; i++) {
        const [, page] = await time(() => core.dispatch('logs.search', { limit: 100 }));
        firstPageMs = Math.min(firstPageMs, page);
        const [found, search] = await time(() =>
          core.dispatch('logs.search', { text: `quarterly person42${i}`, limit: 100 }),
        );
        searchMs = Math.min(searchMs, search);
        if (found.ok) searchHits = found.value.total;
        const [, filter] = await time(() =>
          core.dispatch('logs.search', { state: 'sent', recipient: 'client7', limit: 100 }),
        );
        filterMs = Math.min(filterMs, filter);
      }
      return { messages: COUNT, transcriptLines, fillSeconds, openMs, firstPageMs, searchMs, searchHits, filterMs };
    } finally {
      await core.close();
    }
  } finally {
    data.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runStoreScale()));
