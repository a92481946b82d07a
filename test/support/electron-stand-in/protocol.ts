/** What the test asks of the stand-in process (boot.ts), and how it answers. */
export type StandInCommand =
  | { op: 'record' }
  /** An IPC call; frameUrl null: a sender with no frame (Electron documents senderFrame as nullable). */
  | {
      op: 'invoke';
      channel: string;
      input: unknown;
      from: 'window' | 'other-contents';
      frameUrl: string | null;
      subframe?: boolean;
    }
  /** An app event the OS would cause: macOS's activate, open-url, open-file. */
  | { op: 'app-event'; name: 'activate' | 'open-url' | 'open-file'; args: unknown[] }
  | { op: 'power'; event: 'resume' | 'unlock-screen' }
  | { op: 'tray-click' }
  | { op: 'second-instance'; argv: string[] }
  | { op: 'permission'; permission: string }
  | { op: 'navigate'; url: string }
  | { op: 'window-open'; url: string }
  | { op: 'response-headers' }
  /** A request the page makes for one of the app's own URLs, answered by the protocol.handle handler. */
  | { op: 'protocol-fetch'; url: string }
  | { op: 'click-menu'; menu: 'application' | 'tray'; labels: string[] }
  | { op: 'close-window' }
  | { op: 'answer-questions'; button: number | null }
  | { op: 'quit' };

export type StandInReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
