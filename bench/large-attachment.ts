// Benchmark: one 50 MB attachment, Posthorn (upload into the data folder, enqueue, send) against
// raw nodemailer sending the same file by path. Each side runs in a process of its own so its
// peak RSS growth is its own; RSS is sampled every 5 ms.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { createCore } from '../src-main/core/create-core.ts';
import { MemorySecretStore } from '../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate, type TestCertificate } from '../test/support/certs.ts';
import { tempDataDir } from '../test/support/temp-dir.ts';
import { BENCH_PASS as PASS, BENCH_USER as USER, saveBenchAccount, startBenchSink } from './sink.ts';

const SIZE = Number(process.env.BENCH_ATTACHMENT_MB ?? 50) * 1024 * 1024;

type Side = 'raw' | 'posthorn';
type SideResult = { seconds: number; peakRssGrowthMb: number; addSeconds?: number };
export type AttachmentResult = { megabytes: number; raw: SideResult; posthorn: SideResult };

/** Runs `work` while sampling RSS; returns its wall time and the highest RSS above the start. */
async function measured(work: () => Promise<void>): Promise<SideResult> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds: (performance.now() - started) / 1000, peakRssGrowthMb: (peak - base) / 1024 / 1024 };
}

async function runSide(side: Side, file: string, certificate: TestCertificate): Promise<SideResult> {
  const sink = await startBenchSink(certificate, USER, PASS);
  try {
    if (side === 'raw') {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: sink.port,
        secure: false,
        requireTLS: true,
        auth: { user: USER, pass: PASS },
        tls: { ca: [certificate.cert] },
      });
      const result = await measured(async () => {
        await transport.sendMail({
          from: USER,
          to: 'r@example.test',
          subject: 'Big',
          text: 'The file.',
          attachments: [{ filename: 'big.bin', path: file }],
        });
      });
      transport.close();
      return result;
    }
    const data = tempDataDir('bench-big');
    const core = createCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      trustedCertificates: [certificate.cert],
    });
    try {
      const accountId = await saveBenchAccount(core, sink.port);
      // Adding the file (copied into the data folder) happens when the person attaches it, before Send.
      const addStarted = performance.now();
      const added = await core.dispatch('attachments.addPaths', {
        files: [{ path: file, type: 'application/octet-stream' }],
      });
      if (!added.ok) throw new Error(added.error.message);
      const attachment = added.value[0]!;
      const addSeconds = (performance.now() - addStarted) / 1000;
      const result = await measured(async () => {
        const sent = new Promise<string>((resolve) =>
          core.subscribe(
            (event) =>
              event.name === 'outbox.changed' &&
              !['sending', 'queued'].includes(event.payload.state) &&
              resolve(event.payload.state),
          ),
        );
        const queued = await core.dispatch('outbox.enqueue', {
          accountId,
          to: 'r@example.test',
          subject: 'Big',
          body: 'The file.',
          attachments: [{ id: attachment.id, inline: false }],
          undoSeconds: 0,
        });
        if (!queued.ok) throw new Error(queued.error.message);
        if ((await sent) !== 'sent') throw new Error('the message did not end as sent');
      });
      return { ...result, addSeconds };
    } finally {
      await core.close();
      data.remove();
    }
  } finally {
    await sink.close();
  }
}

function child(side: Side, file: string, certificate: TestCertificate): Promise<SideResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--experimental-strip-types', '--no-warnings', fileURLToPath(import.meta.url), side, file],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    proc.stdin.end(JSON.stringify(certificate));
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as SideResult) : reject(new Error(`${side} run ended with ${code}`)),
    );
  });
}

export async function runLargeAttachment(): Promise<AttachmentResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-bench-file-'));
  const file = path.join(dir, 'big.bin');
  try {
    writeFileSync(file, randomBytes(SIZE));
    const certificate = selfSignedCertificate();
    // Alternating, best of two for time; the larger RSS growth of the two is kept.
    const runs: Record<Side, SideResult[]> = { raw: [], posthorn: [] };
    for (let round = 0; round < 2; round++)
      for (const side of ['raw', 'posthorn'] as const) runs[side].push(await child(side, file, certificate));
    const pick = (list: SideResult[]): SideResult => ({
      seconds: Math.min(...list.map((r) => r.seconds)),
      peakRssGrowthMb: Math.max(...list.map((r) => r.peakRssGrowthMb)),
      addSeconds: Math.min(...list.map((r) => r.addSeconds ?? 0)),
    });
    return { megabytes: SIZE / 1024 / 1024, raw: pick(runs.raw), posthorn: pick(runs.posthorn) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [, script, side, file] = process.argv;
if (script === fileURLToPath(import.meta.url)) {
  if (side === 'raw' || side === 'posthorn') {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    process.stdout.write(JSON.stringify(await runSide(side, file ?? '', JSON.parse(input) as TestCertificate)));
  } else {
    console.log(JSON.stringify(await runLargeAttachment()));
  }
}
