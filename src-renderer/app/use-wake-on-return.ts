import { useEffect } from 'react';
import type { PosthornApi } from '../api/types.ts';

/** Back online, or back to this window after sleep: the outbox looks for due mail at once. */
export function useWakeOnReturn(api: PosthornApi): void {
  useEffect(() => {
    const wake = () => void api['app.wake']({});
    const onVisible = () => {
      if (document.visibilityState === 'visible') wake();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [api]);
}
