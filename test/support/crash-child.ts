// A Posthorn core in its own process, for crash trials: `enqueue` queues a batch (printing each
// id once the call returned) and sends; `resume` only starts (recovery) and sends what is left.
// Either exits 0 when nothing is waiting any more, unless the test kills it first.
import { createCore } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';

const [mode, dataDir, port, countText] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir ?? '', secrets: new MemorySecretStore(), mode: 'test' });

async function main(): Promise<void> {
  // The test's kill timer starts here, so a slow start-up does not eat the trial.
  process.stdout.write('READY\n');
  const listed = await core.dispatch('accounts.list', {});
  let accountId = listed.ok ? listed.value[0]?.id : undefined;
  if (!accountId) {
    const saved = await core.dispatch('accounts.save', {
      name: 'Crash',
      email: 'crash@relay.test',
      host: '127.0.0.1',
      port: Number(port),
      security: 'none',
      auth: 'none',
      username: '',
    });
    if (!saved.ok) throw new Error(saved.error.message);
    accountId = saved.value.id;
    process.stdout.write(`ACCOUNT ${accountId}\n`);
  }
  if (mode === 'enqueue') {
    // Handed in together, as a mail merge would; each id is printed once its enqueue answered
    // (the promise that it is safe), while the first ones are already being sent.
    const id = accountId;
    await Promise.all(
      Array.from({ length: Number(countText) }, async (_, i) => {
        const queued = await core.dispatch('outbox.enqueue', {
          accountId: id,
          to: `r${i}@relay.test`,
          subject: `crash-${i}`,
          body: `message ${i}`,
          undoSeconds: 0,
        });
        if (!queued.ok) throw new Error(queued.error.message);
        process.stdout.write(`ENQUEUED ${queued.value.id}\n`);
      }),
    );
  }
  // Looked at four times a second: listing 500 messages more often would slow the sending.
  for (let i = 0; i < 120; i++) {
    const items = await core.dispatch('outbox.list', {});
    if (items.ok && items.value.every((item) => ['sent', 'failed', 'uncertain', 'cancelled'].includes(item.state)))
      break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await core.close();
  process.stdout.write('DONE\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-child: ${String(error)}\n`);
  process.exit(1);
});
