import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../src-main/shared/contract.ts';
import type { Result } from '../../src-main/shared/result.ts';

/** What the renderer can do: one method per channel, one subscription per event. */
export type PosthornApi = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
} & {
  on: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};
