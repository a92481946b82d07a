import { vi } from 'vitest';
import { channelNames, eventNames } from '../../src-main/shared/channel-names.ts';
import type { AppError } from '../../src-main/shared/errors.ts';
import type { PosthornApi } from '../../src-renderer/api/types.ts';

type Answers = Partial<Record<string, (input: never) => unknown>>;

/** An answer that refuses the call (a value with its own "ok", like a connection test, is not one). */
class Refusal {
  readonly error: AppError;
  constructor(error: AppError) {
    this.error = error;
  }
}
export const refuse = (error: AppError) => new Refusal(error);

/**
 * The page's API with answers given per channel (each a function of the input, returning the
 * value, or `refuse(error)` to fail the call); unanswered channels fail the test loudly. Events are
 * raised with `emit`.
 */
export function fakeApi(answers: Answers = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { channel: string; input: unknown }[] = [];
  const api: Record<string, unknown> = {};
  for (const channel of channelNames) {
    api[channel] = vi.fn(async (input: unknown) => {
      calls.push({ channel, input });
      const answer = answers[channel];
      if (!answer) throw new Error(`The test gave no answer for ${channel}`);
      const value = await answer(input as never);
      return value instanceof Refusal ? { ok: false, error: value.error } : { ok: true, value };
    });
  }
  api.addFile = vi.fn();
  api.addDroppedFiles = undefined;
  api.pickFiles = vi.fn();
  api.on = Object.fromEntries(
    eventNames.map((name) => [
      name,
      (listener: (payload: unknown) => void) => {
        const set = listeners.get(name) ?? new Set();
        set.add(listener);
        listeners.set(name, set);
        return () => set.delete(listener);
      },
    ]),
  );
  return {
    api: api as unknown as PosthornApi,
    calls,
    emit: (name: string, payload: unknown) => {
      for (const listener of listeners.get(name) ?? []) listener(payload);
    },
  };
}
