import { z } from 'zod';
import {
  accountInputSchema,
  accountSchema,
  appInfoSchema,
  enqueueInputSchema,
  outboxDetailSchema,
  outboxItemSchema,
  outboxStateSchema,
  transcriptLineSchema,
} from './models.ts';

const noInput = z.strictObject({});
const byId = z.strictObject({ id: z.string().min(1).max(64) });

/**
 * THE API between the renderer and the main process. Every call names its channel here with
 * a schema for what goes in and what comes out; nothing else crosses the boundary. Outputs
 * are parsed too, so a field that is not in the schema (a secret, say) is stripped.
 */
export const contract = {
  'app.info': { input: noInput, output: appInfoSchema },
  'accounts.list': { input: noInput, output: z.array(accountSchema) },
  'accounts.save': { input: accountInputSchema, output: accountSchema },
  'accounts.delete': { input: byId, output: z.object({ deleted: z.boolean() }) },
  'outbox.enqueue': { input: enqueueInputSchema, output: outboxItemSchema },
  'outbox.list': { input: noInput, output: z.array(outboxItemSchema) },
  'outbox.get': { input: byId, output: outboxDetailSchema },
  'attempts.transcript': { input: z.strictObject({ attemptId: z.string().min(1).max(64) }), output: z.array(transcriptLineSchema) },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];

export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

/** Events the main process pushes to the renderer. */
export const events = {
  'outbox.changed': z.object({ id: z.string(), state: outboxStateSchema }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export type AppEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export function isChannel(value: string): value is Channel {
  return Object.hasOwn(contract, value);
}

export function isEventName(value: string): value is EventName {
  return Object.hasOwn(events, value);
}
