import type { RefObject } from 'react';

/** What the desktop menu asks of the message being written (Ctrl+Enter / Ctrl+S when clicked). */
export type ComposeCommand = 'send' | 'save-draft';

/**
 * How the app hands menu commands to the composer: a ref the open composer fills with its
 * handler and empties when it closes (no window-wide event bus; nothing happens with no composer).
 */
export type ComposeCommands = RefObject<((command: ComposeCommand) => void) | null>;
