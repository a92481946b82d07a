// Benchmark: 1,000 small messages through the outbox (durable spool + SQLite + transcripts)
// into a local STARTTLS + AUTH sink, against raw nodemailer `pool: true` with the same number
// of connections sending the same messages, in the same run.
import nodemailer from 'nodemailer';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { startBenchSink } from './sink.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const CONNECTIONS = 2;
const USER = 'bench@example.test';
const PASS = 'bench-password';

export type ThroughputResult = { count: number; connections: number; rawPerSecond: number; drainPerSecond: number; drainRatio: number; endToEndPerSecond: number; endToEndRatio: number };

async function raw(port: number, ca: string): Promise<number> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity, host: '127.0.0.1', port, secure: false, requireTLS: true, auth: { user: USER, pass: PASS }, tls: { ca: [ca] } });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: COUNT }, (_, i) => transport.sendMail({ from: USER, to: `r${i}@example.test`, subject: `Message ${i}`, text: `Small message number ${i}.` })),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return COUNT / seconds;
}

type PosthornRun = { endToEnd: number; drain: number };

/**
 * Two figures: end to end (each message enqueued durably, one call at a time, while sending
 * runs), and the drain of 1,000 already-queued messages (a batch after a reconnect, or a merge).
 */
async function posthorn(port: number, ca: string): Promise<PosthornRun> {
  const run = async (mode: 'endToEnd' | 'drain'): Promise<number> => {
    const data = tempDataDir('bench');
    let clock = Date.now();
    const core = createCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test', trustedCertificates: [ca], maxConnections: CONNECTIONS, now: () => clock });
    try {
      const account = await core.dispatch('accounts.save', { name: 'Bench', email: USER, host: '127.0.0.1', port, security: 'starttls', auth: 'PLAIN', username: USER, password: PASS, maxConnections: CONNECTIONS });
      if (!account.ok) throw new Error(account.error.message);
      let settled = 0;
      let failed = 0;
      const done = new Promise<void>((resolve) => {
        core.subscribe((event) => {
          if (event.name !== 'outbox.changed' || event.payload.state === 'sending' || event.payload.state === 'queued') return;
          settled++;
          if (event.payload.state !== 'sent') failed++;
          if (settled === COUNT) resolve();
        });
      });
      // In drain mode the messages wait out a 30 s undo delay (on the injected clock) first.
      const undoSeconds = mode === 'drain' ? 30 : 0;
      let started = performance.now();
      for (let i = 0; i < COUNT; i++) {
        const queued = await core.dispatch('outbox.enqueue', { accountId: account.value.id, to: `r${i}@example.test`, subject: `Message ${i}`, body: `Small message number ${i}.`, undoSeconds });
        if (!queued.ok) throw new Error(queued.error.message);
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
  };
  return { endToEnd: await run('endToEnd'), drain: await run('drain') };
}

export async function runOutboxThroughput(): Promise<ThroughputResult> {
  const certificate = selfSignedCertificate();
  const sink = await startBenchSink(certificate, USER, PASS);
  try {
    // Warm-up, then alternate, and keep each side's best of two runs.
    await raw(sink.port, certificate.cert);
    const r1 = await raw(sink.port, certificate.cert);
    const p1 = await posthorn(sink.port, certificate.cert);
    const r2 = await raw(sink.port, certificate.cert);
    const p2 = await posthorn(sink.port, certificate.cert);
    const rawPerSecond = Math.max(r1, r2);
    const drainPerSecond = Math.max(p1.drain, p2.drain);
    const endToEndPerSecond = Math.max(p1.endToEnd, p2.endToEnd);
    return { count: COUNT, connections: CONNECTIONS, rawPerSecond, drainPerSecond, drainRatio: drainPerSecond / rawPerSecond, endToEndPerSecond, endToEndRatio: endToEndPerSecond / rawPerSecond };
  } finally {
    await sink.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runOutboxThroughput();
  console.log(JSON.stringify(result));
}
