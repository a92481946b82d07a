// `npm run bench`: runs the benchmarks and writes BENCHMARKS.md (machine, versions, method,
// Posthorn and its baseline measured in the same run, and their ratio).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { DEFAULT_PER_CONNECTION, runOutboxThroughput } from './outbox-throughput.ts';
import { runBrowserScroll } from './browser-scroll.ts';
import { runStoreScale } from './store-scale.ts';
import { runSingleLatency } from './single-latency.ts';
import { runLargeAttachment } from './large-attachment.ts';

const version = (pkg: string) => (JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
const fmt = (n: number) => n.toFixed(0);

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let disk: string;
  try {
    disk = execFileSync('sh', ['-c', `df -T "${os.tmpdir()}" | tail -1 | awk '{print $2}'`], { encoding: 'utf8' }).trim();
  } catch {
    disk = 'unknown';
  }
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${os.type()} ${os.release()}, temp folder on ${disk}`;
}

const only = process.argv[2];
const CASE_NAMES = ['outbox', 'latency', 'attachment', 'store', 'browser'];
const started = new Date().toISOString();

// Each case's latest result is kept in bench/results.json, so running one case alone
// (`npm run bench -- outbox`) rewrites BENCHMARKS.md with the others' last figures, dated.
const resultsFile = new URL('./results.json', import.meta.url);
const saved = (existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {}) as Record<string, { at: string; value: unknown }>;

async function measure<T>(name: string, title: string, run: () => Promise<T>): Promise<T | null> {
  console.log(`${title}…`);
  if (only && only !== name) return (saved[name]?.value as T | undefined) ?? null;
  const value = await run();
  console.log(JSON.stringify(value));
  saved[name] = { at: started, value };
  return value;
}

const t = await measure('outbox', 'Outbox throughput (1,000 messages)', runOutboxThroughput);
const l = await measure('latency', 'One message at a time (200 sends)', runSingleLatency);
const a = await measure('attachment', 'One 50 MB attachment', runLargeAttachment);
const s = await measure('store', 'Store with 100,000 messages', runStoreScale);
const b = await measure('browser', 'Logs view in Chromium, 10,000 rows', runBrowserScroll);
writeFileSync(resultsFile, `${JSON.stringify(saved, null, 2)}\n`);
const measuredOn = (name: string) => `Measured ${saved[name]?.at ?? 'never'}.`;
const ok = (value: number, target: number) => (value < target ? 'met' : '**missed**');

const lines = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${started}${only ? ` (${CASE_NAMES.includes(only) ? `only "${only}" measured then` : 'nothing measured then'}; each section gives the date of its own figures)` : ''}.`,
  '',
  `- Machine: ${machine()}`,
  `- Node ${process.versions.node}, nodemailer ${version('nodemailer')}, smtp-server ${version('smtp-server')}, better-sqlite3 ${version('better-sqlite3')}, SQLite ${process.versions.sqlite ?? 'bundled'}`,
  '',
  '## 1,000 small messages through the outbox (issue 4; target ≥ 0.8× raw nodemailer)',
  '',
  measuredOn('outbox'),
  '',
  'Method: one process runs `smtp-server` on 127.0.0.1 (STARTTLS + AUTH PLAIN, accepts and',
  'discards; `smtp-server` waits 100 ms before each greeting, so every new connection costs',
  'at least that) and both clients. Baseline: raw nodemailer `pool: true`, 2 connections,',
  '`sendMail` for all 1,000 at once. Posthorn: the core with the durable spool, SQLite and',
  'transcripts, 2 connections (account and global limits). Posthorn is measured three ways:',
  '"drain" sends 1,000 messages already in the queue from the moment it is woken; "together"',
  'hands all 1,000 to `outbox.enqueue` at once, as the raw side does with `sendMail`, and',
  'counts until the last is sent; "one by one" awaits each enqueue before the next, as a',
  'person pressing Send would. Each figure is the best of two runs after a warm-up, the two',
  'sides alternating. Two connection policies, the same on both sides: a connection retired',
  'after 100 messages (nodemailer\'s pool default and Posthorn\'s, which providers expect), and',
  'connections kept for the whole batch (leaving only the cost of durability and transcripts).',
  '',
  '| connection policy | case | Posthorn | raw nodemailer pool | ratio | target |',
  '| --- | --- | --- | --- | --- | --- |',
  ...(t
    ? t.policies.flatMap((p) => {
        const label = Number.isFinite(p.perConnection) ? `retired after ${p.perConnection} messages` : 'kept for the whole batch';
        // The target compares like with like at nodemailer's pool defaults (and Posthorn's):
        // connections retired after 100 messages. Kept connections are shown for reference.
        const defaults = p.perConnection === DEFAULT_PER_CONNECTION;
        const verdict = (value: number) => (defaults ? `≥ 0.8× ${value / p.rawPerSecond >= 0.8 ? 'met' : '**missed**'}` : '(reference)');
        const row = (name: string, value: number, target: string) => `| ${label} | ${name} | ${fmt(value)} msg/s | ${fmt(p.rawPerSecond)} msg/s | ${(value / p.rawPerSecond).toFixed(2)}× | ${target} |`;
        return [row('drain of 1,000 queued', p.drain, verdict(p.drain)), row('together: enqueue included', p.together, verdict(p.together)), row('one by one: enqueue included', p.oneByOne, '—')];
      })
    : ['| — | not run | | | | |']),
  '',
  'Reading it: at the pool defaults (connections retired after 100 messages on both sides)',
  'Posthorn meets the target both ways, draining a full queue and with the 1,000 messages handed',
  'in at once, enqueue included. With connections never retired (for reference) the raw client',
  'gains more than Posthorn, whose own per-message work on the one JavaScript thread then shows:',
  'the durable claim before MAIL FROM, the final-dot mark before the last "." (both required so',
  'that a crash never causes a silent second send), the outcome with its transcript, and for',
  'enqueue the MIME built once and a spool file with its flush.',
  '',
  'What changed, with the profiles (`node --cpu-prof`) that led to it:',
  '',
  '| step | drain (kept) | enqueue included |',
  '| --- | --- | --- |',
  '| first measurement: every statement re-prepared, every commit `synchronous=FULL`, spool read back from disk, system roots parsed per connection | — | 253 msg/s (0.14×, one by one) |',
  '| prepared statements cached per database; spool keeps recent messages in memory; one TLS context per set of trusted certificates | 499 msg/s (0.26×) | 312 msg/s (0.16×, one by one) |',
  '| `synchronous=NORMAL` for the sender\'s bookkeeping; `FULL` kept for enqueue, account saves and the person\'s decisions | 728 msg/s (0.39×) | 340 msg/s (0.18×, one by one) |',
  '| the search row reached by rowid (FTS5 cannot index `outbox_id`: each sent message scanned the whole index); a partial index for "next due" (it sorted every waiting row); each outcome written in the next claim\'s transaction | ≈1,050 msg/s (0.50×) | — |',
  '| group commit for enqueue: messages handed in together share one folder flush and one durable commit, in batches of 64 so sending starts early | — | ≈700 msg/s (0.33×, together) |',
  '| the comparison made fair: the baseline had been given `maxMessages: Infinity` while Posthorn retired connections after 100, so Posthorn alone paid the reconnects; both policies are now measured on both sides | 0.9× (retired after 100) | 0.68× (together, retired after 100) |',
  '| transcripts indexed for search up to 250 ms later, many per transaction (FTS5 writes a segment per changing transaction; an `indexed` mark on the attempt and a start-up pass keep it crash-safe), and each transcript\'s lines inserted by one statement | 1.05× (retired after 100) | 0.70× (together, retired after 100) |',
  '| an account read once per change instead of once per queued message (it was a query for its identities and a parse of its JSON fields each time); enqueue answers without reading the attempts | 1.01× (retired after 100) | 0.73× (together, retired after 100) |',
  '| the transcript stored as one value on the attempt instead of ~15 rows in their own index; WAL checkpoints moved to a thread of their own (a third of the cost of each outcome\'s commit, measured alone: 254 µs → 164 µs per message, then 119 µs without checkpoints) | 1.18–1.22× (retired after 100) | 0.84–0.95× (together, retired after 100; three runs) |',
  '',
  'Where the time went before the last step ("together", retired after 100; timers around the commits): the claim',
  'transaction, which also stores the outcomes that ended since the last one, ≈0.42 ms per',
  'message, of which ≈0.16 ms the outcome rows, ≈0.23 ms the commit (WAL frames; ≈0.08 ms of',
  'it the automatic checkpoints), the rest the claim rows; the final-dot mark ≈0.05 ms; the',
  'durable enqueue commits ≈0.05 ms a message; enqueue as a whole (checking the input, the',
  'MIME built once, the spool file written and flushed, the row) ≈0.45 ms of the main thread',
  'a message, of which nodemailer\'s MIME building ≈0.15 ms (the raw side builds it too). All of',
  'it runs on the one JavaScript thread, which the in-process sink and both clients share.',
  '',
  'Tried without effect: larger WAL auto-checkpoint, `locking_mode=EXCLUSIVE`, writing outcomes',
  'every 10 ms instead of with each claim, the sink in a process of its own (both sides slow',
  'down alike: loopback between processes adds latency), time-ordered ids (UUIDv7) for',
  'messages and attempts so index inserts append (the outcome rows got dearer, not cheaper).',
  'Also tried and not kept: the sender\'s bookkeeping on a worker thread with its own',
  'connection. The main thread\'s load fell (event-loop utilisation 0.80 → 0.64 in "together")',
  'but throughput did not rise: each message then waits on its own path for two cross-thread',
  'commits (the claim before MAIL FROM, the mark before the final "."), so "together" stayed',
  'level and "drain" fell by about 15 %; with only the outcomes on the thread, SQLite\'s single',
  'writer lock made the main thread wait in its busy handler (sleeps of 1 ms and more).',
  'What did help, found by timing the claim-and-outcome transactions alone (no SMTP, no noise):',
  'fewer pages written per message and checkpoints off the main thread (last row above).',
  '',
  '## One message at a time: enqueue → 250 (issue 8; target p50 ≤ 1.2× raw)',
  '',
  measuredOn('latency'),
  '',
  'Method: the same sink; 200 messages, each sent only after the previous one was answered,',
  'after one warm-up message that opens the connection on both sides. Baseline: raw nodemailer',
  '`sendMail` over a pool of one connection (kept open, as Posthorn keeps its own). Posthorn:',
  'from the `outbox.enqueue` call to the `sent` event (the 250 stored), undo delay 0.',
  '',
  '| | Posthorn | raw nodemailer | ratio | target |',
  '| --- | --- | --- | --- | --- |',
  l ? `| p50 | ${l.p50.toFixed(2)} ms | ${l.rawP50.toFixed(2)} ms | ${(l.p50 / l.rawP50).toFixed(2)}× | ≤ 1.2× ${l.p50 / l.rawP50 <= 1.2 ? 'met' : '**missed**'} |` : '| p50 | not run | | | |',
  l ? `| p95 | ${l.p95.toFixed(2)} ms | ${l.rawP95.toFixed(2)} ms | ${(l.p95 / l.rawP95).toFixed(2)}× | — |` : '| p95 | not run | | | |',
  l ? `| of which \`outbox.enqueue\` (p50) | ${l.enqueueP50.toFixed(2)} ms | — | | |` : '',
  '',
  'Reading it: **missed**. Most of the difference is the promise made by enqueue: before it',
  'answers, the frozen message is flushed to `spool/` (file and folder) and its row committed',
  'with `synchronous=FULL` — three flushes to disk, which raw nodemailer (holding the message',
  'only in memory) does not make. The send itself, from the queue to the stored 250, is close',
  'to the raw figure. Tried without effect: flushing the spool folder beside the row\'s commit',
  'instead of before it (both flushes go through the same file-system journal, which orders',
  'them anyway). Not tried: keeping small frozen messages inside SQLite (one flush instead of',
  'three) and starting the SMTP transaction while the enqueue flush is under way (holding back',
  'only the final "."); by the measured costs they would still leave about 3×: one flush on',
  'this disk takes about as long as the raw client\'s whole send, so a durable enqueue cannot',
  'reach 1.2× here.',
  '',
  '## One 50 MB attachment (issue 8; targets: peak RSS growth < 64 MB, wall ≤ 1.3× raw)',
  '',
  measuredOn('attachment'),
  '',
  'Method: a 50 MB file of random bytes on disk; each side in a process of its own (so its RSS',
  'is its own), alternating, best time of two and the larger RSS growth of two; RSS sampled',
  'every 5 ms. Raw: nodemailer `sendMail` with the attachment by `path`. Posthorn: the file is',
  'first added as the composer does when it is attached (copied into the data folder, timed',
  'separately), then measured from `outbox.enqueue` to the stored 250: MIME streamed into the',
  'spool with fsync, then streamed from disk to the server. The sink runs in the same process.',
  '',
  '| | Posthorn | raw nodemailer | ratio | target |',
  '| --- | --- | --- | --- | --- |',
  a ? `| wall, Send → 250 | ${a.posthorn.seconds.toFixed(2)} s | ${a.raw.seconds.toFixed(2)} s | ${(a.posthorn.seconds / a.raw.seconds).toFixed(2)}× | ≤ 1.3× ${a.posthorn.seconds / a.raw.seconds <= 1.3 ? 'met' : '**missed**'} |` : '| wall | not run | | | |',
  a ? `| peak RSS growth | ${a.posthorn.peakRssGrowthMb.toFixed(0)} MB | ${a.raw.peakRssGrowthMb.toFixed(0)} MB | | < 64 MB ${a.posthorn.peakRssGrowthMb < 64 ? 'met' : '**missed**'} |` : '| RSS | not run | | | |',
  a ? `| adding the file (before Send) | ${(a.posthorn.addSeconds ?? 0).toFixed(2)} s | — | | |` : '',
  '',
  'Reading it: memory is met (the message is never held whole: it streams file → spool →',
  'socket). Time sits at the edge of the target (1.26× to 1.49× across runs on this machine):',
  'Posthorn writes the whole encoded message (≈68 MB) to the spool and flushes it before the',
  'first byte goes out, which is what makes a retry send the identical bytes and a crash lose',
  'nothing; raw nodemailer encodes straight onto the socket.',
  '',
  '## A store with 100,000 sent messages and their transcripts (issue 5; targets 200 / 50 / 100 ms)',
  '',
  measuredOn('store'),
  '',
  'Method: the rows the app writes for 100,000 sent messages (outbox, attempts, 15 transcript',
  'lines each, the FTS5 row) are written straight into a fresh data folder, then timed through',
  'the core: opening it (createCore: migrations check and start-up recovery), the first page of',
  'the logs (`logs.search`, 100 rows, newest first, with the total), a full-text search (two',
  'words, the last as a prefix) and a filter on recipient. Best of three each.',
  '',
  '| case | measured | target | |',
  '| --- | --- | --- | --- |',
  s ? `| open the store | ${s.openMs.toFixed(1)} ms | < 200 ms | ${ok(s.openMs, 200)} |` : '| open | not run | | |',
  s ? `| first page of the logs | ${s.firstPageMs.toFixed(1)} ms | < 50 ms | ${ok(s.firstPageMs, 50)} |` : '| first page | not run | | |',
  s ? `| full-text search (${s.searchHits} hits) | ${s.searchMs.toFixed(1)} ms | < 100 ms | ${ok(s.searchMs, 100)} |` : '| search | not run | | |',
  s ? `| recipient filter (substring, no index) | ${s.filterMs.toFixed(1)} ms | — | |` : '',
  '',
  s ? `Filling the fixture took ${s.fillSeconds.toFixed(1)} s (${s.messages.toLocaleString('en')} messages, ${s.transcriptLines.toLocaleString('en')} transcript lines).` : '',
  'Before: opening took 164 ms because start-up recovery read every row to check spool files;',
  'now it looks only at waiting messages and asks the index per file. The first page took 42 ms',
  'before `outbox(created_at)` was indexed (migration 7).',
  '',
  '## The Logs view in Chromium (browser mode), 10,000 messages',
  '',
  measuredOn('browser'),
  '',
  'Method: `npm run web`\'s server over a data folder with 10,000 sent messages; Debian Chromium',
  'headless (Playwright). The list is scrolled to the end a screenful per animation frame and the',
  'time between frames is recorded: a task over 50 ms would show as a frame gap over 50 ms. A',
  'deliberate 80 ms task afterwards checks that such a gap is seen. (The `longtask` observer',
  'reported nothing here even for that control, so frame gaps are used instead.) "First log row"',
  'runs from navigation to the first result row on the Logs view, page load and search included.',
  '',
  '| case | measured | target |',
  '| --- | --- | --- |',
  b ? `| JavaScript shipped (all chunks, gzip) | ${b.jsGzipKb.toFixed(1)} KB | ≤ 250 KB |` : '| JS | not run | |',
  b ? `| navigation → first log row | ${b.listVisibleMs.toFixed(0)} ms | (TTI < 1 s) |` : '| list | not run | |',
  b ? `| frames over 50 ms while scrolling ${b.scrolledRows.toLocaleString('en')} rows | ${b.slowFrames} of ${b.frames} (longest ${b.longestFrameMs.toFixed(0)} ms; control ${b.controlSeen ? 'seen' : '**not seen**'}) | none |` : '| scroll | not run | |',
  '',
];
writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), `${lines.join('\n')}\n`);
console.log('Wrote BENCHMARKS.md');
