// Benchmark: the core's resident memory while it sends 20,000 small messages, in a process of
// its own (the sink runs in this one, so its memory is not counted). RSS and the JavaScript heap
// are read after a full garbage collection every 1,000 messages: the growth after the first
// 10,000, and the trend (least-squares slope) over the second 10,000.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate, type TestCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { BENCH_PASS as PASS, BENCH_USER as USER, saveBenchAccount, startBenchSink } from './sink.ts';

const TOTAL = Number(process.env.BENCH_MEMORY_COUNT ?? 20_000);
const STEP = 1_000;
/** Handed in together, as a mail merge would; the next batch once these are sent. */
const BATCH = 500;

/** RSS, the JavaScript heap in use and reserved, and memory outside it (Buffers, native allocations V8 knows of). */
export type MemorySample = { sent: number; rssMb: number; heapMb: number; heapTotalMb: number; externalMb: number };
export type MemoryResult = {
  count: number;
  samples: MemorySample[];
  /** RSS after the first half, above the baseline (the core started and 1,000 messages sent). */
  growthFirstHalfMb: number;
  /** Least-squares slope of RSS over the second half, in MB per 10,000 messages. */
  trendSecondHalfMbPer10k: number;
  heapTrendSecondHalfMbPer10k: number;
  seconds: number;
};

const megabytes = (bytes: number) => bytes / 1024 / 1024;

function sample(sent: number): MemorySample {
  // Twice: the first collection can leave garbage that finalisers released for the second.
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return {
    sent,
    rssMb: megabytes(usage.rss),
    heapMb: megabytes(usage.heapUsed),
    heapTotalMb: megabytes(usage.heapTotal),
    externalMb: megabytes(usage.external),
  };
}

function slope(points: [number, number][]): number {
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - meanX) * (y - meanY), 0);
  const den = points.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** In the child: the core sends TOTAL messages (plus 1,000 first, before the baseline). */
async function runCore(port: number, certificate: TestCertificate): Promise<MemorySample[]> {
  const data = tempDataDir('bench-memory');
  const core = createCore({
    dataDir: data.dir,
    secrets: new MemorySecretStore(),
    mode: 'test',
    trustedCertificates: [certificate.cert],
  });
  try {
    const accountId = await saveBenchAccount(core, port);
    let sent = 0;
    let waiting: { until: number; resolve: () => void } | null = null;
    core.subscribe((event) => {
      if (event.name !== 'outbox.changed' || event.payload.state === 'queued' || event.payload.state === 'sending')
        return;
      if (event.payload.state !== 'sent') throw new Error(`a message ended as ${event.payload.state}`);
      sent++;
      if (waiting && sent >= waiting.until) waiting.resolve();
    });
    const sendBatch = async (first: number) => {
      const done = new Promise<void>((resolve) => (waiting = { until: first + BATCH, resolve }));
      await Promise.all(
        Array.from({ length: BATCH }, async (_, i) => {
          const queued = await core.dispatch('outbox.enqueue', {
            accountId,
            to: `r${first + i}@example.test`,
            subject: `Message ${first + i}`,
            body: `Small message number ${first + i}.\n\nWith a second paragraph, as mail has.`,
            undoSeconds: 0,
          });
          if (!queued.ok) throw new Error(queued.error.message);
        }),
      );
      await done;
    };
    for (let n = 0; n < STEP; n += BATCH) await sendBatch(n);
    const samples = [sample(0)];
    for (let n = 0; n < TOTAL; n += BATCH) {
      await sendBatch(STEP + n);
      if ((n + BATCH) % STEP === 0) samples.push(sample(n + BATCH));
    }
    return samples;
  } finally {
    await core.close();
    data.remove();
  }
}

export async function runMemoryGrowth(): Promise<MemoryResult> {
  const certificate = selfSignedCertificate();
  const sink = await startBenchSink(certificate, USER, PASS);
  const started = performance.now();
  try {
    const samples = await new Promise<MemorySample[]>((resolve, reject) => {
      const proc = spawn(
        process.execPath,
        [
          '--experimental-strip-types',
          '--no-warnings',
          '--expose-gc',
          fileURLToPath(import.meta.url),
          'core',
          String(sink.port),
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      proc.stdin.end(JSON.stringify(certificate));
      let out = '';
      proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      proc.on('exit', (code) =>
        code === 0 ? resolve(JSON.parse(out) as MemorySample[]) : reject(new Error(`core run ended with ${code}`)),
      );
    });
    const base = samples[0] as MemorySample;
    const half = TOTAL / 2;
    const atHalf = samples.find((s) => s.sent === half) ?? base;
    const second = samples.filter((s) => s.sent >= half);
    return {
      count: TOTAL,
      samples,
      growthFirstHalfMb: atHalf.rssMb - base.rssMb,
      trendSecondHalfMbPer10k: slope(second.map((s) => [s.sent, s.rssMb])) * 10_000,
      heapTrendSecondHalfMbPer10k: slope(second.map((s) => [s.sent, s.heapMb])) * 10_000,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sink.close();
  }
}

const [, script, role, port] = process.argv;
if (script === fileURLToPath(import.meta.url)) {
  if (role === 'core') {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    process.stdout.write(JSON.stringify(await runCore(Number(port), JSON.parse(input) as TestCertificate)));
  } else {
    console.log(JSON.stringify(await runMemoryGrowth()));
  }
}
