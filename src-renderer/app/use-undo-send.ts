import { useEffect, useEffectEvent } from 'react';
import type { DraftContent } from '../../src-main/shared/schemas/compose.ts';
import type { PosthornApi } from '../api/types.ts';

/**
 * Ctrl+Z (⌘Z) takes back the message just sent while its undo delay runs, whether or not its
 * notice is still shown; never while the person is editing text (there it undoes typing).
 */
export function useUndoSend(
  api: PosthornApi,
  undoable: { id: string; until: number } | null,
  onUndone: (draft: DraftContent) => void,
): void {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (!undoable || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z' || event.shiftKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
    if (Date.now() >= undoable.until) return;
    event.preventDefault();
    void api['outbox.undo']({ id: undoable.id }).then((result) => {
      if (result.ok) onUndone(result.value);
    });
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
