// Benchmark: one message at a time, enqueue → 250, p50 and p95 over 200 sends, against raw
// nodemailer sending the same messages one at a time. Two connection policies, the same on
// both sides: a new connection for every message (nodemailer's default, non-pooled transport:
// its "single send"), and one connection kept open between messages (a pool of one).
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Core } from '../src-main/core/create-core.ts';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { BENCH_PASS as PASS, BENCH_USER as USER, saveBenchAccount, startBenchSink } from './sink.ts';

const COUNT = Number(process.env.BENCH_SINGLE_COUNT ?? 200);

export type Policy = 'fresh' | 'kept';

export type PolicyLatency = {
  rawP50: number;
  rawP95: number;
  p50: number;
  p95: number;
  /**
   * Posthorn's send split in three (p50 of each): enqueue answered, then claimed ("sending"), then sent (250
   * stored).
   */
  enqueueP50: number;
  queueP50: number;
  sendingP50: number;
};

export type LatencyResult = { count: number; fresh: PolicyLatency; kept: PolicyLatency };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function rawTransport(policy: Policy, port: number, ca: string): Transporter {
  const common = {
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    auth: { user: USER, pass: PASS },
    tls: { ca: [ca] },
  };
  // Without `pool`, nodemailer opens, uses and closes a connection for every sendMail.
  return policy === 'kept'
    ? nodemailer.createTransport({ ...common, pool: true, maxConnections: 1 })
    : nodemailer.createTransport(common);
}

type Stages = { enqueue: number; queue: number; sending: number; total: number };

/** One message through Posthorn, timed from the `outbox.enqueue` call to the `sent` event. */
async function sendThroughPosthorn(core: Core, accountId: string, i: number): Promise<Stages> {
  const started = performance.now();
  let claimed = 0;
  const sent = new Promise<number>((resolve, reject) => {
    const stop = core.subscribe((event) => {
      if (event.name !== 'outbox.changed' || event.payload.state === 'queued') return;
      if (event.payload.state === 'sending') {
        claimed = performance.now();
        return;
      }
      stop();
      if (event.payload.state === 'sent') resolve(performance.now());
      else reject(new Error(`message ${i} ended as ${event.payload.state}`));
    });
  });
  const queued = await core.dispatch('outbox.enqueue', {
    accountId,
    to: `r${i}@example.test`,
    subject: `Message ${i}`,
    body: `Small message number ${i}.`,
    undoSeconds: 0,
  });
  const answered = performance.now();
  if (!queued.ok) throw new Error(queued.error.message);
  const ended = await sent;
  // The claim can come before enqueue's answer is seen (same turn); then queueing took no time.
  const claimedAt = Math.max(claimed, answered);
  return {
    enqueue: answered - started,
    queue: claimedAt - answered,
    sending: ended - claimedAt,
    total: ended - started,
  };
}

/**
 * The two sides alternate message by message, so a machine that slows down for a while (other
 * work, the CPU's clock) weighs on both alike. Each side sends one warm-up message first.
 */
async function measure(policy: Policy, port: number, ca: string): Promise<PolicyLatency> {
  const transport = rawTransport(policy, port, ca);
  const data = tempDataDir(`bench-single-${policy}`);
  // Posthorn's own policy for "a new connection every time": retire a connection after one message.
  const core = createCore({
    dataDir: data.dir,
    secrets: new MemorySecretStore(),
    mode: 'test',
    trustedCertificates: [ca],
    ...(policy === 'fresh' ? { messagesPerConnection: 1 } : {}),
  });
  try {
    const accountId = await saveBenchAccount(core, port, { maxConnections: 1 });
    await transport.sendMail({ from: USER, to: 'warm@example.test', subject: 'warm-up', text: 'x' });
    await sendThroughPosthorn(core, accountId, -1);
    const raw: number[] = [];
    const ours: Stages[] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = performance.now();
      await transport.sendMail({
        from: USER,
        to: `r${i}@example.test`,
        subject: `Message ${i}`,
        text: `Small message number ${i}.`,
      });
      raw.push(performance.now() - started);
      ours.push(await sendThroughPosthorn(core, accountId, i));
    }
    const totals = ours.map((s) => s.total);
    return {
      rawP50: percentile(raw, 50),
      rawP95: percentile(raw, 95),
      p50: percentile(totals, 50),
      p95: percentile(totals, 95),
      enqueueP50: percentile(
        ours.map((s) => s.enqueue),
        50,
      ),
      queueP50: percentile(
        ours.map((s) => s.queue),
        50,
      ),
      sendingP50: percentile(
        ours.map((s) => s.sending),
        50,
      ),
    };
  } finally {
    transport.close();
    await core.close();
    data.remove();
  }
}

export async function runSingleLatency(): Promise<LatencyResult> {
  const certificate = selfSignedCertificate();
  const sink = await startBenchSink(certificate, USER, PASS);
  try {
    const fresh = await measure('fresh', sink.port, certificate.cert);
    const kept = await measure('kept', sink.port, certificate.cert);
    return { count: COUNT, fresh, kept };
  } finally {
    await sink.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runSingleLatency()));
