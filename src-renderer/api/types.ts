import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../src-main/shared/contract.ts';
import type { Result } from '../../src-main/shared/result.ts';
import type { Attachment } from '../../src-main/shared/schemas/compose.ts';

/** What the renderer can do: one method per channel, one subscription per event. */
export type PosthornApi = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
} & {
  /**
   * Browser mode: adds a file the person chose or dropped, streamed to Posthorn, answered with its
   * id. Absent in the desktop window, which takes drops only through addDroppedFiles.
   */
  addFile?: (file: File) => Promise<Result<Attachment>>;
  /**
   * Desktop: files dropped on the window; the main process asks the person first (one question
   * per drop) and answers with the added files, none if they said no.
   */
  addDroppedFiles?: (files: File[]) => Promise<Result<Attachment[]>>;
  /** Desktop: the OS file dialog (opened by the main process); the chosen files come back added. */
  pickFiles: () => Promise<Result<Attachment[]>>;
  on: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};
