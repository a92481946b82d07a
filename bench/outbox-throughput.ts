// Benchmark: 1,000 small messages through the outbox (durable spool + SQLite + transcripts)
// into a local STARTTLS + AUTH sink, against raw nodemailer `pool: true` with the same number
// of connections sending the same messages, in the same run.
import nodemailer from 'nodemailer';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { BENCH_PASS as PASS, BENCH_USER as USER, saveBenchAccount, startBenchSink } from './sink.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const CONNECTIONS = 2;

/** Messages per connection before it is retired: nodemailer's pool default, and Posthorn's. */
export const DEFAULT_PER_CONNECTION = 100;

/** How a Posthorn run hands its messages in. */
export type PosthornCase = 'drain' | 'together' | 'oneByOne';

export type PolicyResult = { perConnection: number; rawPerSecond: number } & Record<PosthornCase, number>;
export type ThroughputResult = { count: number; connections: number; policies: PolicyResult[] };

async function raw(port: number, ca: string, perConnection: number): Promise<number> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: perConnection,
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    auth: { user: USER, pass: PASS },
    tls: { ca: [ca] },
  });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: COUNT }, (_, i) =>
      transport.sendMail({
        from: USER,
        to: `r${i}@example.test`,
        subject: `Message ${i}`,
        text: `Small message number ${i}.`,
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return COUNT / seconds;
}

/**
 * One Posthorn run. "drain": 1,000 messages already queued, sent from the moment the queue is
 * woken (a batch after a reconnect). "together": all handed in at once, as the raw side does
 * (a mail merge, a script); enqueue included. "oneByOne": each enqueue awaited before the next,
 * as a person clicking Send would; enqueue included.
 */
async function posthorn(port: number, ca: string, mode: PosthornCase, perConnection: number): Promise<number> {
  const data = tempDataDir('bench');
  let clock = Date.now();
  const core = createCore({
    dataDir: data.dir,
    secrets: new MemorySecretStore(),
    mode: 'test',
    trustedCertificates: [ca],
    maxConnections: CONNECTIONS,
    messagesPerConnection: perConnection,
    now: () => clock,
  });
  try {
    const accountId = await saveBenchAccount(core, port, { maxConnections: CONNECTIONS });
    let settled = 0;
    let failed = 0;
    const done = new Promise<void>((resolve) => {
      core.subscribe((event) => {
        if (event.name !== 'outbox.changed' || event.payload.state === 'sending' || event.payload.state === 'queued')
          return;
        settled++;
        if (event.payload.state !== 'sent') failed++;
        if (settled === COUNT) resolve();
      });
    });
    // In drain mode the messages wait out a 30 s undo delay (on the injected clock) first.
    const undoSeconds = mode === 'drain' ? 30 : 0;
    const enqueue = async (i: number) => {
      const queued = await core.dispatch('outbox.enqueue', {
        accountId,
        to: `r${i}@example.test`,
        subject: `Message ${i}`,
        body: `Small message number ${i}.`,
        undoSeconds,
      });
      if (!queued.ok) throw new Error(queued.error.message);
    };
    let started = performance.now();
    if (mode === 'together') {
      await Promise.all(Array.from({ length: COUNT }, (_, i) => enqueue(i)));
    } else {
      for (let i = 0; i < COUNT; i++) await enqueue(i);
    }
    if (mode === 'drain') {
      clock += 31_000;
      started = performance.now();
      core.wake();
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    if (failed > 0) throw new Error(`${failed} messages did not end as sent`);
    return COUNT / seconds;
  } finally {
    await core.close();
    data.remove();
  }
}

const CASES: PosthornCase[] = ['drain', 'together', 'oneByOne'];

/** Each side twice, alternating, after a warm-up; the best of two kept for each. */
async function policy(port: number, ca: string, perConnection: number): Promise<PolicyResult> {
  await raw(port, ca, perConnection);
  const best: PolicyResult = { perConnection, rawPerSecond: 0, drain: 0, together: 0, oneByOne: 0 };
  for (let round = 0; round < 2; round++) {
    best.rawPerSecond = Math.max(best.rawPerSecond, await raw(port, ca, perConnection));
    for (const mode of CASES) best[mode] = Math.max(best[mode], await posthorn(port, ca, mode, perConnection));
  }
  return best;
}

export async function runOutboxThroughput(): Promise<ThroughputResult> {
  const certificate = selfSignedCertificate();
  const sink = await startBenchSink(certificate, USER, PASS);
  try {
    // The comparison the target is about (both sides retire a connection after 100 messages),
    // then both sides keeping their connections for the whole batch, which leaves only the
    // cost of durability and transcripts.
    const policies = [
      await policy(sink.port, certificate.cert, DEFAULT_PER_CONNECTION),
      await policy(sink.port, certificate.cert, Number.POSITIVE_INFINITY),
    ];
    return { count: COUNT, connections: CONNECTIONS, policies };
  } finally {
    await sink.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runOutboxThroughput();
  console.log(JSON.stringify(result));
}
