import type { Core } from '../../src-main/core/create-core.ts';
import type { OutboxItem } from '../../src-main/shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../src-main/shared/schemas/smtp.ts';
import { startFaultServer, type FaultScript, type FaultServer } from './fault-server.ts';
import { unwrap, waitForState } from './wait-for.ts';

export const FINISHED = ['sent', 'failed', 'deferred', 'uncertain'] as const;
const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, socketMs: 10_000 };

/**
 * Sending through the outbox to a fault server of its own per case, as a person would: an
 * account for that server, a message queued without undo delay, its end state, its transcript,
 * and "Retry now" pressed. The servers started are in `servers`, for the caller to close.
 */
export function outboxAgainstFaults(core: () => Core) {
  const servers: FaultServer[] = [];

  async function send(name: string, script: FaultScript, options: { to?: string; body?: string } = {}) {
    const server = await startFaultServer(script);
    servers.push(server);
    const account = unwrap(
      await core().dispatch('accounts.save', {
        name,
        email: 'me@fault.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
        timeouts: TIMEOUTS,
      }),
    );
    const started = Date.now();
    const queued = unwrap(
      await core().dispatch('outbox.enqueue', {
        accountId: account.id,
        to: options.to ?? 'someone@fault.test',
        subject: name,
        body: options.body ?? 'Body',
        undoSeconds: 0,
      }),
    );
    const item = await waitForState(core(), queued.id, [...FINISHED], 20_000);
    return { server, item, seconds: (Date.now() - started) / 1000, id: queued.id };
  }

  async function transcriptOf(id: string, attempt = 0): Promise<TranscriptLine[]> {
    const detail = unwrap(await core().dispatch('outbox.get', { id }));
    const chosen = detail.attempts[attempt];
    return chosen ? unwrap(await core().dispatch('attempts.transcript', { attemptId: chosen.id })) : [];
  }

  /** "Retry now" as the person would press it, and the attempt it starts, until the message stops retrying. */
  async function retry(id: string, times: number): Promise<OutboxItem> {
    let item = unwrap(await core().dispatch('outbox.get', { id })).item;
    for (let i = 0; i < times && (item.state === 'deferred' || item.state === 'failed'); i++) {
      const again = await core().dispatch('outbox.retryNow', { id });
      if (!again.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
      item = await waitForState(core(), id, [...FINISHED], 20_000);
    }
    return item;
  }

  return { servers, send, transcriptOf, retry };
}
