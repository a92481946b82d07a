import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftContent } from '../../../src-main/shared/schemas/compose.ts';
import { useApi } from '../../api/api-context.tsx';

const EVERY_MS = 3000;

/**
 * Saves the draft every few seconds while it changes, when the window is hidden or closed,
 * and on demand (Ctrl+S). The store writes drafts durably, so a crash or power cut loses
 * at most the last few seconds of typing.
 */
export function useAutosave(initialId: string | null, content: DraftContent, worthKeeping: boolean) {
  const api = useApi();
  const [draftId, setDraftId] = useState<string | null>(initialId);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const idRef = useRef(initialId);
  const lastSaved = useRef<string>('');
  const latest = useRef({ content, worthKeeping });
  useEffect(() => {
    latest.current = { content, worthKeeping };
  }, [content, worthKeeping]);
  const saving = useRef<Promise<void> | null>(null);

  /** Resolves with the draft's id (null while nothing was worth saving). */
  const save = useCallback(
    async (force = false): Promise<string | null> => {
      const { content: now, worthKeeping: keep } = latest.current;
      const serialized = JSON.stringify(now);
      if ((!keep && !force) || serialized === lastSaved.current) return idRef.current;
      if (saving.current) await saving.current;
      saving.current = (async () => {
        const result = await api['drafts.save']({ ...(idRef.current ? { id: idRef.current } : {}), content: now });
        if (result.ok) {
          idRef.current = result.value.id;
          setDraftId(result.value.id);
          lastSaved.current = serialized;
          setSavedAt(result.value.updatedAt);
        }
      })();
      await saving.current;
      saving.current = null;
      return idRef.current;
    },
    [api],
  );

  useEffect(() => {
    const timer = setInterval(() => void save(), EVERY_MS);
    const onHide = () => document.visibilityState === 'hidden' && void save();
    const onLeave = () => void save();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onLeave);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onLeave);
      void save(); // leaving the composer (another view) keeps what was written
    };
  }, [save]);

  /** After the message was queued (the core removed the draft) nothing more is saved. */
  const forget = useCallback(() => {
    lastSaved.current = JSON.stringify(latest.current.content);
    latest.current = { ...latest.current, worthKeeping: false };
  }, []);

  return { draftId, savedAt, saveNow: () => save(true), forget };
}
