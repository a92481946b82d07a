// Benchmark: one message at a time, enqueue → 250, p50 and p95 over 200 sends, against raw
// nodemailer sending the same messages one at a time over a kept connection (pool of one).
import nodemailer from 'nodemailer';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { startBenchSink } from './sink.ts';

const COUNT = Number(process.env.BENCH_SINGLE_COUNT ?? 200);
const USER = 'bench@example.test';
const PASS = 'bench-password';

export type LatencyResult = { count: number; rawP50: number; rawP95: number; p50: number; p95: number; enqueueP50: number };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function raw(port: number, ca: string): Promise<number[]> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: 1, host: '127.0.0.1', port, secure: false, requireTLS: true, auth: { user: USER, pass: PASS }, tls: { ca: [ca] } });
  const times: number[] = [];
  // The first message opens the connection (and waits out the sink's greeting delay) for both sides.
  await transport.sendMail({ from: USER, to: 'warm@example.test', subject: 'warm-up', text: 'x' });
  for (let i = 0; i < COUNT; i++) {
    const started = performance.now();
    await transport.sendMail({ from: USER, to: `r${i}@example.test`, subject: `Message ${i}`, text: `Small message number ${i}.` });
    times.push(performance.now() - started);
  }
  transport.close();
  return times;
}

/** How long `outbox.enqueue` itself takes (MIME, spool file, durable commit), per send. */
const enqueueTimes: number[] = [];

async function posthorn(port: number, ca: string): Promise<number[]> {
  const data = tempDataDir('bench-single');
  const core = createCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test', trustedCertificates: [ca] });
  try {
    const account = await core.dispatch('accounts.save', { name: 'Bench', email: USER, host: '127.0.0.1', port, security: 'starttls', auth: 'PLAIN', username: USER, password: PASS, maxConnections: 1 });
    if (!account.ok) throw new Error(account.error.message);
    const sendOne = async (i: number) => {
      const sent = new Promise<string>((resolve) => {
        const stop = core.subscribe((event) => {
          if (event.name !== 'outbox.changed' || event.payload.state === 'sending' || event.payload.state === 'queued') return;
          stop();
          resolve(event.payload.state);
        });
      });
      const started = performance.now();
      const queued = await core.dispatch('outbox.enqueue', { accountId: account.value.id, to: `r${i}@example.test`, subject: `Message ${i}`, body: `Small message number ${i}.`, undoSeconds: 0 });
      if (!queued.ok) throw new Error(queued.error.message);
      if (i >= 0) enqueueTimes.push(performance.now() - started);
      if ((await sent) !== 'sent') throw new Error(`message ${i} did not end as sent`);
    };
    await sendOne(-1);
    const times: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = performance.now();
      await sendOne(i);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    await core.close();
    data.remove();
  }
}

export async function runSingleLatency(): Promise<LatencyResult> {
  const certificate = selfSignedCertificate();
  const sink = await startBenchSink(certificate, USER, PASS);
  try {
    const r = await raw(sink.port, certificate.cert);
    const p = await posthorn(sink.port, certificate.cert);
    return { count: COUNT, rawP50: percentile(r, 50), rawP95: percentile(r, 95), p50: percentile(p, 50), p95: percentile(p, 95), enqueueP50: percentile(enqueueTimes, 50) };
  } finally {
    await sink.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runSingleLatency()));
