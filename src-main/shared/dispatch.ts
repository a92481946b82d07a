import type { z } from 'zod';
import { AppFailure, appError, type AppError } from './errors.ts';
import { invalidInput } from './invalid-input.ts';
import type { Result } from './result.ts';

type Schemas = { input: z.ZodType; output: z.ZodType };
export type AnyContract = Record<string, Schemas>;

export type Handlers<C extends AnyContract> = {
  [K in keyof C]: (input: z.output<C[K]['input']>) => Promise<z.input<C[K]['output']>> | z.input<C[K]['output']>;
};

/** Transports pass any string; a known channel gets its typed output back. */
export type Dispatch<C extends AnyContract> = <K extends string>(
  channel: K,
  rawInput: unknown,
) => Promise<Result<K extends keyof C ? z.output<C[K]['output']> : unknown>>;

export type UnexpectedErrorReporter = (channel: string, error: unknown) => void;

/**
 * The single entry point for every call: validates the input (an invalid call changes
 * nothing), runs the handler, validates and strips the output, and returns a Result.
 */
export function createDispatcher<C extends AnyContract>(
  contract: C,
  handlers: Handlers<C>,
  reportUnexpected: UnexpectedErrorReporter = () => {},
): Dispatch<C> {
  const dispatch = async (channel: string, rawInput: unknown): Promise<Result<unknown>> => {
    if (!Object.hasOwn(contract, channel)) {
      return { ok: false, error: appError('BAD_INPUT', `Unknown call "${channel.slice(0, 80)}".`) };
    }
    const schemas = contract[channel] as Schemas;
    const parsed = schemas.input.safeParse(rawInput);
    if (!parsed.success) {
      return {
        ok: false,
        error: invalidInput(parsed.error),
      };
    }
    try {
      const handler = handlers[channel as keyof C] as (input: unknown) => unknown;
      const value: unknown = await handler(parsed.data);
      return { ok: true, value: schemas.output.parse(value) };
    } catch (error) {
      if (error instanceof AppFailure) return { ok: false, error: error.error };
      reportUnexpected(channel, error);
      return { ok: false, error: unexpected(error) };
    }
  };
  return dispatch as Dispatch<C>;
}

function unexpected(error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return appError(
    'INTERNAL',
    `Something went wrong inside Posthorn: ${message}`,
    'Try again. If it keeps happening, restart Posthorn.',
  );
}
