import type { Core } from '../../src-main/core/create-core.ts';
import type { OutboxItem, OutboxState } from '../../src-main/shared/schemas/outbox.ts';

/** Waits (bounded) until a message reaches one of the given states, via the public contract. */
export async function waitForState(
  core: Pick<Core, 'dispatch'>,
  id: string,
  states: readonly OutboxState[],
  timeoutMs = 15_000,
): Promise<OutboxItem> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await core.dispatch('outbox.get', { id });
    if (result.ok && states.includes(result.value.item.state)) return result.value.item;
    if (Date.now() > deadline) {
      const seen = result.ok ? result.value.item.state : result.error.message;
      throw new Error(`Message ${id} did not reach ${states.join('/')} within ${timeoutMs} ms (last seen: ${seen}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`Expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Waits (bounded) until a condition holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`The condition did not hold within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
