import { useEffect, useState } from 'react';
import { formatBytes } from '../../../src-main/shared/wording.ts';
import { useApi } from '../../api/api-context.tsx';

export type Upload = { sent: number; total: number };

/** Live upload progress per message, from the contract's events (no polling). */
export function useUploadProgress(): Map<string, Upload> {
  const api = useApi();
  const [uploads, setUploads] = useState<Map<string, Upload>>(() => new Map());
  useEffect(() => {
    const offProgress = api.on['attempt.progress']((event) =>
      setUploads((m) => new Map(m).set(event.id, { sent: event.sent, total: event.total })),
    );
    const offChanged = api.on['outbox.changed']((event) => {
      if (event.state === 'sending') return;
      setUploads((m) => {
        if (!m.has(event.id)) return m;
        const next = new Map(m);
        next.delete(event.id);
        return next;
      });
    });
    return () => {
      offProgress();
      offChanged();
    };
  }, [api]);
  return uploads;
}

export function describeUpload(upload: Upload): string {
  return `Uploading ${formatBytes(upload.sent)} of ${formatBytes(upload.total)}`;
}
