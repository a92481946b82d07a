// `npm run bench`: runs the benchmarks and writes BENCHMARKS.md (machine, versions, method,
// Posthorn and its baseline measured in the same run, and their ratio).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { runBrowserScroll } from './browser-scroll.ts';
import { runLargeAttachment } from './large-attachment.ts';
import { DEFAULT_PER_CONNECTION, runOutboxThroughput } from './outbox-throughput.ts';
import { runSingleLatency } from './single-latency.ts';
import { runStoreScale } from './store-scale.ts';

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
const fmt = (n: number) => n.toFixed(0);
const ms = (n: number) => `${n.toFixed(2)} ms`;
const ratio = (ours: number, raw: number) => `${(ours / raw).toFixed(2)}×`;

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let disk: string;
  try {
    disk = execFileSync('sh', ['-c', `df -T "${os.tmpdir()}" | tail -1 | awk '{print $2}'`], {
      encoding: 'utf8',
    }).trim();
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
const saved = (existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {}) as Record<
  string,
  { at: string; value: unknown }
>;

async function measure<T>(name: string, title: string, run: () => Promise<T>): Promise<T | null> {
  console.log(`${title}…`);
  if (only && only !== name) return (saved[name]?.value as T | undefined) ?? null;
  const value = await run();
  console.log(JSON.stringify(value));
  saved[name] = { at: started, value };
  return value;
}

const t = await measure('outbox', 'Outbox throughput (1,000 messages)', runOutboxThroughput);
const l = await measure('latency', 'One message at a time (200 sends, two connection policies)', runSingleLatency);
// Figures saved by an older harness (one policy only) are not shown as if they were current.
const latency = l && 'fresh' in l ? l : null;
const a = await measure('attachment', 'One 50 MB attachment', runLargeAttachment);
const s = await measure('store', 'Store with 100,000 messages', runStoreScale);
const b = await measure('browser', 'Logs view in Chromium, 10,000 rows', runBrowserScroll);
writeFileSync(resultsFile, `${JSON.stringify(saved, null, 2)}\n`);
const measuredOn = (name: string) => `Measured ${saved[name]?.at ?? 'never'}.`;
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

/** Each target of issue 8, checked once; the sections below and the summary at the top use these. */
const meets = {
  throughput: (ours: number, raw: number) => ours / raw >= 0.8,
  latency: (ours: number, raw: number) => ours / raw <= 1.2,
  attachmentWall: (ours: number, raw: number) => ours / raw <= 1.3,
  attachmentRss: (mb: number) => mb < 64,
  storeOpen: (ms: number) => ms < 200,
  firstPage: (ms: number) => ms < 50,
  search: (ms: number) => ms < 100,
  javascript: (kb: number) => kb <= 250,
  // Issue 22: what the first view loads, and `npm run web` (built) → the first view usable.
  firstViewJs: (kb: number) => kb <= 150,
  startUp: (ms: number) => ms < 1500,
  interactive: (ms: number) => ms < 1000,
  scrolling: (slowFrames: number, controlSeen: boolean) => slowFrames === 0 && controlSeen,
};

const atDefaults = t?.policies.find((p) => p.perConnection === DEFAULT_PER_CONNECTION);
type Glance = [string, string, string, boolean | string] | [string, string];
const glance: Glance[] = [
  atDefaults
    ? [
        '1,000 messages, drain (retired after 100)',
        '≥ 0.8× raw',
        ratio(atDefaults.drain, atDefaults.rawPerSecond),
        meets.throughput(atDefaults.drain, atDefaults.rawPerSecond),
      ]
    : ['1,000 messages', 'not run'],
  atDefaults
    ? [
        '1,000 messages, enqueue included (retired after 100)',
        '≥ 0.8× raw',
        ratio(atDefaults.together, atDefaults.rawPerSecond),
        meets.throughput(atDefaults.together, atDefaults.rawPerSecond),
      ]
    : ['1,000 messages, enqueue included', 'not run'],
  latency
    ? [
        'one message, p50 (single send: new connection per message)',
        '≤ 1.2× raw',
        ratio(latency.fresh.p50, latency.fresh.rawP50),
        meets.latency(latency.fresh.p50, latency.fresh.rawP50),
      ]
    : ['one message', 'not run'],
  ...(latency
    ? [
        [
          'one message, p50, connection kept open on both sides',
          '(reference, no target)',
          ratio(latency.kept.p50, latency.kept.rawP50),
          meets.latency(latency.kept.p50, latency.kept.rawP50) ? 'within 1.2×' : 'not within 1.2×: see below',
        ] satisfies Glance,
      ]
    : []),
  a
    ? [
        '50 MB attachment, wall',
        '≤ 1.3× raw',
        ratio(a.posthorn.seconds, a.raw.seconds),
        meets.attachmentWall(a.posthorn.seconds, a.raw.seconds),
      ]
    : ['50 MB attachment', 'not run'],
  a
    ? [
        '50 MB attachment, peak RSS growth',
        '< 64 MB',
        `${a.posthorn.peakRssGrowthMb.toFixed(0)} MB`,
        meets.attachmentRss(a.posthorn.peakRssGrowthMb),
      ]
    : ['50 MB attachment, RSS', 'not run'],
  s
    ? ['100,000 messages: open the store', '< 200 ms', `${s.openMs.toFixed(1)} ms`, meets.storeOpen(s.openMs)]
    : ['store', 'not run'],
  s
    ? ['100,000 messages: first page', '< 50 ms', `${s.firstPageMs.toFixed(1)} ms`, meets.firstPage(s.firstPageMs)]
    : ['first page', 'not run'],
  s
    ? ['100,000 messages: full-text search', '< 100 ms', `${s.searchMs.toFixed(1)} ms`, meets.search(s.searchMs)]
    : ['search', 'not run'],
  b
    ? ['browser mode: initial JavaScript', '≤ 250 KB gzip', `${b.jsGzipKb.toFixed(1)} KB`, meets.javascript(b.jsGzipKb)]
    : ['browser mode', 'not run'],
  b
    ? [
        'browser mode: JavaScript before the first view is usable',
        '≤ 150 KB gzip',
        `${b.firstViewJsGzipKb.toFixed(1)} KB`,
        meets.firstViewJs(b.firstViewJsGzipKb),
      ]
    : ['first view', 'not run'],
  b
    ? [
        'browser mode: `npm run web` (built) → first view usable',
        '< 1.5 s',
        `${(b.serverReadyMs + b.firstViewMs).toFixed(0)} ms (server ${b.serverReadyMs.toFixed(0)} + page ${b.firstViewMs.toFixed(0)})`,
        meets.startUp(b.serverReadyMs + b.firstViewMs),
      ]
    : ['start-up', 'not run'],
  b
    ? [
        'browser mode: navigation → first log row',
        '< 1 s',
        `${b.listVisibleMs.toFixed(0)} ms`,
        meets.interactive(b.listVisibleMs),
      ]
    : ['first log row', 'not run'],
  b
    ? [
        `browser mode: scrolling ${b.scrolledRows.toLocaleString('en')} rows`,
        'no task > 50 ms',
        `${b.slowFrames} frames over 50 ms`,
        meets.scrolling(b.slowFrames, b.controlSeen),
      ]
    : ['scrolling', 'not run'],
];

const lines = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${started}${only ? ` (${CASE_NAMES.includes(only) ? `only "${only}" measured then` : 'nothing measured then'}; each section gives the date of its own figures)` : ''}.`,
  '',
  `- Machine: ${machine()}`,
  `- Node ${process.versions.node}, nodemailer ${version('nodemailer')}, smtp-server ${version('smtp-server')}, better-sqlite3 ${version('better-sqlite3')}, SQLite ${process.versions.sqlite ?? 'bundled'}`,
  '',
  '## Targets at a glance',
  '',
  '| case | target | measured | |',
  '| --- | --- | --- | --- |',
  ...glance.map((row) =>
    row.length === 4
      ? `| ${row[0]} | ${row[1]} | ${row[2]} | ${typeof row[3] === 'string' ? row[3] : verdict(row[3])} |`
      : `| ${row[0]} | | ${row[1]} | |`,
  ),
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
  "after 100 messages (nodemailer's pool default and Posthorn's, which providers expect), and",
  'connections kept for the whole batch (leaving only the cost of durability and transcripts).',
  '',
  '| connection policy | case | Posthorn | raw nodemailer pool | ratio | target |',
  '| --- | --- | --- | --- | --- | --- |',
  ...(t
    ? t.policies.flatMap((p) => {
        const label = Number.isFinite(p.perConnection)
          ? `retired after ${p.perConnection} messages`
          : 'kept for the whole batch';
        // The target compares like with like at nodemailer's pool defaults (and Posthorn's):
        // connections retired after 100 messages. Kept connections are shown for reference.
        const defaults = p.perConnection === DEFAULT_PER_CONNECTION;
        const target = (value: number) =>
          defaults ? `≥ 0.8× ${verdict(meets.throughput(value, p.rawPerSecond))}` : '(reference)';
        const row = (name: string, value: number, target: string) =>
          `| ${label} | ${name} | ${fmt(value)} msg/s | ${fmt(p.rawPerSecond)} msg/s | ${(value / p.rawPerSecond).toFixed(2)}× | ${target} |`;
        return [
          row('drain of 1,000 queued', p.drain, target(p.drain)),
          row('together: enqueue included', p.together, target(p.together)),
          row('one by one: enqueue included', p.oneByOne, '—'),
        ];
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
  "| `synchronous=NORMAL` for the sender's bookkeeping; `FULL` kept for enqueue, account saves and the person's decisions | 728 msg/s (0.39×) | 340 msg/s (0.18×, one by one) |",
  '| the search row reached by rowid (FTS5 cannot index `outbox_id`: each sent message scanned the whole index); a partial index for "next due" (it sorted every waiting row); each outcome written in the next claim\'s transaction | ≈1,050 msg/s (0.50×) | — |',
  '| group commit for enqueue: messages handed in together share one folder flush and one durable commit, in batches of 64 so sending starts early | — | ≈700 msg/s (0.33×, together) |',
  '| the comparison made fair: the baseline had been given `maxMessages: Infinity` while Posthorn retired connections after 100, so Posthorn alone paid the reconnects; both policies are now measured on both sides | 0.9× (retired after 100) | 0.68× (together, retired after 100) |',
  "| transcripts indexed for search up to 250 ms later, many per transaction (FTS5 writes a segment per changing transaction; an `indexed` mark on the attempt and a start-up pass keep it crash-safe), and each transcript's lines inserted by one statement | 1.05× (retired after 100) | 0.70× (together, retired after 100) |",
  '| an account read once per change instead of once per queued message (it was a query for its identities and a parse of its JSON fields each time); enqueue answers without reading the attempts | 1.01× (retired after 100) | 0.73× (together, retired after 100) |',
  "| the transcript stored as one value on the attempt instead of ~15 rows in their own index; WAL checkpoints moved to a thread of their own (a third of the cost of each outcome's commit, measured alone: 254 µs → 164 µs per message, then 119 µs without checkpoints) | 1.18–1.22× (retired after 100) | 0.84–0.95× (together, retired after 100; three runs) |",
  '',
  'Where the time went before the last step ("together", retired after 100; timers around the commits): the claim',
  'transaction, which also stores the outcomes that ended since the last one, ≈0.42 ms per',
  'message, of which ≈0.16 ms the outcome rows, ≈0.23 ms the commit (WAL frames; ≈0.08 ms of',
  'it the automatic checkpoints), the rest the claim rows; the final-dot mark ≈0.05 ms; the',
  'durable enqueue commits ≈0.05 ms a message; enqueue as a whole (checking the input, the',
  'MIME built once, the spool file written and flushed, the row) ≈0.45 ms of the main thread',
  "a message, of which nodemailer's MIME building ≈0.15 ms (the raw side builds it too). All of",
  'it runs on the one JavaScript thread, which the in-process sink and both clients share.',
  '',
  'Tried without effect: larger WAL auto-checkpoint, `locking_mode=EXCLUSIVE`, writing outcomes',
  'every 10 ms instead of with each claim, the sink in a process of its own (both sides slow',
  'down alike: loopback between processes adds latency), time-ordered ids (UUIDv7) for',
  'messages and attempts so index inserts append (the outcome rows got dearer, not cheaper).',
  "Also tried and not kept: the sender's bookkeeping on a worker thread with its own",
  'connection. The main thread\'s load fell (event-loop utilisation 0.80 → 0.64 in "together")',
  'but throughput did not rise: each message then waits on its own path for two cross-thread',
  'commits (the claim before MAIL FROM, the mark before the final "."), so "together" stayed',
  'level and "drain" fell by about 15 %; with only the outcomes on the thread, SQLite\'s single',
  'writer lock made the main thread wait in its busy handler (sleeps of 1 ms and more).',
  'What did help, found by timing the claim-and-outcome transactions alone (no SMTP, no noise):',
  'fewer pages written per message and checkpoints off the main thread (last row above).',
  '',
  '## One message at a time: enqueue → 250 (issue 8; target p50 ≤ 1.2× raw nodemailer single send)',
  '',
  measuredOn('latency'),
  '',
  'Method: the same sink; 200 messages, each sent only after the previous one was answered,',
  'the two sides alternating message by message (so a slower moment of the machine weighs on',
  'both), after one warm-up message on each side. Baseline: raw nodemailer `sendMail`.',
  'Posthorn: from the `outbox.enqueue` call to the `sent` event (the 250 stored), undo delay',
  '0. Two connection policies, the same on both sides. "New connection per message" is',
  "nodemailer's single send, its default transport without `pool`, which connects, says",
  'EHLO, STARTTLS, EHLO, AUTH, sends and closes for every `sendMail`; Posthorn does the same',
  'when no connection of the account is open (after 15 s idle, the usual case for a person',
  'sending one message), here forced by retiring each connection after one message; it starts',
  'connecting when Send is pressed, while the message is being saved (connections opened',
  'ahead, docs/SENDING.md).',
  '"Kept open" is a pool of one connection on the raw side and Posthorn\'s own kept',
  'connection: only the per-message work is compared.',
  '',
  '| connection policy (both sides) | | Posthorn | raw nodemailer | ratio | target |',
  '| --- | --- | --- | --- | --- | --- |',
  ...(latency
    ? [
        `| new connection per message (single send) | p50 | ${ms(latency.fresh.p50)} | ${ms(latency.fresh.rawP50)} | ${ratio(latency.fresh.p50, latency.fresh.rawP50)} | ≤ 1.2× ${verdict(meets.latency(latency.fresh.p50, latency.fresh.rawP50))} |`,
        `| new connection per message (single send) | p95 | ${ms(latency.fresh.p95)} | ${ms(latency.fresh.rawP95)} | ${ratio(latency.fresh.p95, latency.fresh.rawP95)} | — |`,
        `| kept open (pool of one) | p50 | ${ms(latency.kept.p50)} | ${ms(latency.kept.rawP50)} | ${ratio(latency.kept.p50, latency.kept.rawP50)} | (reference) ${meets.latency(latency.kept.p50, latency.kept.rawP50) ? 'within 1.2×' : '**not within 1.2×**'} |`,
        `| kept open (pool of one) | p95 | ${ms(latency.kept.p95)} | ${ms(latency.kept.rawP95)} | ${ratio(latency.kept.p95, latency.kept.rawP95)} | — |`,
      ]
    : ['| not run | | | | | |']),
  '',
  "Where Posthorn's time goes (p50 of each part; they need not add up to the p50 above):",
  '',
  "| connection policy | `outbox.enqueue` (MIME, spool file, durable row) | until claimed (`sending`) | claimed → 250 stored | raw nodemailer's whole send |",
  '| --- | --- | --- | --- | --- |',
  ...(latency
    ? (['fresh', 'kept'] as const).map((policy) => {
        const p = latency[policy];
        return `| ${policy === 'fresh' ? 'new connection per message' : 'kept open'} | ${ms(p.enqueueP50)} | ${ms(p.queueP50)} | ${ms(p.sendingP50)} | ${ms(p.rawP50)} |`;
      })
    : []),
  '',
  `Reading it: with the baseline the target names, nodemailer's single send, both sides open a`,
  `connection for each message and Posthorn takes ${latency ? ratio(latency.fresh.p50, latency.fresh.rawP50) : '—'} the raw client's time (p50): the`,
  "set-up (the sink's 100 ms greeting delay, STARTTLS, AUTH) dominates, and Posthorn's own",
  'work (a few milliseconds) runs while the connection is being opened. Before connections',
  'were opened ahead (2026-11-23, same harness) it was 1.03×: the set-up started only after',
  'the message was saved.',
  '',
  `With the connection kept open on both sides (for reference) Posthorn takes ${latency ? ratio(latency.kept.p50, latency.kept.rawP50) : 'several times'} as long`,
  '(3× to 4× across runs on this machine), and the split shows why: from the claim to the',
  'stored 250 (claim commit, SMTP transaction, final-dot mark, outcome and transcript stored)',
  "it is as fast as the raw client's whole send; the difference is `outbox.enqueue`, the",
  'promise that the message survives a crash from the moment Send is answered. Timed inside',
  'it with one-off timers (2026-11-23, four runs of 200, p50 of each step): building the MIME',
  '0.35–0.45 ms (the raw client builds it too, while sending), the spool file written,',
  'flushed and renamed 0.6–1.1 ms, the folder flushed 0.15–0.18 ms, the row, its search',
  "entry and the draft's removal committed with `synchronous=FULL` 0.5–0.8 ms; the message",
  'is claimed about 0.1 ms after enqueue answers. On their own the same flushes take 0.28,',
  "0.10 and 0.20 ms on this disk; next to SQLite's writes each waits for the file system's",
  'journal.',
  '',
  'Tried: writing the spool file of a lone message with blocking calls instead of four',
  'asynchronous ones saved about 0.25 ms (three alternating runs each); not kept, because it',
  'holds the main thread for the whole flush and adds a second write path for under a tenth',
  'of the gap. Not done, with reasons: keeping small messages inside SQLite would save the',
  'file and folder flushes (about 0.8 ms; still about 2×) at the cost of a second storage',
  'path through sending, recovery, export and resend; starting the SMTP transaction while',
  'the spool is flushed, holding back only the final ".", overlaps only the flushes with the',
  'send, because everything else (MIME, SQLite, TLS, the sink) runs on the one JavaScript',
  'thread; by the timings above it would leave about 2.5×, and it would need a second way of',
  "claiming a message beside the queue's, for a saving of about a millisecond. The floor is",
  "Posthorn's own main-thread work per message (MIME built before sending, claim, mark and",
  "outcome stored: about 1.5× the raw client's whole send before any flush), so 1.2× on a",
  'kept connection is out of reach for an outbox that stores every message and attempt. A',
  'millisecond or two per message is not something a person can notice; losing a message is.',
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
  a
    ? `| wall, Send → 250 | ${a.posthorn.seconds.toFixed(2)} s | ${a.raw.seconds.toFixed(2)} s | ${(a.posthorn.seconds / a.raw.seconds).toFixed(2)}× | ≤ 1.3× ${verdict(meets.attachmentWall(a.posthorn.seconds, a.raw.seconds))} |`
    : '| wall | not run | | | |',
  a
    ? `| peak RSS growth | ${a.posthorn.peakRssGrowthMb.toFixed(0)} MB | ${a.raw.peakRssGrowthMb.toFixed(0)} MB | | < 64 MB ${verdict(meets.attachmentRss(a.posthorn.peakRssGrowthMb))} |`
    : '| RSS | not run | | | |',
  a ? `| adding the file (before Send) | ${(a.posthorn.addSeconds ?? 0).toFixed(2)} s | — | | |` : '',
  '',
  'Reading it: memory is met (the message is never held whole: it streams file → spool →',
  'socket). Posthorn writes the whole encoded message (≈72 MB) to the spool and flushes it',
  'before the first byte goes out, which is what makes a retry send the identical bytes and a',
  'crash lose nothing; raw nodemailer encodes straight onto the socket. Timed apart (2026-11-23),',
  'that costs about 0.26 s (encoding 0.13–0.16 s, writing 0.02 s, the flush 0.04 s), while the',
  "send itself, from the spool, takes as long as the raw client's encode-and-send. Before: the",
  'connection (greeting, STARTTLS, AUTH) was opened only after the spool was written, and the',
  'wall time sat at the edge of the target, 1.26× to 1.49× across runs. After: the connection is',
  'opened while the message is written (see "Connections opened ahead" in docs/SENDING.md),',
  'so the set-up overlaps the spooling: 0.98× to 1.20× across six runs.',
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
  s
    ? `| open the store | ${s.openMs.toFixed(1)} ms | < 200 ms | ${verdict(meets.storeOpen(s.openMs))} |`
    : '| open | not run | | |',
  s
    ? `| first page of the logs | ${s.firstPageMs.toFixed(1)} ms | < 50 ms | ${verdict(meets.firstPage(s.firstPageMs))} |`
    : '| first page | not run | | |',
  s
    ? `| full-text search (${s.searchHits} hits) | ${s.searchMs.toFixed(1)} ms | < 100 ms | ${verdict(meets.search(s.searchMs))} |`
    : '| search | not run | | |',
  s ? `| recipient filter (substring, no index) | ${s.filterMs.toFixed(1)} ms | — | |` : '',
  '',
  s
    ? `Filling the fixture took ${s.fillSeconds.toFixed(1)} s (${s.messages.toLocaleString('en')} messages, ${s.transcriptLines.toLocaleString('en')} transcript lines).`
    : '',
  'Before: opening took 164 ms because start-up recovery read every row to check spool files;',
  'now it looks only at waiting messages and asks the index per file. The first page took 42 ms',
  'before `outbox(created_at)` was indexed (migration 7).',
  '',
  '## The Logs view in Chromium (browser mode), 10,000 messages',
  '',
  measuredOn('browser'),
  '',
  "Method: `npm run web`'s server over a data folder with 10,000 sent messages; Debian Chromium",
  'headless (Playwright). The list is scrolled to the end a screenful per animation frame and the',
  'time between frames is recorded: a task over 50 ms would show as a frame gap over 50 ms. A',
  'deliberate 80 ms task afterwards checks that such a gap is seen. (The `longtask` observer',
  'reported nothing here even for that control, so frame gaps are used instead.) "First log row"',
  'runs from navigation to the first result row on the Logs view, page load and search included.',
  '',
  '| case | measured | target | |',
  '| --- | --- | --- | --- |',
  b
    ? `| JavaScript shipped (all chunks, gzip) | ${b.jsGzipKb.toFixed(1)} KB | ≤ 250 KB | ${verdict(meets.javascript(b.jsGzipKb))} |`
    : '| JS | not run | | |',
  b
    ? `| JavaScript loaded before the first view (the Outbox) is usable, gzip: the scripts Chromium requested, the editor and the rest loaded on demand | ${b.firstViewJsGzipKb.toFixed(1)} KB | ≤ 150 KB | ${verdict(meets.firstViewJs(b.firstViewJsGzipKb))} |`
    : '| first view JS | not run | | |',
  b
    ? `| \`npm run web\` (built) started → link printed (server ready) → first view usable | ${b.serverReadyMs.toFixed(0)} ms + ${b.firstViewMs.toFixed(0)} ms = ${(b.serverReadyMs + b.firstViewMs).toFixed(0)} ms | < 1.5 s | ${verdict(meets.startUp(b.serverReadyMs + b.firstViewMs))} |`
    : '| start-up | not run | | |',
  b
    ? `| navigation → first log row | ${b.listVisibleMs.toFixed(0)} ms | < 1 s (time to interactive) | ${verdict(meets.interactive(b.listVisibleMs))} |`
    : '| list | not run | | |',
  b
    ? `| frames over 50 ms while scrolling ${b.scrolledRows.toLocaleString('en')} rows | ${b.slowFrames} of ${b.frames} (longest ${b.longestFrameMs.toFixed(0)} ms; control ${b.controlSeen ? 'seen' : '**not seen**'}) | none | ${verdict(meets.scrolling(b.slowFrames, b.controlSeen))} |`
    : '| scroll | not run | | |',
  '',
];
writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), `${lines.join('\n')}\n`);
console.log('Wrote BENCHMARKS.md');
